package io.github.gracefulshutdown.test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

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

		public int entered() {
			return this.entered.get();
		}

		public void release() {
			this.release.countDown();
		}

	}

}
