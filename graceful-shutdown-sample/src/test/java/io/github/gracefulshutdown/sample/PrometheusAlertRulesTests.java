package io.github.gracefulshutdown.sample;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Checks the Prometheus alert rules of {@code docs/prometheus}: every rule says what it
 * needs, reads series that the sample's {@code /actuator/prometheus} really exposes (or
 * that the Pushgateway adds), and is shown firing by a unit test; {@code promtool}
 * accepts the rules and passes those unit tests where it is installed (CI installs it).
 */
class PrometheusAlertRulesTests {

	static final Path RULES = Path.of("../docs/prometheus/graceful-shutdown-alerts.yaml");

	static final Path RULE_TESTS = Path.of("../docs/prometheus/graceful-shutdown-alerts.test.yaml");

	/**
	 * Added by the Pushgateway to every group it holds: when the group was last pushed.
	 */
	private static final String PUSH_TIME = "push_time_seconds";

	private static final YAMLMapper mapper = YAMLMapper.builder().build();

	private final List<JsonNode> rules = rules();

	@Test
	void everyRuleIsAnAlertThatSaysWhatItNeeds() {
		assertThat(this.rules).isNotEmpty();
		assertThat(this.rules).extracting((rule) -> rule.path("alert").asString()).doesNotHaveDuplicates();
		for (JsonNode rule : this.rules) {
			String alert = rule.path("alert").asString();
			assertThat(alert).as("alert name (recording rules have none)").isNotBlank();
			assertThat(rule.path("expr").asString()).as("expr of %s", alert).isNotBlank();
			assertThat(rule.path("labels").path("severity").asString()).as("severity of %s", alert)
				.isIn("info", "warning", "critical");
			for (String annotation : List.of("summary", "description", "requires")) {
				assertThat(rule.path("annotations").path(annotation).asString()).as("%s of %s", annotation, alert)
					.isNotBlank();
			}
		}
	}

	@Test
	void everyRuleReadsSeriesTheSampleExposesOrThePushgatewayAdds() {
		Set<String> scraped = ScrapedSeries.ofTheSample().all();
		for (JsonNode rule : this.rules) {
			String alert = rule.path("alert").asString();
			Set<String> read = new TreeSet<>(PromQlMetricNames.of(rule.path("expr").asString()));
			if (read.remove(PUSH_TIME)) {
				assertThat(rule.path("annotations").path("requires").asString())
					.as("requires of %s, which reads %s", alert, PUSH_TIME)
					.contains("Pushgateway");
			}
			assertThat(read).as("series read by %s", alert).isNotEmpty().isSubsetOf(scraped);
		}
	}

	@Test
	void everyAlertIsShownFiringByAUnitTest() throws Exception {
		JsonNode tests = mapper.readTree(RULE_TESTS.toFile());
		assertThat(tests.path("rule_files")).extracting(JsonNode::asString)
			.containsExactly(RULES.getFileName().toString());
		Set<String> shownFiring = new TreeSet<>();
		for (JsonNode test : tests.path("tests")) {
			for (JsonNode alertTest : test.path("alert_rule_test")) {
				if (!alertTest.path("exp_alerts").isEmpty()) {
					shownFiring.add(alertTest.path("alertname").asString());
				}
			}
		}
		assertThat(shownFiring).as("alerts shown firing in %s", RULE_TESTS)
			.containsExactlyInAnyOrderElementsOf(
					this.rules.stream().map((rule) -> rule.path("alert").asString()).toList());
	}

	@Test
	void promtoolAcceptsTheRulesAndPassesTheirUnitTests() throws Exception {
		Optional<Promtool> promtool = Promtool.find();
		assumeTrue(promtool.isPresent(),
				"promtool is not on the PATH: the rules and their unit tests were not run through it. "
						+ "Install it (Debian and Ubuntu: apt-get install prometheus) to run them.");
		assertThat(promtool.get().run("check rules", RULES)).contains("SUCCESS");
		assertThat(promtool.get().run("test rules", RULE_TESTS)).contains("SUCCESS");
	}

	private static List<JsonNode> rules() {
		List<JsonNode> rules = new ArrayList<>();
		for (JsonNode group : mapper.readTree(RULES.toFile()).path("groups")) {
			group.path("rules").forEach(rules::add);
		}
		return rules;
	}

}
