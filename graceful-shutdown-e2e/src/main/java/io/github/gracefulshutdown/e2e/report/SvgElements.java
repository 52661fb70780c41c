package io.github.gracefulshutdown.e2e.report;

import java.util.List;
import java.util.Locale;

/**
 * What the charts draw alike: the palette of their series, the colour of failures, legend
 * lines and escaped text.
 */
final class SvgElements {

	static final String FAILURE_COLOR = "#d62728";

	private static final List<String> SERIES_COLORS = List.of("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b",
			"#17becf");

	private SvgElements() {
	}

	static String seriesColor(int index) {
		return SERIES_COLORS.get(index % SERIES_COLORS.size());
	}

	static void legendLine(StringBuilder svg, double x, double y, String color, String style, String label) {
		svg.append(String.format(Locale.ROOT,
				"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"%s/>%n", x, y,
				x + 22, y, color, style));
		text(svg, x + 30, y + 4, "start", "", label);
	}

	static void text(StringBuilder svg, double x, double y, String anchor, String attributes, String text) {
		svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>%s</text>%n", x, y,
				anchor, attributes.isEmpty() ? "" : " " + attributes, escape(text)));
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

}
