package io.github.gracefulshutdown.sample.webflux;

import java.net.URI;
import java.time.Duration;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Long-running jobs, standing for the work a request starts and does not wait for (a
 * transcode, an export): {@code POST /jobs?seconds=N} starts one and answers 202 at once,
 * {@code GET /jobs/{id}} tells how it is going.
 */
@RestController
class JobController {

	private static final long LONGEST_SECONDS = 3600;

	private final JobService jobs;

	JobController(JobService jobs) {
		this.jobs = jobs;
	}

	@PostMapping("/jobs")
	ResponseEntity<String> start(@RequestParam(defaultValue = "10") long seconds) {
		long id = this.jobs.start(Duration.ofSeconds(Math.max(1, Math.min(seconds, LONGEST_SECONDS))));
		return ResponseEntity.accepted().location(URI.create("/jobs/" + id)).body("job " + id + " accepted\n");
	}

	@GetMapping("/jobs/{id}")
	ResponseEntity<String> state(@PathVariable long id) {
		return this.jobs.state(id)
			.map((state) -> ResponseEntity.ok("job " + id + ": " + state + "\n"))
			.orElseGet(() -> ResponseEntity.notFound().build());
	}

}
