package io.github.gracefulshutdown.e2e.report;

import static io.github.gracefulshutdown.e2e.report.SvgElements.FAILURE_COLOR;
import static io.github.gracefulshutdown.e2e.report.SvgElements.seriesColor;
import static io.github.gracefulshutdown.e2e.report.SvgElements.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.gracefulshutdown.e2e.scenario.Variant;
import io.github.gracefulshutdown.e2e.scenario.WindowStudyResult;

/**
 * The window study at one rate as an SVG chart: for each variant, the time from T0 (the
 * pod's deletion) to its exit against the propagation lag, beside the physical limit (the
 * lag plus the longest request: no pod can exit sooner without losing a request). A point
 * is the mean of the pods; a point whose scenario lost requests is drawn hollow, in red,
 * with the number of failed requests beside it.
 */
public final class LagChart {

	private static final int WIDTH = 900;

	private static final int HEIGHT = 480;

	private static final int LEFT = 60;

	private static final int RIGHT = 290;

	private static final int TOP = 64;

	private static final int BOTTOM = 52;

	private static final int PLOT_WIDTH = WIDTH - LEFT - RIGHT;

	private static final int PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;

	private static final String LIMIT_COLOR = "#555";

	private static final double NANOS_PER_SECOND = 1e9;

	private LagChart() {
	}

	/**
	 * Renders the chart of the results at one rate.
	 * @param requestsPerSecond the rate whose results to draw
	 * @param results the results of the study, of any rate
	 * @return the SVG document
	 */
	public static String render(int requestsPerSecond, List<WindowStudyResult> results) {
		Map<String, List<WindowStudyResult>> byVariant = new LinkedHashMap<>();
		Map<String, String> labels = new LinkedHashMap<>();
		for (WindowStudyResult result : results) {
			if (result.requestsPerSecond() == requestsPerSecond) {
				Variant variant = result.result().scenario().variant();
				byVariant.computeIfAbsent(variant.id(), (id) -> new ArrayList<>()).add(result);
				labels.putIfAbsent(variant.id(), variant.label());
			}
		}
		Scale scale = Scale.of(results);
		StringBuilder svg = new StringBuilder();
		svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
		svg.append(String.format(Locale.ROOT,
				"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
						+ "font-family=\"sans-serif\" font-size=\"12\">%n",
				WIDTH, HEIGHT, WIDTH, HEIGHT));
		svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
		text(svg, LEFT, 22, "start", "font-size=\"15\" font-weight=\"bold\"",
				"Pod deletion (T0) to exit against propagation lag, " + requestsPerSecond
						+ (requestsPerSecond == 1 ? " request" : " requests") + " per second");
		text(svg, LEFT, 42, "start", "fill=\"#444\"",
				"HAProxy without health checks; mean of the pods; hollow red: requests failed (count beside)");
		axes(svg, scale);
		limit(svg, scale, results);
		int index = 0;
		for (Map.Entry<String, List<WindowStudyResult>> variant : byVariant.entrySet()) {
			series(svg, scale, variant.getValue(), seriesColor(index));
			legendLine(svg, index, seriesColor(index), "", labels.get(variant.getKey()));
			index++;
		}
		legendLine(svg, index, LIMIT_COLOR, " stroke-dasharray=\"6,4\"", "physical limit: lag + longest request");
		svg.append("</svg>\n");
		return svg.toString();
	}

	private static void axes(StringBuilder svg, Scale scale) {
		svg.append(String.format(Locale.ROOT,
				"<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n"
						+ "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n",
				LEFT, TOP, LEFT, TOP + PLOT_HEIGHT, LEFT, TOP + PLOT_HEIGHT, LEFT + PLOT_WIDTH, TOP + PLOT_HEIGHT));
		for (int second = 0; second <= scale.xMax(); second += 2) {
			double x = scale.x(second);
			text(svg, x, TOP + PLOT_HEIGHT + 16, "middle", "", second + " s");
		}
		for (int second = 0; second <= scale.yMax(); second += 5) {
			double y = scale.y(second);
			svg.append(String.format(Locale.ROOT,
					"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>%n", LEFT, y,
					LEFT + PLOT_WIDTH, y));
			text(svg, LEFT - 6, y + 4, "end", "", second + " s");
		}
		text(svg, LEFT + PLOT_WIDTH / 2.0, HEIGHT - 12, "middle", "", "propagation lag");
		text(svg, 16, TOP + PLOT_HEIGHT / 2.0, "middle",
				String.format(Locale.ROOT, "transform=\"rotate(-90 16 %.1f)\"", TOP + PLOT_HEIGHT / 2.0), "T0 to exit");
	}

