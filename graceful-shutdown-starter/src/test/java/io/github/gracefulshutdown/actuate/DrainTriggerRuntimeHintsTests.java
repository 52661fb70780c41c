package io.github.gracefulshutdown.actuate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bodies the drain's trigger operations answer with are registered for binding in a
 * native image: the operations declare only their interface, so the actuator's own
 * processing of the endpoints does not reach them.
 */
class DrainTriggerRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	@ParameterizedTest
	@ValueSource(classes = { PreStopEndpoint.PreStopDescriptor.class, DrainTriggerGuard.Refusal.class })
	void theBodiesOfThePreStopHookAreRegisteredForBinding(Class<?> body) throws Exception {
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(this.hints, PreStopEndpoint.class);

		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(body.getDeclaredMethod(body.getRecordComponents()[0].getName()))).accepts(this.hints);
	}

	@ParameterizedTest
	@ValueSource(classes = { DrainDescriptor.class, DrainTriggerGuard.Refusal.class })
	void theBodiesOfTheDrainEndpointsPostAreRegisteredForBinding(Class<?> body) throws Exception {
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(this.hints,
				GracefulShutdownEndpointWebExtension.class);

		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(body.getDeclaredMethod(body.getRecordComponents()[0].getName()))).accepts(this.hints);
	}

}
