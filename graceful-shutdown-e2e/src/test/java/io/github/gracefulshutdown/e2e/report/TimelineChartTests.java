package io.github.gracefulshutdown.e2e.report;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TimelineChart}.
 */
class TimelineChartTests {

	@Test
	void drawsALinePerServingInstanceAndTheFailuresAsRedBars() throws Exception {
		Document svg = parse(TimelineChart.render(SampleResults.plainSpringBootBehindHaproxy()));

		assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
		assertThat(svg.getElementsByTagName("polyline").getLength()).isEqualTo(2);
		assertThat(countWithAttribute(svg.getElementsByTagName("rect"), "fill", "#d62728"))
			.as("failure bars and legend")
			.isGreaterThanOrEqualTo(2);
		assertThat(svg.getDocumentElement().getTextContent()).contains("served by pod1-v1", "served by pod1-v2",
				"pod1 deleted", "103 requests, 3 failed, SIGTERM→exit 0.5 s, 0 SIGKILL");
	}

	@Test
	void marksSigtermAndTheEndpointRemovalWithVerticalLines() throws Exception {
		Document svg = parse(TimelineChart.render(SampleResults.plainSpringBootBehindHaproxy()));

		NodeList lines = svg.getElementsByTagName("line");
		assertThat(countWithAttribute(lines, "stroke-dasharray", "6,4")).as("endpoint removal and its legend")
			.isEqualTo(2);
	}

	private static Document parse(String svg) throws Exception {
		return DocumentBuilderFactory.newInstance()
			.newDocumentBuilder()
			.parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
	}

	private static long countWithAttribute(NodeList nodes, String attribute, String value) {
		long count = 0;
		for (int i = 0; i < nodes.getLength(); i++) {
			if (value.equals(((Element) nodes.item(i)).getAttribute(attribute))) {
				count++;
			}
		}
		return count;
	}

}
