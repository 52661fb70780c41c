package io.github.gracefulshutdown.autoconfigure;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition of {@link ConditionalOnDrain}: the drain is set up when the definition of
 * its budget, which {@link GracefulShutdownAutoConfiguration} always registers and which
 * no application replaces, is there.
 */
class OnDrainCondition extends SpringBootCondition implements ConfigurationCondition {

	@Override
	public ConfigurationPhase getConfigurationPhase() {
		return ConfigurationPhase.REGISTER_BEAN;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition(ConditionalOnDrain.class);
		BeanDefinitionRegistry registry = context.getRegistry();
		if (registry.containsBeanDefinition(GracefulShutdownAutoConfiguration.DRAIN_BUDGET_BEAN_NAME)) {
			return ConditionOutcome.match(
					message.found("bean definition").items(GracefulShutdownAutoConfiguration.DRAIN_BUDGET_BEAN_NAME));
		}
		return ConditionOutcome.noMatch(
				message.didNotFind("bean definition").items(GracefulShutdownAutoConfiguration.DRAIN_BUDGET_BEAN_NAME));
	}

}
