package io.github.gracefulshutdown.e2e.report;

import static io.github.gracefulshutdown.e2e.report.SvgElements.FAILURE_COLOR;
import static io.github.gracefulshutdown.e2e.report.SvgElements.legendLine;
import static io.github.gracefulshutdown.e2e.report.SvgElements.seriesColor;
import static io.github.gracefulshutdown.e2e.report.SvgElements.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.gracefulshutdown.e2e.cluster.TimelineEvent;
import io.github.gracefulshutdown.e2e.cluster.TimelineEvent.Kind;
import io.github.gracefulshutdown.e2e.load.RequestRecord;
import io.github.gracefulshutdown.e2e.scenario.ScenarioResult;

/**
 * The timeline of one scenario as an SVG chart: requests per second answered by each
 * instance, failed requests per second, and each pod's stop with its phases (preStop
 * sleep, propagation window, in-flight drain, replacement) and markers for SIGTERM, the
 * endpoint removal and SIGKILL. Requests count in the second they were sent.
 */
public final class TimelineChart {

	private static final int WIDTH = 980;

	private static final int HEIGHT = 440;

	private static final int LEFT = 60;

	private static final int RIGHT = 230;

	private static final int TOP = 64;

	private static final int BOTTOM = 48;

	private static final int PLOT_WIDTH = WIDTH - LEFT - RIGHT;

	private static final int PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	private static final List<Band> BANDS = List.of(new Band("preStop sleep", "#c7c7e8"),
			new Band("propagation window", "#b9e3b9"), new Band("in-flight drain, exit", "#f7cfa4"),
			new Band("replacement starting", "#e3e3e3"));

	private static final long MIN_BAND_NANOS = 1_000_000L;

	private TimelineChart() {
	}

	/**
	 * Renders the chart of a scenario.
	 * @param result the scenario's result
	 * @return the SVG document
	 */
	public static String render(ScenarioResult result) {
		Canvas canvas = new Canvas(result);
		StringBuilder svg = new StringBuilder();
		svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
		svg.append(String.format(Locale.ROOT,
				"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
						+ "font-family=\"sans-serif\" font-size=\"12\">%n",
				WIDTH, HEIGHT, WIDTH, HEIGHT));
		svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
		title(svg, result);
		phases(svg, canvas, result.events());
		axes(svg, canvas);
		failures(svg, canvas);
		instances(svg, canvas);
		legend(svg, canvas);
		svg.append("</svg>\n");
		return svg.toString();
	}

	private static void title(StringBuilder svg, ScenarioResult result) {
		text(svg, LEFT, 22, "start", "font-size=\"15\" font-weight=\"bold\"", result.scenario().title());
		String sigtermToExit = result.stops()
			.stream()
			.map((stop) -> String.format(Locale.ROOT, "%.1f s", stop.sigtermToExit().toMillis() / 1000.0))
			.collect(Collectors.joining(" / "));
		text(svg, LEFT, 42, "start", "fill=\"#444\"",
				result.requests().size() + " requests, " + result.failures().size() + " failed, SIGTERM→exit "
						+ sigtermToExit + ", " + result.sigkills() + " SIGKILL");
	}

	private static void phases(StringBuilder svg, Canvas canvas, List<TimelineEvent> events) {
		Set<String> pods = events.stream().map(TimelineEvent::pod).collect(Collectors.toCollection(LinkedHashSet::new));
		for (String pod : pods) {
			OptionalLong stopStarted = at(events, pod, Kind.STOP_STARTED);
			OptionalLong sigterm = at(events, pod, Kind.SIGTERM_SENT);
			OptionalLong drainStarted = at(events, pod, Kind.DRAIN_STARTED);
			OptionalLong inFlightDrain = at(events, pod, Kind.IN_FLIGHT_DRAIN_STARTED);
			OptionalLong exited = at(events, pod, Kind.EXITED);
			OptionalLong backInService = at(events, pod, Kind.BACK_IN_SERVICE);
			band(svg, canvas, BANDS.get(0), stopStarted, sigterm);
			band(svg, canvas, BANDS.get(1), drainStarted, inFlightDrain);
			band(svg, canvas, BANDS.get(2), inFlightDrain.isPresent() ? inFlightDrain : sigterm, exited);
			band(svg, canvas, BANDS.get(3), exited, backInService);
			stopStarted.ifPresent((start) -> text(svg, canvas.x(start) + 3, TOP + 14, "start",
					"font-weight=\"bold\" fill=\"#333\"", pod + " deleted"));
			sigterm.ifPresent((time) -> marker(svg, canvas, time, "#333", ""));
			at(events, pod, Kind.ENDPOINT_REMOVED)
				.ifPresent((time) -> marker(svg, canvas, time, "#7b3294", " stroke-dasharray=\"6,4\""));
			at(events, pod, Kind.SIGKILL_SENT).ifPresent((time) -> marker(svg, canvas, time, FAILURE_COLOR, ""));
		}
	}

