package io.github.gracefulshutdown.actuate;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.report.DrainReportContributor;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@link Endpoint @Endpoint} that shows the drain: its state, its configuration and the
 * timeline of the current or last drain. Starting a drain over HTTP is the job of the
 * {@link GracefulShutdownEndpointWebExtension}, which exists only when this endpoint's
 * own access property allows it.
 */
@Endpoint(id = GracefulShutdownEndpoint.ID, defaultAccess = Access.READ_ONLY)
public class GracefulShutdownEndpoint {

	static final String ID = "gracefulshutdown";

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

}
