package io.github.gracefulshutdown.startup;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A small web application, one controller and no code of the starter, so that it runs the
 * same with the starter on its classpath and without: {@code startup.sh} launches it on
 * the sample's libraries, once with all of them and once without the starter's jar, to
 * measure what the starter costs at startup.
 */
@SpringBootApplication
public class StartupApplication {

	public static void main(String[] args) {
		SpringApplication.run(StartupApplication.class, args);
	}

	@RestController
	static class HelloController {

		@GetMapping("/hello")
		String hello() {
			return "hello\n";
		}

	}

}
