package io.github.gracefulshutdown.report;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.task.TaskDrainAutoConfiguration;
import io.github.gracefulshutdown.test.TestDefaults;
import io.github.gracefulshutdown.web.servlet.ServletDrainAutoConfiguration;
import io.github.gracefulshutdown.websocket.WebSocketDrainAutoConfiguration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the figures each part of a servlet application adds to the drain report.
 */
class DrainReportFiguresTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(GracefulShutdownAutoConfiguration.class, ServletDrainAutoConfiguration.class,
						WebSocketDrainAutoConfiguration.class, TaskDrainAutoConfiguration.class))
		.withPropertyValues(TestDefaults.PROPERTIES)
		// On without endpoints, whose configuration would add nothing to the report
		.withPropertyValues("graceful-shutdown.websocket.enabled=true");

	@Test
	void everyPartAddsItsFiguresOnceInTheOrderOfTheReport() {
		this.runner.run((context) -> {
			Map<String, @Nullable Object> figures = new LinkedHashMap<>();
			context.getBeanProvider(DrainReportContributor.class)
				.orderedStream()
				.forEach((contributor) -> contributor.contribute(null, figures));

			assertThat(figures.keySet()).containsExactly("requestsInFlight", "requestsReceivedWhileDraining",
					"propagationLagMillis", "requestsCutOff", "streamsOpen", "streamsCompletedByDrain", "tasksActive",
					"tasksQueued", "tasksCompletedDuringDrain", "tasksCutOff", "websocketSessionsOpen",
					"websocketSessionsClosedCleanly", "websocketSessionsForceClosed", "websocketSessionsAlreadyGone",
					"websocketSessionsFailed", "websocketHandshakesRejected");
			assertThat(figures.values()).containsOnly(0, 0L, null);
		});
	}

}
