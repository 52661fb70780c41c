package io.github.gracefulshutdown.shutdown;

import java.time.Duration;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.github.gracefulshutdown.test.FaultTestApplication;
import io.github.gracefulshutdown.test.ForkedApplication;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The drain report in Spring Boot's structured logging: its fields are fields of the log
 * event, not only text in its message.
 */
class StructuredDrainReportTests {

	@Test
	void whenLogsAreElasticCommonSchemaThenTheReportFieldsAreNestedUnderDrain() throws Exception {
		DocumentContext event = drainReportEvent("ecs");

		assertThat(event.read("$.message", String.class)).startsWith("Drain report: {\"trigger\":\"CONTEXT_CLOSE\"");
		assertThat(event.read("$.drain.trigger", String.class)).isEqualTo("CONTEXT_CLOSE");
		assertThat(event.read("$.drain.totalMillis", Long.class)).isPositive();
		assertThat(event.read("$.drain.requestsCutOff", Integer.class)).isZero();
	}

	@Test
	void whenLogsAreLogstashThenTheReportFieldsAreFieldsOfTheEvent() throws Exception {
		DocumentContext event = drainReportEvent("logstash");

		assertThat(event.read("$['drain.trigger']", String.class)).isEqualTo("CONTEXT_CLOSE");
		assertThat(event.read("$['drain.totalMillis']", Long.class)).isPositive();
	}

	private DocumentContext drainReportEvent(String format) throws Exception {
		try (ForkedApplication application = ForkedApplication.start(FaultTestApplication.class, Map.of(),
				"--server.port=0", "--server.address=127.0.0.1", "--spring.main.cloud-platform=none",
				"--graceful-shutdown.delay=0s", "--graceful-shutdown.termination-message-path=",
				"--graceful-shutdown.websocket.enabled=false", "--logging.structured.format.console=" + format)) {
			application.awaitPort();

			application.sigterm();
			application.awaitExit(Duration.ofSeconds(30));

			String line = application.output()
				.lines()
				.filter((candidate) -> candidate.contains("Drain report: "))
				.findFirst()
				.orElseThrow();
			return JsonPath.parse(line);
		}
	}

}
