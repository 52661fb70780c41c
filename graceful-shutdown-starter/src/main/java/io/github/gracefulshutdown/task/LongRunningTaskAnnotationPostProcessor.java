package io.github.gracefulshutdown.task;

import org.springframework.aop.Pointcut;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Proxies the beans that have methods annotated with {@link LongRunningTask}, the way
 * Spring proxies {@code @Async} methods: with Spring AOP's own proxies, without AspectJ.
 * Its advisor goes after those already there, so on an {@code @Async} method the task
 * begins on the executor's thread.
 */
@SuppressWarnings("serial")
class LongRunningTaskAnnotationPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

	LongRunningTaskAnnotationPostProcessor(ObjectProvider<LongRunningTasks> tasks) {
		Pointcut pointcut = new ComposablePointcut(new AnnotationMatchingPointcut(LongRunningTask.class, true))
			.union(new AnnotationMatchingPointcut(null, LongRunningTask.class, true));
		this.advisor = new DefaultPointcutAdvisor(pointcut, new LongRunningTaskInterceptor(tasks::getObject));
	}

}
