package io.github.gracefulshutdown.sample.webflux;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An endpoint whose duration each request chooses, standing for the real work of a
 * service. The work waits without holding a thread, as reactive code does.
 */
@RestController
class WorkController {

	private static final Log logger = LogFactory.getLog(WorkController.class);

	private static final long LONGEST_MILLIS = 60_000;

	private final String instance;

	WorkController(@Value("${sample.instance:${HOSTNAME:local}}") String instance) {
		this.instance = instance;
	}

	/**
	 * Works for the given time, then answers with the name of the instance that did it.
	 * @param millis how long to work, at most one minute
	 * @return what was done and where
	 */
	@GetMapping("/work")
	Mono<ResponseEntity<String>> work(@RequestParam(defaultValue = "0") long millis) {
		long duration = Math.max(0, Math.min(millis, LONGEST_MILLIS));
		if (duration >= 1000) {
			logger.info("Working for " + duration + " ms");
		}
		return Mono.delay(Duration.ofMillis(duration))
			.map((done) -> ResponseEntity.ok()
				.header("X-Instance", this.instance)
				.body("worked " + duration + " ms on " + this.instance + "\n"));
	}

}
