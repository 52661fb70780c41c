package io.github.gracefulshutdown.autoconfigure;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * Matches when the application defines a Spring gRPC server factory, which Spring gRPC's
 * auto-configuration does when the application has services to serve and its server is
 * enabled. Looks the factory up only when Spring gRPC is on the classpath, so that other
 * applications pay nothing for it. Classes that use it must be ordered after the
 * auto-configurations that define the factory.
 */
class OnGrpcServerCondition extends SpringBootCondition implements ConfigurationCondition {

	private static final String SERVER_FACTORY_CLASS = "org.springframework.grpc.server.GrpcServerFactory";

	@Override
	public ConfigurationPhase getConfigurationPhase() {
		return ConfigurationPhase.REGISTER_BEAN;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("gRPC server");
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		if (beanFactory == null || !ClassUtils.isPresent(SERVER_FACTORY_CLASS, context.getClassLoader())) {
			return ConditionOutcome.noMatch(message.didNotFind("class").items(SERVER_FACTORY_CLASS));
		}
		Class<?> factoryType = ClassUtils.resolveClassName(SERVER_FACTORY_CLASS, context.getClassLoader());
		String[] factories = beanFactory.getBeanNamesForType(factoryType, true, false);
		if (factories.length == 0) {
			return ConditionOutcome.noMatch(message.didNotFind("server factory").atAll());
		}
		return ConditionOutcome.match(message.found("server factory", "server factories").items(factories));
	}

}