	private static void band(StringBuilder svg, Canvas canvas, Band band, OptionalLong from, OptionalLong to) {
		if (from.isEmpty() || to.isEmpty() || to.getAsLong() - from.getAsLong() < MIN_BAND_NANOS) {
			return;
		}
		double x = canvas.x(from.getAsLong());
		double width = Math.max(1, canvas.x(to.getAsLong()) - x);
		svg.append(String.format(Locale.ROOT,
				"<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" fill-opacity=\"0.7\"/>%n", x, TOP,
				width, PLOT_HEIGHT, band.color()));
	}

	private static void marker(StringBuilder svg, Canvas canvas, long time, String color, String style) {
		double x = canvas.x(time);
		svg.append(String.format(Locale.ROOT,
				"<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1.5\"%s/>%n", x, TOP, x,
				TOP + PLOT_HEIGHT, color, style));
	}

	private static void axes(StringBuilder svg, Canvas canvas) {
		int bottom = TOP + PLOT_HEIGHT;
		for (int tick = 0; tick <= 5; tick++) {
			double value = canvas.yMax * tick / 5.0;
			double y = canvas.y(value);
			svg.append(String.format(Locale.ROOT,
					"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#000\" stroke-opacity=\"0.12\"/>%n",
					LEFT, y, LEFT + PLOT_WIDTH, y));
			text(svg, LEFT - 6, y + 4, "end", "", String.format(Locale.ROOT, "%.0f", value));
		}
		for (int second = 0; second <= canvas.seconds; second += 5) {
			double x = LEFT + (double) PLOT_WIDTH * second / canvas.seconds;
			svg.append(String.format(Locale.ROOT,
					"<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000\"/>%n", x, bottom, x, bottom + 4));
			text(svg, x, bottom + 17, "middle", "", second + " s");
		}
		svg.append(String.format(Locale.ROOT,
				"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#000\"/>%n", LEFT, TOP,
				PLOT_WIDTH, PLOT_HEIGHT));
		text(svg, LEFT + PLOT_WIDTH / 2.0, HEIGHT - 8, "middle", "",
				"time since the load started (requests count in the second they were sent)");
		svg.append(String.format(Locale.ROOT,
				"<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 16 %.1f)\">requests per second</text>%n",
				TOP + PLOT_HEIGHT / 2.0, TOP + PLOT_HEIGHT / 2.0));
	}

	private static void failures(StringBuilder svg, Canvas canvas) {
		double width = (double) PLOT_WIDTH / canvas.seconds;
		for (int second = 0; second < canvas.seconds; second++) {
			int failed = canvas.failures[second];
			if (failed > 0) {
				double top = canvas.y(failed);
				svg.append(String.format(Locale.ROOT,
						"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n",
						LEFT + second * width + width * 0.1, top, width * 0.8, TOP + PLOT_HEIGHT - top, FAILURE_COLOR));
			}
		}
	}

	private static void instances(StringBuilder svg, Canvas canvas) {
		int index = 0;
		for (Map.Entry<String, int[]> instance : canvas.served.entrySet()) {
			int[] counts = instance.getValue();
			int first = firstNonZero(counts);
			int last = lastNonZero(counts);
			List<String> points = new ArrayList<>();
			for (int second = Math.max(0, first - 1); second <= Math.min(counts.length - 1, last + 1); second++) {
				points.add(String.format(Locale.ROOT, "%.1f,%.1f", canvas.xOfSecond(second + 0.5),
						canvas.y(counts[second])));
			}
			svg.append(String.format(Locale.ROOT,
					"<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" stroke-linejoin=\"round\"/>%n",
					String.join(" ", points), seriesColor(index++)));
		}
	}

