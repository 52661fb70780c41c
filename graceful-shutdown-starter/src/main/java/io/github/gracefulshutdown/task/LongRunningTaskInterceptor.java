package io.github.gracefulshutdown.task;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

/**
 * Runs each call of a method annotated with {@link LongRunningTask} as a long-running
 * task.
 */
final class LongRunningTaskInterceptor implements MethodInterceptor {

	private final Supplier<LongRunningTasks> tasks;

	/**
	 * The task's name by method and target class: subclasses that share an inherited
	 * method have names of their own.
	 */
	private final Map<MethodClassKey, String> names = new ConcurrentHashMap<>();

	LongRunningTaskInterceptor(Supplier<LongRunningTasks> tasks) {
		this.tasks = tasks;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		RunningTask task = this.tasks.get().begin(name(invocation));
		Object result;
		try {
			result = invocation.proceed();
		}
		catch (Throwable ex) {
			task.close();
			throw ex;
		}
		if (result instanceof CompletionStage<?> stage) {
			stage.whenComplete((value, failure) -> task.close());
		}
		else {
			task.close();
		}
		return result;
	}

	private String name(MethodInvocation invocation) {
		Class<?> targetClass = (invocation.getThis() != null) ? AopUtils.getTargetClass(invocation.getThis())
				: invocation.getMethod().getDeclaringClass();
		Method method = AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass);
		return this.names.computeIfAbsent(new MethodClassKey(method, targetClass), (key) -> {
			LongRunningTask annotation = AnnotatedElementUtils.findMergedAnnotation(method, LongRunningTask.class);
			if (annotation == null) {
				annotation = AnnotatedElementUtils.findMergedAnnotation(targetClass, LongRunningTask.class);
			}
			return (annotation != null && StringUtils.hasText(annotation.value())) ? annotation.value()
					: targetClass.getSimpleName() + "." + method.getName();
		});
	}

}
