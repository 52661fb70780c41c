package io.github.gracefulshutdown.e2e.report;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

import javax.xml.parsers.DocumentBuilderFactory;

import io.github.gracefulshutdown.e2e.scenario.Variant;
import io.github.gracefulshutdown.e2e.scenario.WindowStudyResult;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LagChart}.
 */
class LagChartTests {

	private static final Variant DEFAULTS = Variant.starterDefaults().onKubernetes();

	private static final Variant PLAIN = Variant.plainSpringBoot().onKubernetes();

	private static final List<WindowStudyResult> RESULTS = List.of(
			SampleResults.windowStudy(DEFAULTS, 2, 50, 10_100, 0), SampleResults.windowStudy(PLAIN, 2, 50, 100, 40),
			SampleResults.windowStudy(DEFAULTS, 12, 50, 14_200, 0), SampleResults.windowStudy(PLAIN, 12, 50, 100, 30),
			SampleResults.windowStudy(DEFAULTS, 2, 1, 10_000, 0));

	@Test
	void drawsALinePerVariantThroughItsPointsAtTheRateAsked() throws Exception {
		Document svg = parse(LagChart.render(50, RESULTS));

		NodeList lines = svg.getElementsByTagName("polyline");
		assertThat(lines.getLength()).isEqualTo(2);
		assertThat(((Element) lines.item(0)).getAttribute("points").split(" ")).hasSize(2);
		assertThat(svg.getElementsByTagName("circle").getLength()).isEqualTo(4);
		assertThat(svg.getDocumentElement().getTextContent()).contains("50 requests per second",
				"starter defaults (floor 10 s, extends)", "plain Spring Boot", "physical limit: lag + longest request");
	}

	@Test
	void marksTheScenariosThatLostRequestsWithTheirCount() throws Exception {
		Document svg = parse(LagChart.render(50, RESULTS));

		NodeList circles = svg.getElementsByTagName("circle");
		long hollow = 0;
		for (int i = 0; i < circles.getLength(); i++) {
			if ("#d62728".equals(((Element) circles.item(i)).getAttribute("stroke"))) {
				hollow++;
			}
		}
		assertThat(hollow).isEqualTo(2);
		assertThat(texts(svg)).contains("40", "30");
	}

	@Test
	void drawsThePhysicalLimitAsADashedDiagonal() throws Exception {
		Document svg = parse(LagChart.render(1, RESULTS));

		NodeList lines = svg.getElementsByTagName("line");
		long dashed = 0;
		for (int i = 0; i < lines.getLength(); i++) {
			Element line = (Element) lines.item(i);
			if ("6,4".equals(line.getAttribute("stroke-dasharray"))) {
				dashed++;
				assertThat(Double.parseDouble(line.getAttribute("y2")))
					.isLessThanOrEqualTo(Double.parseDouble(line.getAttribute("y1")));
			}
		}
		assertThat(dashed).as("limit and its legend").isEqualTo(2);
		assertThat(svg.getElementsByTagName("polyline").getLength()).isEqualTo(1);
		assertThat(svg.getDocumentElement().getTextContent()).contains("1 request per second");
	}

	private static List<String> texts(Document svg) {
		NodeList texts = svg.getElementsByTagName("text");
		return IntStream.range(0, texts.getLength()).mapToObj((i) -> texts.item(i).getTextContent()).toList();
	}

	private static Document parse(String svg) throws Exception {
		return DocumentBuilderFactory.newInstance()
			.newDocumentBuilder()
			.parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
	}

}
