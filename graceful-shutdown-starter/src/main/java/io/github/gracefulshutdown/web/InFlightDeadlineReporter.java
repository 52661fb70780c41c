package io.github.gracefulshutdown.web;

import java.util.List;
import java.util.stream.Collectors;

import io.github.gracefulshutdown.drain.ActiveRequest;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.RequestActivity;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * Reports the requests still in flight when the web server's graceful phase ends: they
 * reached the in-flight deadline and the web server is about to cut them off. Runs in the
 * lifecycle phase right after the graceful one ({@link #PHASE}), through a
 * {@code DrainPhaseBoundary}.
 */
public class InFlightDeadlineReporter implements Runnable {

	private static final Log logger = LogFactory.getLog(InFlightDeadlineReporter.class);

	/**
	 * The lifecycle phase right after the web server's graceful one.
	 */
	public static final int PHASE = WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE - 1;

	private static final int LONGEST_SHOWN = 5;

	private final DrainCoordinator coordinator;

	private final RequestActivity activity;

	private final InFlightRequestTable<?> table;

	/**
	 * Creates a reporter.
	 * @param coordinator the application's drain
	 * @param activity the requests the application received
	 * @param table the requests in flight
	 */
	public InFlightDeadlineReporter(DrainCoordinator coordinator, RequestActivity activity,
			InFlightRequestTable<?> table) {
		this.coordinator = coordinator;
		this.activity = activity;
		this.table = table;
	}

	@Override
	public void run() {
		long inFlight = this.activity.inFlight();
		if (!this.coordinator.isDraining() || inFlight <= 0) {
			return;
		}
		this.activity.requestsCutOff(inFlight);
		List<ActiveRequest> active = this.table.snapshot();
		String longest = active.stream()
			.limit(LONGEST_SHOWN)
			.map(ActiveRequest::toString)
			.collect(Collectors.joining(", "));
		logger.warn(inFlight + ((inFlight == 1) ? " request was" : " requests were")
				+ " still in flight at the in-flight deadline and will be cut off"
				+ (longest.isEmpty() ? "" : "; longest running: " + longest)
				+ ". Raise spring.lifecycle.timeout-per-shutdown-phase (and the grace period) if they should finish.");
	}

}
