package io.github.gracefulshutdown.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidDrainConfigurationException} at startup.
 */
class InvalidDrainConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidDrainConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidDrainConfigurationException cause) {
		return new FailureAnalysis("Invalid graceful shutdown configuration: " + cause.getMessage(), cause.getAction(),
				cause);
	}

}
