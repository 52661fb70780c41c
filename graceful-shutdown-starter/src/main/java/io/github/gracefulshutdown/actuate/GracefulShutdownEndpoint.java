package io.github.gracefulshutdown.actuate;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainTrigger;
import io.github.gracefulshutdown.report.DrainReportContributor;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@link Endpoint @Endpoint} that shows the drain: its state, its configuration and the
 * timeline of the current or last drain. Its write operation starts a drain; it is off
 * unless access to the endpoint is set to {@code unrestricted}.
 */
@Endpoint(id = "gracefulshutdown", defaultAccess = Access.READ_ONLY)
public class GracefulShutdownEndpoint {

	private final DrainCoordinator coordinator;

	private final Supplier<List<DrainReportContributor>> contributors;

	private final Map<String, Object> configuration;

	/**
	 * Creates an endpoint.
	 * @param coordinator the application's drain
	 * @param contributors supplies the figures of the drain, in order
	 * @param configuration the effective drain configuration to show
	 */
	public GracefulShutdownEndpoint(DrainCoordinator coordinator, Supplier<List<DrainReportContributor>> contributors,
			Map<String, Object> configuration) {
		this.coordinator = coordinator;
		this.contributors = contributors;
		this.configuration = configuration;
	}

	/**
	 * Describes the drain.
	 * @return the state, timeline, figures and configuration of the drain
	 */
	@ReadOperation
	public DrainDescriptor drain() {
		return DrainDescriptor.of(this.coordinator, this.contributors.get(), this.configuration);
	}

	/**
	 * Starts the drain (or joins the running one) and answers at once, while the
	 * propagation window runs.
	 * @return the drain as it stands
	 */
	@WriteOperation
	public DrainDescriptor startDrain() {
		this.coordinator.startDrain(DrainTrigger.ENDPOINT);
		return drain();
	}

}