	private static void legend(StringBuilder svg, Canvas canvas) {
		double x = LEFT + PLOT_WIDTH + 16;
		double y = TOP + 6;
		int index = 0;
		for (String instance : canvas.served.keySet()) {
			legendLine(svg, x, y, seriesColor(index++), "", "served by " + instance);
			y += 18;
		}
		svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"22\" height=\"10\" fill=\"%s\"/>%n",
				x, y - 5, FAILURE_COLOR));
		text(svg, x + 30, y + 4, "start", "", "failed requests");
		y += 28;
		for (Band band : BANDS) {
			svg.append(String.format(Locale.ROOT,
					"<rect x=\"%.1f\" y=\"%.1f\" width=\"22\" height=\"12\" fill=\"%s\" fill-opacity=\"0.7\"/>%n", x,
					y - 6, band.color()));
			text(svg, x + 30, y + 4, "start", "", band.label());
			y += 18;
		}
		y += 10;
		legendLine(svg, x, y, "#333", "", "SIGTERM");
		y += 18;
		legendLine(svg, x, y, "#7b3294", " stroke-dasharray=\"6,4\"", "endpoint removed");
		y += 18;
		legendLine(svg, x, y, FAILURE_COLOR, "", "SIGKILL");
	}

	private static OptionalLong at(List<TimelineEvent> events, String pod, Kind kind) {
		return events.stream()
			.filter((event) -> event.pod().equals(pod) && event.kind() == kind)
			.mapToLong(TimelineEvent::atNanos)
			.findFirst();
	}

	private static int firstNonZero(int[] counts) {
		for (int i = 0; i < counts.length; i++) {
			if (counts[i] > 0) {
				return i;
			}
		}
		return 0;
	}

	private static int lastNonZero(int[] counts) {
		for (int i = counts.length - 1; i >= 0; i--) {
			if (counts[i] > 0) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * A phase of a pod's stop, drawn as a band behind the series.
	 */
	private record Band(String label, String color) {

	}

	/**
	 * The scales of the chart and the series counted per second.
	 */
	private static final class Canvas {

		private final long originNanos;

		private final int seconds;

		private final Map<String, int[]> served = new LinkedHashMap<>();

		private final int[] failures;

		private final double yMax;

		Canvas(ScenarioResult result) {
			this.originNanos = result.originNanos();
			// Whole seconds only: a last, partial second would show as a drop of the rate
			this.seconds = (int) Math.max(1, (result.endNanos() - this.originNanos) / NANOS_PER_SECOND);
			this.failures = new int[this.seconds];
			for (String instance : result.servingInstances()) {
				this.served.put(instance, new int[this.seconds]);
			}
			for (RequestRecord request : result.requests()) {
				long second = Math.max(0, (request.startNanos() - this.originNanos) / NANOS_PER_SECOND);
				if (request.failed()) {
					this.failures[(int) Math.min(this.seconds - 1, second)]++;
				}
				else if (second < this.seconds && request.instance() != null) {
					this.served.get(request.instance())[(int) second]++;
				}
			}
			int highest = 1;
			for (int[] counts : this.served.values()) {
				for (int count : counts) {
					highest = Math.max(highest, count);
				}
			}
			for (int count : this.failures) {
				highest = Math.max(highest, count);
			}
			this.yMax = Math.ceil(highest / 10.0) * 10;
		}

		double x(long nanos) {
			return xOfSecond((nanos - this.originNanos) / (double) NANOS_PER_SECOND);
		}

		double xOfSecond(double second) {
			double clamped = Math.max(0, Math.min(this.seconds, second));
			return LEFT + PLOT_WIDTH * clamped / this.seconds;
		}

		double y(double value) {
			return TOP + PLOT_HEIGHT - PLOT_HEIGHT * value / this.yMax;
		}

	}

}
