package io.github.gracefulshutdown.web;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainTrigger;
import io.github.gracefulshutdown.drain.FixedPropagationWindow;
import io.github.gracefulshutdown.test.TestThreads;
import org.junit.jupiter.api.Test;

import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link StreamingResponseDrainTrigger}.
 */
class StreamingResponseDrainTriggerTests {

	@Test
	void whenEndingTheStreamsBlocksThenTheCloseGoesOnAndTheyEndLater() {
		GenericApplicationContext context = new GenericApplicationContext();
		DrainCoordinator coordinator = new DrainCoordinator(new FixedPropagationWindow(Duration.ZERO), List::of,
				Clock.systemUTC());
		coordinator.startDrain(DrainTrigger.APPLICATION);
		CountDownLatch writeToAStalledClient = new CountDownLatch(1);
		CountDownLatch streamsEnded = new CountDownLatch(1);
		StreamingResponseDrainTrigger trigger = new StreamingResponseDrainTrigger(context, coordinator, () -> {
			try {
				writeToAStalledClient.await();
				streamsEnded.countDown();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});

		CompletableFuture<Void> close = TestThreads
			.runInBackground(() -> trigger.onApplicationEvent(new ContextClosedEvent(context)));

		await().until(close::isDone);
		assertThat(streamsEnded.getCount()).isOne();
		writeToAStalledClient.countDown();
		await().until(() -> streamsEnded.getCount() == 0);
	}

}
