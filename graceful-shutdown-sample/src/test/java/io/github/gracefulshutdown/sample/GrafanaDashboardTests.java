package io.github.gracefulshutdown.sample;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the Grafana dashboard of {@code docs/grafana}: Grafana publishes no JSON schema
 * of its classic dashboard model (its schemas are CUE), so these structural checks stand
 * in for one. The dashboard imports with its data source as an input, every panel has a
 * place of its own and queries that data source, every query reads series that the
 * sample's {@code /actuator/prometheus} really exposes, and every meter of the starter is
 * on it.
 */
class GrafanaDashboardTests {

	static final Path DASHBOARD = Path.of("../docs/grafana/graceful-shutdown-dashboard.json");

	/**
	 * The data source input that Grafana's import asks for.
	 */
	private static final String DATASOURCE_UID = "${DS_PROMETHEUS}";

	/**
	 * Grafana 11's dashboard schema; newer Grafanas migrate it when they load it.
	 */
	private static final int SCHEMA_VERSION = 39;

	private static final int GRID_COLUMNS = 24;

	private static final Set<String> GRAFANA_VARIABLES = Set.of("__rate_interval", "__range", "__interval");

	private static final Pattern VARIABLE = Pattern.compile("\\$(\\w+)|\\$\\{(\\w+)}");

	private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");

	private final JsonNode dashboard = JsonMapper.builder().build().readTree(DASHBOARD.toFile());

	@Test
	void dashboardImportsWithItsPrometheusDataSourceAsAnInput() {
		assertThat(this.dashboard.path("__inputs")).as("__inputs")
			.anySatisfy((input) -> assertThat(List.of(input.path("name").asString(), input.path("type").asString(),
					input.path("pluginId").asString()))
				.containsExactly("DS_PROMETHEUS", "datasource", "prometheus"));
		assertThat(this.dashboard.path("id").isNull()).as("id is null, so that an import creates the dashboard")
			.isTrue();
		assertThat(this.dashboard.path("uid").asString()).isNotBlank();
		assertThat(this.dashboard.path("title").asString()).isNotBlank();
		assertThat(this.dashboard.path("schemaVersion").asInt()).isEqualTo(SCHEMA_VERSION);
		for (JsonNode variable : this.dashboard.path("templating").path("list")) {
			assertThat(variable.path("datasource").path("uid").asString())
				.as("data source of variable %s", variable.path("name"))
				.isEqualTo(DATASOURCE_UID);
		}
	}

	@Test
	void everyPanelHasAPlaceOfItsOwnAndQueriesTheDataSource() {
		List<JsonNode> panels = panels();
		assertThat(panels).isNotEmpty();
		assertThat(panels).extracting((panel) -> panel.path("id").asInt()).doesNotHaveDuplicates();
		Set<String> cells = new HashSet<>();
		for (JsonNode panel : panels) {
			String title = panel.path("title").asString();
			assertThat(title).as("title of panel %s", panel.path("id")).isNotBlank();
			JsonNode grid = panel.path("gridPos");
			int x = grid.path("x").asInt();
			int width = grid.path("w").asInt();
			assertThat(width).as("width of %s", title).isPositive();
			assertThat(x + width).as("right edge of %s", title).isLessThanOrEqualTo(GRID_COLUMNS);
			for (int row = grid.path("y").asInt(); row < grid.path("y").asInt() + grid.path("h").asInt(); row++) {
				for (int column = x; column < x + width; column++) {
					assertThat(cells.add(row + "," + column))
						.as("%s overlaps another panel at row %d, column %d", title, row, column)
						.isTrue();
				}
			}
			if (panel.path("type").asString().equals("row")) {
				continue;
			}
			assertThat(panel.path("type").asString()).as("type of %s", title).isIn("timeseries", "stat");
			assertThat(panel.path("description").asString()).as("description of %s", title).isNotBlank();
			assertThat(panel.path("datasource").path("uid").asString()).as("data source of %s", title)
				.isEqualTo(DATASOURCE_UID);
			assertThat(panel.path("targets")).as("targets of %s", title).isNotEmpty();
			assertThat(panel.path("targets")).extracting((target) -> target.path("refId").asString())
				.as("refIds of %s", title)
				.doesNotHaveDuplicates();
			for (JsonNode target : panel.path("targets")) {
				assertThat(target.path("datasource").path("uid").asString()).as("data source of a query of %s", title)
					.isEqualTo(DATASOURCE_UID);
				assertThat(target.path("expr").asString()).as("query of %s", title).isNotBlank();
			}
		}
	}

	@Test
	void everyQueryReadsSeriesTheSampleExposesAndUsesDefinedVariables() {
		ScrapedSeries scraped = ScrapedSeries.ofTheSample();
		Set<String> defined = new HashSet<>(GRAFANA_VARIABLES);
		for (JsonNode variable : this.dashboard.path("templating").path("list")) {
			defined.add(variable.path("name").asString());
			String query = variable.path("query").path("query").asString();
			Matcher metric = LABEL_VALUES.matcher(query);
			assertThat(metric.find()).as("label_values(metric, label) in variable %s", variable.path("name")).isTrue();
			assertThat(scraped.all()).as("series read by variable %s", variable.path("name")).contains(metric.group(1));
		}
		for (String expression : expressions()) {
			assertThat(PromQlMetricNames.of(expression)).as("series read by %s", expression)
				.isNotEmpty()
				.isSubsetOf(scraped.all());
			Matcher variable = VARIABLE.matcher(expression);
			while (variable.find()) {
				String name = (variable.group(1) != null) ? variable.group(1) : variable.group(2);
				assertThat(defined).as("variables that %s can use", expression).contains(name);
			}
		}
	}

	@Test
	void everyMeterOfTheStarterIsOnTheDashboard() {
		Set<String> read = new TreeSet<>();
		expressions().forEach((expression) -> read.addAll(PromQlMetricNames.of(expression)));
		assertThat(read).as("series the dashboard reads").containsAll(ScrapedSeries.ofTheSample().starter());
	}

	private List<JsonNode> panels() {
		List<JsonNode> panels = new ArrayList<>();
		for (JsonNode panel : this.dashboard.path("panels")) {
			panels.add(panel);
			panel.path("panels").forEach(panels::add);
		}
		return panels;
	}

	private List<String> expressions() {
		return panels().stream()
			.flatMap((panel) -> panel.path("targets").valueStream())
			.map((target) -> target.path("expr").asString())
			.toList();
	}

}
