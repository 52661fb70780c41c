package io.github.gracefulshutdown.websocket.reactive;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.web.reactive.socket.adapter.AbstractWebSocketSession;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link NativeSessionsRuntimeHints}.
 */
class NativeSessionsRuntimeHintsTests {

	@Test
	void theMethodThatReturnsTheServersOwnSessionIsRegisteredForInvocation() {
		RuntimeHints hints = new RuntimeHints();

		new NativeSessionsRuntimeHints().registerHints(hints, getClass().getClassLoader());

		assertThat(
				RuntimeHintsPredicates.reflection().onMethodInvocation(AbstractWebSocketSession.class, "getDelegate"))
			.accepts(hints);
	}

	@Test
	void theReactiveWebSocketAutoConfigurationImportsTheHints() {
		assertThat(MergedAnnotations.from(ReactiveWebSocketDrainAutoConfiguration.class)
			.get(ImportRuntimeHints.class)
			.getClassArray("value")).containsExactly(NativeSessionsRuntimeHints.class);
	}

}
