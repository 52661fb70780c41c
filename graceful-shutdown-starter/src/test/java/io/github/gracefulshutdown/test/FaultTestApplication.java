package io.github.gracefulshutdown.test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.github.gracefulshutdown.drain.DrainListener;
import io.github.gracefulshutdown.drain.event.DrainStartedEvent;
import io.github.gracefulshutdown.task.LongRunningTasks;
import jakarta.annotation.PreDestroy;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A web application, run in a JVM of its own by {@link ForkedApplication}, with faults
 * switched on by properties: user code that misbehaves during the shutdown. Each fault
 * ignores interrupts, as code stuck in a socket read does.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({ FaultTestApplication.Endpoints.class, FaultTestApplication.Faults.class })
public class FaultTestApplication {

	public static void main(String[] args) {
		SpringApplication.run(FaultTestApplication.class, args);
	}

	static void stall(Duration duration) {
		long deadline = System.nanoTime() + duration.toNanos();
		while (System.nanoTime() < deadline) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
		}
	}

	@RestController
	static class Endpoints {

		@GetMapping("/hello")
		String hello() {
			return "hello";
		}

		/**
		 * A request that never ends within any grace period.
		 * @return never
		 */
		@GetMapping("/never")
		String never() {
			stall(Duration.ofMinutes(10));
			return "late";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Faults {

		@Bean
		@ConditionalOnProperty("fault.drain-started-listener-stall")
		Object stallingDrainStartedListener(@Value("${fault.drain-started-listener-stall}") Duration stall) {
			return new StallingDrainStartedListener(stall);
		}

		@Bean
		@ConditionalOnProperty("fault.throwing-drain-started-listener")
		Object throwingDrainStartedListener() {
			return new ThrowingDrainStartedListener();
		}

		@Bean
		@ConditionalOnProperty("fault.runner-stall")
		ApplicationRunner stallingRunner(@Value("${fault.runner-stall}") Duration stall) {
			return (args) -> {
				System.out.println("Runner started");
				stall(stall);
				System.out.println("Runner finished");
			};
		}

		@Bean
		@ConditionalOnProperty("fault.task-that-never-ends")
		ApplicationRunner taskThatNeverEnds(LongRunningTasks tasks) {
			return (arguments) -> {
				tasks.begin("Task that never ends");
				System.out.println("Task that never ends began");
			};
		}

		@Bean
		@ConditionalOnProperty("fault.lifecycle-stop-stall")
		SmartLifecycle stallingLifecycle(@Value("${fault.lifecycle-stop-stall}") Duration stall) {
			return new StallingLifecycle(stall);
		}

		/**
		 * A drain listener created only when the drain starts, whose creation never ends
		 * (its constructor connects to a server that does not answer): it holds Spring's
		 * lock on singletons for good.
		 * @return never
		 */
		@Bean
		@Lazy
		@ConditionalOnProperty("fault.drain-listener-creation-hangs")
		DrainListener drainListenerWhoseCreationHangs() {
			System.out.println("Creating a drain listener that hangs");
			stall(Duration.ofMinutes(10));
			return new DrainListener() {
			};
		}

		@Bean
		@ConditionalOnProperty("fault.unanswered-stops")
		SmartLifecycle unansweredStop() {
			return new UnansweredStopLifecycle(Integer.MAX_VALUE - 100);
		}

		@Bean
		@ConditionalOnProperty("fault.unanswered-stops")
		SmartLifecycle secondUnansweredStop() {
			return new UnansweredStopLifecycle(Integer.MAX_VALUE - 200);
		}

		@Bean
		@ConditionalOnProperty("fault.startup-stall")
		Object stallingStartup(@Value("${fault.startup-stall}") Duration stall) {
			System.out.println("Slow bean starting");
			stall(stall);
			return new Object();
		}

		/**
		 * A bean slow to destroy, created even when the application initializes its beans
		 * lazily.
		 * @param stall how long its destruction takes
		 * @return the bean
		 */
		@Bean
		@Lazy(false)
		@ConditionalOnProperty("fault.destroy-stall")
		Object stallingDestroy(@Value("${fault.destroy-stall}") Duration stall) {
			return new StallingDestroy(stall);
		}

	}

	static final class StallingDrainStartedListener {

		private final Duration stall;

		StallingDrainStartedListener(Duration stall) {
			this.stall = stall;
		}

		@EventListener
		void deregister(DrainStartedEvent event) {
			System.out.println("Deregistering from a registry that does not answer");
			stall(this.stall);
		}

	}

	static final class ThrowingDrainStartedListener {

		@EventListener
		void fail(DrainStartedEvent event) {
			throw new AssertionError("Failing drain listener");
		}

	}

	/**
	 * Stops at the phase of message listener containers, slowly.
	 */
	static final class StallingLifecycle implements SmartLifecycle {

		private final Duration stall;

		private volatile boolean running;

		StallingLifecycle(Duration stall) {
			this.stall = stall;
		}

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			System.out.println("Slow lifecycle stopping");
			stall(this.stall);
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return Integer.MAX_VALUE - 100;
		}

	}

	/**
	 * Is told to stop, asynchronously, and never says it has: a message listener
	 * container whose consumer does not return.
	 */
	static final class UnansweredStopLifecycle implements SmartLifecycle {

		private final int phase;

		private volatile boolean running;

		UnansweredStopLifecycle(int phase) {
			this.phase = phase;
		}

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			this.running = false;
		}

		@Override
		public void stop(Runnable callback) {
			System.out.println("Lifecycle of phase " + this.phase + " stopping without an answer");
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return this.phase;
		}

	}

	static final class StallingDestroy {

		private final Duration stall;

		StallingDestroy(Duration stall) {
			this.stall = stall;
		}

		@PreDestroy
		void close() {
			System.out.println("Slow bean destruction");
			stall(this.stall);
		}

	}

}