	private static void limit(StringBuilder svg, Scale scale, List<WindowStudyResult> results) {
		double work = results.stream()
			.mapToDouble((result) -> result.result().scenario().work().toNanos() / NANOS_PER_SECOND)
			.max()
			.orElse(0);
		double end = Math.min(scale.xMax(), scale.yMax() - work);
		svg.append(String.format(Locale.ROOT,
				"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\" "
						+ "stroke-dasharray=\"6,4\"/>%n",
				scale.x(0), scale.y(work), scale.x(end), scale.y(end + work), LIMIT_COLOR));
	}

	private static void series(StringBuilder svg, Scale scale, List<WindowStudyResult> results, String color) {
		List<WindowStudyResult> byLag = new ArrayList<>(results);
		byLag.sort(Comparator.comparing((result) -> result.result().scenario().propagationLag()));
		StringBuilder points = new StringBuilder();
		for (WindowStudyResult result : byLag) {
			points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(scale, result), y(scale, result)));
		}
		svg.append(
				String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
						points.toString().strip(), color));
		for (WindowStudyResult result : byLag) {
			int failed = result.result().failures().size();
			double x = x(scale, result);
			double y = y(scale, result);
			if (failed == 0) {
				svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>%n", x, y,
						color));
			}
			else {
				svg.append(String.format(Locale.ROOT,
						"<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"white\" stroke=\"%s\" stroke-width=\"2\"/>%n",
						x, y, FAILURE_COLOR));
				text(svg, x + 8, y - 6, "start", "fill=\"" + FAILURE_COLOR + "\"", String.valueOf(failed));
			}
		}
	}

	private static double x(Scale scale, WindowStudyResult result) {
		return scale.x(result.result().scenario().propagationLag().toNanos() / NANOS_PER_SECOND);
	}

	private static double y(Scale scale, WindowStudyResult result) {
		return scale.y(result.meanStopToExit().toNanos() / NANOS_PER_SECOND);
	}

	private static void legendLine(StringBuilder svg, int row, String color, String style, String label) {
		SvgElements.legendLine(svg, LEFT + PLOT_WIDTH + 20, TOP + 10 + row * 22, color, style, label);
	}

	/**
	 * The axes, in seconds: the lag from 0 to 2 s past the longest, the exit time from 0
	 * to the next multiple of 5 s above the latest exit and the physical limit. Both
	 * rates' charts share them, so they compare at a glance.
	 */
	private record Scale(int xMax, int yMax) {

		static Scale of(List<WindowStudyResult> results) {
			double longestLag = 0;
			double latest = 0;
			for (WindowStudyResult result : results) {
				longestLag = Math.max(longestLag,
						result.result().scenario().propagationLag().toNanos() / NANOS_PER_SECOND);
				latest = Math.max(latest, result.meanStopToExit().toNanos() / NANOS_PER_SECOND);
				latest = Math.max(latest, result.physicalLimit().toNanos() / NANOS_PER_SECOND);
			}
			int xMax = 2 * (int) Math.ceil((longestLag + 2) / 2);
			int yMax = Math.max(5, 5 * (int) Math.ceil((latest + 0.5) / 5));
			return new Scale(xMax, yMax);
		}

		double x(double second) {
			return LEFT + PLOT_WIDTH * Math.max(0, Math.min(this.xMax, second)) / this.xMax;
		}

		double y(double second) {
			return TOP + PLOT_HEIGHT - PLOT_HEIGHT * Math.max(0, Math.min(this.yMax, second)) / this.yMax;
		}

	}

}
