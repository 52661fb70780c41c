package io.github.gracefulshutdown.task;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Registers every call of the annotated method (or of every public method of the
 * annotated class) as a long-running task, the way {@link LongRunningTasks#call} would. A
 * method that returns a {@link java.util.concurrent.CompletionStage} counts until the
 * stage completes. Works on Spring beans called through their proxy, like {@code @Async},
 * and combines with it: an {@code @Async} method annotated with this counts, under this
 * name, while it runs on its executor. <pre class="code">
 * &#064;Async
 * &#064;LongRunningTask("transcode")
 * public CompletableFuture&lt;Video&gt; transcode(Video video) { ... }
 * </pre>
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface LongRunningTask {

	/**
	 * What the task is, as shown in logs and reports. Defaults to the simple name of the
	 * bean's class and the method's name, such as {@code ReportService.export}.
	 * @return the name of the task
	 */
	String value() default "";

}
