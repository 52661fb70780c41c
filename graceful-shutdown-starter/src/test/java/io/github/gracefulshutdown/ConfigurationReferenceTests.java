package io.github.gracefulshutdown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code docs/configuration.md} and the generated configuration metadata in step.
 */
class ConfigurationReferenceTests {

	private static final Pattern DOCUMENTED_NAME = Pattern.compile("^\\| `(graceful-shutdown\\.[^`]+)` \\|",
			Pattern.MULTILINE);

	@Test
	void everyPropertyIsDocumentedAndEveryDocumentedPropertyExists() throws IOException {
		List<String> properties = JsonPath.read(
				Files.readString(Path.of("target/classes/META-INF/spring-configuration-metadata.json")),
				"$.properties[*].name");
		Set<String> metadata = new TreeSet<>(
				properties.stream().filter((name) -> name.startsWith("graceful-shutdown.")).toList());
		Set<String> documented = names(DOCUMENTED_NAME, Files.readString(Path.of("../docs/configuration.md")));

		assertThat(metadata).isNotEmpty();
		assertThat(documented).isEqualTo(metadata);
	}

	private static Set<String> names(Pattern pattern, String text) {
		Set<String> names = new TreeSet<>();
		Matcher matcher = pattern.matcher(text);
		while (matcher.find()) {
			names.add(matcher.group(1));
		}
		return names;
	}

}
