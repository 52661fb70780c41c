package io.github.gracefulshutdown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownProperties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.convert.DurationStyle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code docs/configuration.md} and the configuration metadata the starter ships in
 * step: the same properties, and for each the same default, written as a value of the
 * property's type.
 */
class ConfigurationReferenceTests {

	private static final Pattern PROPERTY_ROW = Pattern.compile("^\\| `([a-z][^`]+)` \\| ([^|]+) \\| [^|]+ \\|$",
			Pattern.MULTILINE);

	private static final Pattern CODE = Pattern.compile("`([^`]+)`");

	private static Map<String, Property> metadata;

	private static Map<String, String> documentedDefaults;

	@BeforeAll
	static void read() throws IOException {
		String json = Files.readString(Path.of("target/classes/META-INF/spring-configuration-metadata.json"));
		List<Map<String, Object>> properties = JsonPath.read(json, "$.properties[*]");
		metadata = new TreeMap<>();
		for (Map<String, Object> property : properties) {
			String name = (String) property.get("name");
			if (!name.endsWith(".cache.time-to-live")) {
				metadata.put(name, new Property((String) property.get("type"), property.get("defaultValue")));
			}
		}
		documentedDefaults = new TreeMap<>();
		Matcher row = PROPERTY_ROW.matcher(Files.readString(Path.of("../docs/configuration.md")));
		while (row.find()) {
			documentedDefaults.put(row.group(1), row.group(2).trim());
		}
	}

	@Test
	void everyPropertyIsDocumentedAndEveryDocumentedPropertyExists() {
		assertThat(metadata).containsKeys("graceful-shutdown.enabled", "management.health.drain.enabled");
		assertThat(documentedDefaults.keySet()).isEqualTo(metadata.keySet());
	}

	@Test
	void everyDocumentedDefaultIsTheDefaultOfTheMetadata() {
		List<String> mismatches = new ArrayList<>();
		metadata.forEach((name, property) -> {
			String documented = documentedDefaults.get(name);
			List<String> values = codeSpans(documented);
			if (property.defaultValue() != null) {
				boolean same = values.size() == 1 && documented.equals("`" + values.get(0) + "`")
						&& property.sameValue(values.get(0));
				if (!same) {
					mismatches.add(name + ": documented " + documented + ", metadata " + property.defaultValue());
				}
			}
			else if (documented.equals("`" + String.join("", values) + "`")) {
				mismatches.add(name + ": documented " + documented + " without saying when, metadata has no default");
			}
		});
		assertThat(mismatches).isEmpty();
	}

	@Test
	void everyValueInADocumentedDefaultHasThePropertysType() {
		List<String> mistyped = new ArrayList<>();
		metadata.forEach((name, property) -> {
			for (String value : codeSpans(documentedDefaults.get(name))) {
				if (!property.accepts(value)) {
					mistyped.add(name + ": `" + value + "` is not a " + property.type());
				}
			}
		});
		assertThat(mistyped).isEmpty();
	}

	@Test
	void closeCodeHintsAreCodesTheDrainAccepts() throws IOException {
		String json = Files.readString(Path.of("target/classes/META-INF/spring-configuration-metadata.json"));
		List<Integer> hinted = JsonPath.read(json,
				"$.hints[?(@.name == 'graceful-shutdown.websocket.close-code')].values[*].value");
		Set<Integer> documented = new TreeSet<>();
		Matcher code = Pattern.compile("`(\\d{4})`")
			.matcher(documentedDescription("graceful-shutdown.websocket.close-code"));
		while (code.find()) {
			documented.add(Integer.valueOf(code.group(1)));
		}
		assertThat(hinted).containsExactly(1001, 1012, 1000, 1013);
		assertThat(documented).containsAll(hinted);
	}

	private static String documentedDescription(String name) throws IOException {
		return Files.readString(Path.of("../docs/configuration.md"))
			.lines()
			.filter((line) -> line.startsWith("| `" + name + "` |"))
			.findFirst()
			.orElseThrow();
	}

	private static List<String> codeSpans(String text) {
		List<String> spans = new ArrayList<>();
		Matcher matcher = CODE.matcher(text);
		while (matcher.find()) {
			spans.add(matcher.group(1));
		}
		return spans;
	}

	private record Property(String type, Object defaultValue) {

		boolean accepts(String value) {
			try {
				parse(value);
				return true;
			}
			catch (RuntimeException ex) {
				return false;
			}
		}

		boolean sameValue(String value) {
			return accepts(value) && parse(value).equals(parse(String.valueOf(this.defaultValue)));
		}

		private Object parse(String value) {
			return switch (this.type) {
				case "java.lang.Boolean" -> parseBoolean(value);
				case "java.lang.Integer" -> Integer.valueOf(value);
				case "java.time.Duration" -> DurationStyle.detectAndParse(value, ChronoUnit.SECONDS);
				case "java.lang.String" -> value;
				case "org.springframework.boot.actuate.endpoint.Access" ->
					Access.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
				case "io.github.gracefulshutdown.autoconfigure.GracefulShutdownProperties$Window$Mode" ->
					GracefulShutdownProperties.Window.Mode.valueOf(value.toUpperCase(Locale.ROOT));
				default -> throw new IllegalStateException("No check for properties of type " + this.type);
			};
		}

		private static Boolean parseBoolean(String value) {
			if (!value.equals("true") && !value.equals("false")) {
				throw new IllegalArgumentException(value);
			}
			return Boolean.valueOf(value);
		}

	}

}
