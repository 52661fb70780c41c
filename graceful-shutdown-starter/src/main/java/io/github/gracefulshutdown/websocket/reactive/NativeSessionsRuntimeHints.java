package io.github.gracefulshutdown.websocket.reactive;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.web.reactive.socket.adapter.AbstractWebSocketSession;

/**
 * Keeps {@link NativeSessions} working in a native image: it calls the protected
 * {@code getDelegate()} of WebFlux's sessions through reflection, which a native image
 * only allows for methods registered for it.
 */
class NativeSessionsRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection()
			.registerType(TypeReference.of(AbstractWebSocketSession.class),
					(hint) -> hint.withMethod(NativeSessions.GET_DELEGATE_METHOD, List.of(), ExecutableMode.INVOKE));
	}

}
