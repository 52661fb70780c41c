package io.github.gracefulshutdown.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when {@link GracefulShutdownAutoConfiguration} has set up the drain, for the
 * integrations that build on it. Unlike
 * {@code @ConditionalOnBean(DrainCoordinator.class)} it looks up one bean definition by
 * name instead of predicting the type of every bean definition of the application, a cost
 * each such condition added to every startup. Classes that use it must be ordered after
 * {@link GracefulShutdownAutoConfiguration}.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnDrainCondition.class)
public @interface ConditionalOnDrain {

}
