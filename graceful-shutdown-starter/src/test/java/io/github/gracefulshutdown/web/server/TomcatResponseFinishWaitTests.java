package io.github.gracefulshutdown.web.server;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.gracefulshutdown.drain.RequestActivity;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleEvent;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardService;
import org.apache.tomcat.util.threads.TaskQueue;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Tests for {@link TomcatResponseFinishWait}, with Tomcat's own worker thread pool.
 */
@ExtendWith(OutputCaptureExtension.class)
class TomcatResponseFinishWaitTests {

	private final ThreadPoolExecutor workers = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new TaskQueue());

	private final CountDownLatch release = new CountDownLatch(1);

	private final RequestActivity requests = new RequestActivity();

	private final Connector connector = new Connector();

	@AfterEach
	void stopWorkers() {
		this.release.countDown();
		this.workers.shutdownNow();
	}

	@Test
	void waitsUntilNoMoreWorkerThreadsAreBusyThanRequestsAreInFlight(CapturedOutput output) throws Exception {
		keepAWorkerThreadBusy();
		Thread waiting = new Thread(
				() -> new TomcatResponseFinishWait(this.requests, Duration.ofMinutes(1)).lifecycleEvent(beforeStop()),
				"connector-stop");
		waiting.start();
		await().until(() -> waiting.getState() == Thread.State.TIMED_WAITING);

		this.release.countDown();

		waiting.join(TimeUnit.SECONDS.toMillis(30));
		assertThat(waiting.isAlive()).isFalse();
		assertThat(output).doesNotContain("still busy");
	}

	@Test
	void aWorkerThreadBusyWithARequestInFlightIsNotWaitedFor(CapturedOutput output) {
		keepAWorkerThreadBusy();
		this.requests.requestReceived(false);

		assertTimeoutPreemptively(Duration.ofSeconds(30),
				() -> new TomcatResponseFinishWait(this.requests, Duration.ofMinutes(1)).lifecycleEvent(beforeStop()));
		assertThat(output).doesNotContain("still busy");
	}

	@Test
	void aWorkerThreadStillBusyAtTheTimeoutIsNamedInTheLog(CapturedOutput output) {
		keepAWorkerThreadBusy();

		new TomcatResponseFinishWait(this.requests, Duration.ofMillis(50)).lifecycleEvent(beforeStop());

		assertThat(output).contains("1 Tomcat worker thread was still busy, with no request in flight, when the"
				+ " connector stopped: a response it was finishing may have been cut off");
	}

	@Test
	void theConnectorsOfOneServerShareTheWait() {
		AtomicLong nanoTime = new AtomicLong();
		TomcatResponseFinishWait wait = new TomcatResponseFinishWait(this.requests, Duration.ofSeconds(1),
				nanoTime::get);
		StandardService service = new StandardService();
		Connector other = new Connector();
		service.addConnector(this.connector);
		service.addConnector(other);
		keepAWorkerThreadBusy();
		other.getProtocolHandler().setExecutor(this.workers);
		Thread waiting = new Thread(() -> wait.lifecycleEvent(beforeStop()), "connector-stop");
		waiting.start();
		await().until(() -> waiting.getState() == Thread.State.TIMED_WAITING);
		nanoTime.addAndGet(Duration.ofSeconds(1).toNanos());
		await().until(() -> !waiting.isAlive());

		assertTimeoutPreemptively(Duration.ofSeconds(30),
				() -> wait.lifecycleEvent(new LifecycleEvent(other, Lifecycle.BEFORE_STOP_EVENT, null)),
				"the other connector's wait, whose time the first connector's used");
	}

	@Test
	void afterAConnectorStartedAgainItsNextStopWaitsAnew() {
		AtomicLong nanoTime = new AtomicLong();
		TomcatResponseFinishWait wait = new TomcatResponseFinishWait(this.requests, Duration.ofSeconds(1),
				nanoTime::get);
		new StandardService().addConnector(this.connector);
		keepAWorkerThreadBusy();
		assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
			Thread first = new Thread(() -> wait.lifecycleEvent(beforeStop()), "first-stop");
			first.start();
			await().until(() -> first.getState() == Thread.State.TIMED_WAITING);
			nanoTime.addAndGet(Duration.ofSeconds(1).toNanos());
			first.join();
		});

		wait.lifecycleEvent(new LifecycleEvent(this.connector, Lifecycle.AFTER_START_EVENT, null));
		Thread second = new Thread(() -> wait.lifecycleEvent(beforeStop()), "second-stop");
		second.start();

		await().until(() -> second.getState() == Thread.State.TIMED_WAITING);
		nanoTime.addAndGet(Duration.ofSeconds(1).toNanos());
		await().until(() -> !second.isAlive());
	}

	@Test
	void otherEventsAreIgnored(CapturedOutput output) {
		keepAWorkerThreadBusy();

		assertTimeoutPreemptively(Duration.ofSeconds(30),
				() -> new TomcatResponseFinishWait(this.requests, Duration.ofMinutes(1))
					.lifecycleEvent(new LifecycleEvent(this.connector, Lifecycle.AFTER_STOP_EVENT, null)));
		assertThat(output).doesNotContain("still busy");
	}

	private void keepAWorkerThreadBusy() {
		this.connector.getProtocolHandler().setExecutor(this.workers);
		this.workers.execute(() -> {
			try {
				this.release.await(1, TimeUnit.MINUTES);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		await().until(() -> this.workers.getActiveCount() == 1);
	}

	private LifecycleEvent beforeStop() {
		return new LifecycleEvent(this.connector, Lifecycle.BEFORE_STOP_EVENT, null);
	}

}
