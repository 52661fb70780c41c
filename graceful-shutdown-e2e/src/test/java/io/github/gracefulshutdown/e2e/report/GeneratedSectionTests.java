package io.github.gracefulshutdown.e2e.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link GeneratedSection}.
 */
class GeneratedSectionTests {

	@Test
	void replacesOnlyWhatIsBetweenTheMarkers() {
		String markdown = """
				# Benchmarks
				Prose before.
				<!-- generated:results:start -->
				old table
				<!-- generated:results:end -->
				Prose after.
				""";

		String replaced = GeneratedSection.replace(markdown, "results", "new table");

		assertThat(replaced).isEqualTo("""
				# Benchmarks
				Prose before.
				<!-- generated:results:start -->
				new table
				<!-- generated:results:end -->
				Prose after.
				""");
	}

	@Test
	void theContentIsWhatIsBetweenTheMarkers() {
		String markdown = """
				Prose before.
				<!-- generated:results:start -->
				the table
				<!-- generated:results:end -->
				""";

		assertThat(GeneratedSection.content(markdown, "results")).isEqualTo("the table\n");
	}

	@Test
	void whenTheMarkersAreMissingThenItSaysWhichOnesItExpects() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> GeneratedSection.replace("# Benchmarks\n", "results", "x"))
			.withMessageContaining("<!-- generated:results:start -->");
	}

}
