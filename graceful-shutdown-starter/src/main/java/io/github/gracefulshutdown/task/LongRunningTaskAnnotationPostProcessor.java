package io.github.gracefulshutdown.task;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.aop.Pointcut;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Proxies the beans that have methods annotated with {@link LongRunningTask}, the way
 * Spring proxies {@code @Async} methods: with Spring AOP's own proxies, without AspectJ.
 * Its advisor goes after those already there, so on an {@code @Async} method the task
 * begins on the executor's thread.
 * <p>
 * Most applications annotate few beans, or none, and Spring AOP's matching tries its
 * pointcut on every method of every bean class, searching each method's hierarchy: a
 * startup cost for nothing there, with the classes of the advisor and its pointcut. So
 * each bean class is first searched once, cheaply, for the annotation anywhere in its
 * hierarchy (on a type or a method, present or meta-present); only a class that has it
 * goes through the pointcut, and the advisor is built for the first such class.
 */
@SuppressWarnings("serial")
class LongRunningTaskAnnotationPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

	private final ObjectProvider<LongRunningTasks> tasks;

	private final Map<Class<?>, Boolean> annotatedClasses = new ConcurrentHashMap<>(256);

	LongRunningTaskAnnotationPostProcessor(ObjectProvider<LongRunningTasks> tasks) {
		this.tasks = tasks;
	}

	/**
	 * Whether some bean class had the annotation, so that the advisor was built.
	 * @return whether the advisor exists
	 */
	boolean isAdvising() {
		return this.advisor != null;
	}

	@Override
	public Class<?> determineBeanType(Class<?> beanClass, String beanName) {
		if (isAnnotated(beanClass)) {
			adviseOnce();
		}
		return super.determineBeanType(beanClass, beanName);
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (isAnnotated(bean.getClass()) || isAnnotated(AopUtils.getTargetClass(bean))) {
			adviseOnce();
		}
		return super.postProcessAfterInitialization(bean, beanName);
	}

	@Override
	protected boolean isEligible(Class<?> targetClass) {
		return isAnnotated(targetClass) && super.isEligible(targetClass);
	}

	private synchronized void adviseOnce() {
		if (this.advisor == null) {
			Pointcut pointcut = new ComposablePointcut(new AnnotationMatchingPointcut(LongRunningTask.class, true))
				.union(new AnnotationMatchingPointcut(null, LongRunningTask.class, true));
			this.advisor = new DefaultPointcutAdvisor(pointcut, new LongRunningTaskInterceptor(this.tasks::getObject));
		}
	}

	/**
	 * Whether the annotation is on the class, one of its superclasses or interfaces, or
	 * one of their methods, present or as a meta-annotation: everywhere the pointcut
	 * looks, and more, so that a class without it can skip the pointcut.
	 */
	private boolean isAnnotated(Class<?> type) {
		return this.annotatedClasses.computeIfAbsent(type,
				LongRunningTaskAnnotationPostProcessor::isAnnotatedInHierarchy);
	}

	private static boolean isAnnotatedInHierarchy(@Nullable Class<?> type) {
		if (type == null || cannotBeAnnotated(type)) {
			return false;
		}
		if (isAnnotatedHere(type) || isAnnotatedInHierarchy(type.getSuperclass())) {
			return true;
		}
		for (Class<?> implemented : type.getInterfaces()) {
			if (isAnnotatedInHierarchy(implemented)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether the type belongs to the JDK or to Spring, whose code knows nothing of the
	 * annotation: most bean classes of an application, and most of their hierarchies.
	 */
	private static boolean cannotBeAnnotated(Class<?> type) {
		String name = type.getName();
		return name.startsWith("java.") || name.startsWith("org.springframework.");
	}

	/**
	 * Reads the methods from Spring's cache of declared methods, which Spring fills for
	 * the bean classes it introspects anyway, rather than a fresh copy of every method.
	 */
	private static boolean isAnnotatedHere(Class<?> type) {
		try {
			if (hasTaskAnnotation(type.getDeclaredAnnotations())) {
				return true;
			}
			for (Method method : ReflectionUtils.getDeclaredMethods(type)) {
				if (hasTaskAnnotation(method.getDeclaredAnnotations())) {
					return true;
				}
			}
			return false;
		}
		catch (Throwable ex) {
			// A class that cannot be introspected: the pointcut decides, as it always did
			return true;
		}
	}

	private static boolean hasTaskAnnotation(Annotation[] annotations) {
		for (Annotation annotation : annotations) {
			Class<? extends Annotation> type = annotation.annotationType();
			if (type == LongRunningTask.class || (!cannotBeAnnotated(type)
					&& AnnotationUtils.isAnnotationMetaPresent(type, LongRunningTask.class))) {
				return true;
			}
		}
		return false;
	}

}
