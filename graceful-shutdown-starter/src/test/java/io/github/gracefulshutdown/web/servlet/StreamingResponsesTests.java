package io.github.gracefulshutdown.web.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link StreamingResponses}, over requests and responses that stand in for the
 * server's.
 */
class StreamingResponsesTests {

	private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/events");

	private final MockHttpServletResponse server = new MockHttpServletResponse();

	private final EventStreamResponse response = new EventStreamResponse(this.server);

	private final AtomicInteger completions = new AtomicInteger();

	@Test
	void aStreamBetweenTwoEventsIsCompletedAtOnce() throws IOException {
		StreamingResponses streams = new StreamingResponses(Duration.ofMinutes(1));
		startStream(streams).write("data:tick\n\n".getBytes(StandardCharsets.UTF_8));

		streams.completeAll();

		assertThat(this.completions).hasValue(1);
		assertThat(streams.getOpen()).isZero();
		assertThat(streams.getCompletedByDrain()).isOne();
	}

	@Test
	void aStreamInTheMiddleOfAnEventIsCompletedOnceTheEventIsWhole() throws Exception {
		StreamingResponses streams = new StreamingResponses(Duration.ofMinutes(1));
		ServletOutputStream body = startStream(streams);
		body.write("data:tick\n".getBytes(StandardCharsets.UTF_8));
		Thread ending = startCompletingAll(streams);
		await().until(() -> ending.getState() == Thread.State.TIMED_WAITING);
		assertThat(this.completions).hasValue(0);

		body.write('\n');

		ending.join(Duration.ofSeconds(10).toMillis());
		assertThat(this.completions).hasValue(1);
		assertThat(this.server.getContentAsString()).isEqualTo("data:tick\n\n");
		assertThat(streams.getCompletedByDrain()).isOne();
	}

	@Test
	void aStreamStillWritingAnEventWhenTheWaitIsOverIsCompletedAnywayAndRefusesWrites() throws IOException {
		StreamingResponses streams = new StreamingResponses(Duration.ofMillis(50));
		ServletOutputStream body = startStream(streams);
		body.write("data:tick\n".getBytes(StandardCharsets.UTF_8));

		streams.completeAll();

		assertThat(this.completions).hasValue(1);
		assertThat(streams.getCompletedByDrain()).isOne();
		assertThatIOException().isThrownBy(() -> body.write('\n'));
	}

	@Test
	void aStreamThatFinishesWhileTheDrainWaitsForItsEventIsNotCompletedAgain() throws Exception {
		StreamingResponses streams = new StreamingResponses(Duration.ofMinutes(1));
		startStream(streams).write("data:tick\n".getBytes(StandardCharsets.UTF_8));
		Thread ending = startCompletingAll(streams);
		await().until(() -> ending.getState() == Thread.State.TIMED_WAITING);

		this.request.getAsyncContext().complete();

		ending.join(Duration.ofSeconds(10).toMillis());
		assertThat(ending.isAlive()).isFalse();
		assertThat(this.completions).hasValue(1);
		assertThat(streams.getCompletedByDrain()).isZero();
	}

	@Test
	void aStreamThatStartsOnceTheStreamsAreEndedIsEndedAtOnce() throws IOException {
		StreamingResponses streams = new StreamingResponses(Duration.ofMinutes(1));
		streams.completeAll();

		ServletOutputStream body = startStream(streams);

		assertThat(this.completions).hasValue(1);
		assertThat(streams.getCompletedByDrain()).isOne();
		assertThatIOException().isThrownBy(() -> body.write('x'));
	}

	@Test
	void whenInterruptedTheDrainCompletesTheStreamsStillWritingAnEventWithoutWaiting() throws IOException {
		StreamingResponses streams = new StreamingResponses(Duration.ofMinutes(1));
		startStream(streams).write("data:tick\n".getBytes(StandardCharsets.UTF_8));

		Thread.currentThread().interrupt();
		try {
			streams.completeAll();
		}
		finally {
			assertThat(Thread.interrupted()).isTrue();
		}

		assertThat(this.completions).hasValue(1);
		assertThat(streams.getCompletedByDrain()).isOne();
	}

	/**
	 * Starts the request's asynchronous processing, counting its completions, and
	 * registers its event stream.
	 */
	private ServletOutputStream startStream(StreamingResponses streams) throws IOException {
		this.request.setAsyncSupported(true);
		this.request.startAsync(this.request, this.response).addListener(new AsyncListener() {

			@Override
			public void onComplete(AsyncEvent event) {
				StreamingResponsesTests.this.completions.incrementAndGet();
			}

			@Override
			public void onTimeout(AsyncEvent event) {
			}

			@Override
			public void onError(AsyncEvent event) {
			}

			@Override
			public void onStartAsync(AsyncEvent event) {
			}

		});
		ServletOutputStream body = this.response.getOutputStream();
		streams.register(this.request, this.response);
		return body;
	}

	private static Thread startCompletingAll(StreamingResponses streams) {
		Thread ending = new Thread(streams::completeAll, "test-ending-streams");
		ending.setDaemon(true);
		ending.start();
		return ending;
	}

}
