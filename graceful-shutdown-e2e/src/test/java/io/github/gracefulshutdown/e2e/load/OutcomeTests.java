package io.github.gracefulshutdown.e2e.load;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Outcome}.
 */
class OutcomeTests {

	@Test
	void onlyA2xxStatusIsASuccess() {
		assertThat(Outcome.ofStatus(200)).isEqualTo(Outcome.SUCCESS);
		assertThat(Outcome.ofStatus(204)).isEqualTo(Outcome.SUCCESS);
		assertThat(Outcome.ofStatus(302)).isEqualTo(Outcome.HTTP_ERROR);
		assertThat(Outcome.ofStatus(503)).isEqualTo(Outcome.HTTP_ERROR);
	}

	@Test
	void aRefusedConnectionIsRecognisedInsideTheClientsWrapping() {
		ConnectException refused = new ConnectException();
		refused.initCause(new ConnectException("Connection refused"));

		assertThat(Outcome.ofFailure(new CompletionException(refused))).isEqualTo(Outcome.REFUSED);
	}

	@Test
	void aResetOrAConnectionClosedBeforeTheResponseIsAReset() {
		assertThat(Outcome.ofFailure(new SocketException("Connection reset"))).isEqualTo(Outcome.RESET);
		assertThat(Outcome.ofFailure(new IOException("HTTP/1.1 header parser received no bytes")))
			.isEqualTo(Outcome.RESET);
		assertThat(Outcome.ofFailure(new CompletionException(new EOFException("EOF reached while reading"))))
			.isEqualTo(Outcome.RESET);
	}

	@Test
	void requestAndConnectTimeoutsAreTimeouts() {
		assertThat(Outcome.ofFailure(new HttpTimeoutException("request timed out"))).isEqualTo(Outcome.TIMEOUT);
		assertThat(Outcome.ofFailure(new HttpConnectTimeoutException("HTTP connect timed out")))
			.isEqualTo(Outcome.TIMEOUT);
	}

	@Test
	void anythingElseIsAnotherIoFailure() {
		assertThat(Outcome.ofFailure(new IOException("too many open files"))).isEqualTo(Outcome.OTHER_IO);
		assertThat(Outcome.ofFailure(new IllegalStateException())).isEqualTo(Outcome.OTHER_IO);
	}

}
