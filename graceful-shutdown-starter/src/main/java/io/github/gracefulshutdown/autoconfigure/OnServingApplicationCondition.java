package io.github.gracefulshutdown.autoconfigure;

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Conditional;

/**
 * Matches an application that serves clients, the kind a drain is for: a web application,
 * servlet or reactive, or an application whose server is Spring gRPC's, which runs
 * without a web server when none is on the classpath or
 * {@code spring.main.web-application-type} is {@code none}. Batch jobs, command-line
 * runners and gRPC clients are left alone: a propagation window would only hold up their
 * exit.
 */
class OnServingApplicationCondition extends AnyNestedCondition {

	OnServingApplicationCondition() {
		super(ConfigurationPhase.REGISTER_BEAN);
	}

	@ConditionalOnWebApplication
	static class WebApplication {

	}

	@Conditional(OnGrpcServerCondition.class)
	static class GrpcServer {

	}

}
