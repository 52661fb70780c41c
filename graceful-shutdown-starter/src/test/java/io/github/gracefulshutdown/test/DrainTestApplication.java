package io.github.gracefulshutdown.test;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import reactor.core.publisher.Flux;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * A small web application for tests that run a real server.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(DrainTestApplication.TestController.class)
public class DrainTestApplication {

	@RestController
	public static class TestController {

		private final CountDownLatch release = new CountDownLatch(1);

		private final AtomicInteger entered = new AtomicInteger();

		private final List<DeferredResult<String>> deferred = new CopyOnWriteArrayList<>();

		private final List<AtomicLong> floodLastSends = new CopyOnWriteArrayList<>();

		private final CountDownLatch floods = new CountDownLatch(1);

		private final ScheduledExecutorService streams = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "test-streams");
			thread.setDaemon(true);
			return thread;
		});

		@GetMapping("/hello")
		String hello() {
			return "hello";
		}

		/**
		 * Answers only once the test calls {@link #release()} (or after 30 seconds).
		 * @return the body
		 * @throws InterruptedException if interrupted while waiting
		 */
		@GetMapping("/blocking")
		String blocking() throws InterruptedException {
			this.entered.incrementAndGet();
			this.release.await(30, TimeUnit.SECONDS);
			return "released";
		}

		/**
		 * Like {@link #blocking()}, but ignores interrupts, the way a call stuck in a
		 * socket read does.
		 * @return the body
		 */
		@GetMapping("/stuck")
		String stuck() {
			this.entered.incrementAndGet();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (this.release.getCount() > 0 && System.nanoTime() < deadline) {
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
			}
			return "released";
		}

		/**
		 * Answers asynchronously, from another thread, through a {@link Callable}.
		 * @return the body, later
		 */
		@GetMapping("/callable")
		Callable<String> callable() {
			return () -> "called";
		}

		/**
		 * Answers asynchronously once the test calls {@link #completeDeferred()}.
		 * @return the body, later
		 */
		@GetMapping("/deferred")
		DeferredResult<String> deferred() {
			DeferredResult<String> result = new DeferredResult<>(30_000L);
			this.deferred.add(result);
			return result;
		}

		/**
		 * Fails, so that the request goes through an error dispatch.
		 * @return never
		 */
		@GetMapping("/fail")
		String fail() {
			throw new IllegalStateException("Failing on purpose");
		}

		public void completeDeferred() {
			this.deferred.forEach((result) -> result.setResult("deferred"));
		}

		/**
		 * Streams a server-sent event every 100 milliseconds for up to a minute.
		 * @return the event stream
		 */
		@GetMapping("/events")
		SseEmitter events() {
			return ticks(0);
		}

		private SseEmitter ticks(long firstAfterMillis) {
			SseEmitter emitter = new SseEmitter(60_000L);
			ScheduledFuture<?> ticks = this.streams.scheduleAtFixedRate(() -> {
				try {
					emitter.send("tick");
				}
				catch (IOException | IllegalStateException ex) {
					emitter.completeWithError(ex);
				}
			}, firstAfterMillis, 100, TimeUnit.MILLISECONDS);
			emitter.onCompletion(() -> ticks.cancel(false));
			emitter.onError((ex) -> ticks.cancel(false));
			return emitter;
		}

		/**
		 * Once the test calls {@link #startFloods()}, streams server-sent events of 64
		 * KB, one after the other, from a thread of its own, for up to a minute: a client
		 * that stops reading fills the buffers of its connection, and the thread then
		 * waits in a write.
		 * @return the event stream
		 */
		@GetMapping("/events-flood")
		SseEmitter eventsFlood() {
			SseEmitter emitter = new SseEmitter(60_000L);
			AtomicLong lastSend = new AtomicLong(Long.MAX_VALUE);
			this.floodLastSends.add(lastSend);
			Thread writer = new Thread(() -> {
				String event = "x".repeat(65_536);
				long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
				try {
					this.floods.await(1, TimeUnit.MINUTES);
					lastSend.set(System.nanoTime());
					while (System.nanoTime() < deadline) {
						emitter.send(event);
						lastSend.set(System.nanoTime());
					}
				}
				catch (IOException | IllegalStateException ex) {
					// The stream is over
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}, "test-flood");
			writer.setDaemon(true);
			writer.start();
			return emitter;
		}

		/**
		 * Starts the {@link #eventsFlood() flooding streams}.
		 */
		public void startFloods() {
			this.floods.countDown();
		}

		/**
		 * Returns how many {@link #eventsFlood() flooding streams} have sent nothing for
		 * a while since they started: their clients have stopped reading.
		 * @param quiet how long a stream must have sent nothing
		 * @return the stalled streams
		 */
		public long stalledFloods(Duration quiet) {
			long now = System.nanoTime();
			return this.floodLastSends.stream()
				.mapToLong(AtomicLong::get)
				.filter((lastSend) -> lastSend != Long.MAX_VALUE && now - lastSend > quiet.toNanos())
				.count();
		}

		/**
		 * The same event stream from a handler method that declares a plain
		 * {@link ResponseBodyEmitter}, its first event half a second after the request
		 * went asynchronous.
		 * @return the event stream
		 */
		@GetMapping("/events-emitter")
		ResponseBodyEmitter eventsFromAnEmitter() {
			return ticks(500);
		}

		/**
		 * A server-sent event every 100 milliseconds for up to a minute, from a
		 * {@code Flux}.
		 * @return the events
		 */
		@GetMapping("/events-flux")
		Flux<ServerSentEvent<String>> eventsFromAFlux() {
			return Flux.interval(Duration.ofMillis(100))
				.onBackpressureDrop()
				.take(600)
				.map((tick) -> ServerSentEvent.builder("tick").id(Long.toString(tick)).build());
		}

		/**
		 * A server-sent event every 100 milliseconds for up to a minute, from a
		 * {@code Flux} of strings mapped to produce {@code text/event-stream}.
		 * @return the events
		 */
		@GetMapping(path = "/events-produced", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
		Flux<String> eventsProduced() {
			return Flux.interval(Duration.ofMillis(100)).onBackpressureDrop().take(600).map((tick) -> "tick");
		}

		/**
		 * Downloads a long line every 100 milliseconds until the test calls
		 * {@link #release()} (or for a minute), then a last line {@code end}, from a
		 * {@link StreamingResponseBody}. Each line is longer than the server's response
		 * buffer, as flushing the stream does not reach the network. Interrupted, as
		 * Spring MVC interrupts a download the server stops, it fails: it is unfinished.
		 * @return the body
		 */
		@GetMapping("/lines")
		StreamingResponseBody lines() {
			byte[] line = ("x".repeat(16 * 1024) + "\n").getBytes(StandardCharsets.UTF_8);
			return (out) -> {
				long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
				while (this.release.getCount() > 0 && System.nanoTime() < deadline) {
					out.write(line);
					try {
						this.release.await(100, TimeUnit.MILLISECONDS);
					}
					catch (InterruptedException ex) {
						// Spring MVC cancels the download when the server stops it:
						// unfinished
						Thread.currentThread().interrupt();
						throw new InterruptedIOException("Download interrupted");
					}
				}
				out.write("end\n".getBytes(StandardCharsets.UTF_8));
			};
		}

		/**
		 * Streams an answer as server-sent events to a {@code POST}, one every 100
		 * milliseconds until the test calls {@link #release()} (or for a minute), then a
		 * last event {@code end}: a finite stream, as a generated answer is.
		 * @return the event stream
		 */
		@PostMapping("/answer")
		SseEmitter answer() {
			return sendUntilReleased(new SseEmitter(60_000L), "token", "end");
		}

		/**
		 * The same download from a plain {@link ResponseBodyEmitter}: a long line every
		 * 100 milliseconds until the test calls {@link #release()} (or for a minute),
		 * then a last line {@code end}.
		 * @return the emitter
		 */
		@GetMapping("/lines-emitter")
		ResponseBodyEmitter linesFromAnEmitter() {
			return sendUntilReleased(new ResponseBodyEmitter(60_000L), "x".repeat(16 * 1024) + "\n", "end\n");
		}

		/**
		 * Sends an item every 100 milliseconds until the test calls {@link #release()},
		 * then a last item, and completes.
		 */
		private <E extends ResponseBodyEmitter> E sendUntilReleased(E emitter, Object item, Object last) {
			AtomicBoolean ended = new AtomicBoolean();
			ScheduledFuture<?> sends = this.streams.scheduleAtFixedRate(() -> {
				try {
					if (this.release.getCount() > 0) {
						emitter.send(item);
					}
					else if (ended.compareAndSet(false, true)) {
						emitter.send(last);
						emitter.complete();
					}
				}
				catch (IOException | IllegalStateException ex) {
					emitter.completeWithError(ex);
				}
			}, 0, 100, TimeUnit.MILLISECONDS);
			emitter.onCompletion(() -> sends.cancel(false));
			emitter.onError((ex) -> sends.cancel(false));
			return emitter;
		}

		public int entered() {
			return this.entered.get();
		}

		public void release() {
			this.release.countDown();
		}

	}

}
