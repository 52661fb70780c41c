package io.github.gracefulshutdown.web.reactive;

import io.github.gracefulshutdown.autoconfigure.ConditionalOnDrain;
import io.github.gracefulshutdown.autoconfigure.DrainPhaseBoundary;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownProperties;
import io.github.gracefulshutdown.drain.ActiveRequest;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.RequestActivity;
import io.github.gracefulshutdown.web.InFlightDeadlineReporter;
import io.github.gracefulshutdown.web.InFlightRequestTable;
import io.github.gracefulshutdown.web.ProbeDetector;
import io.github.gracefulshutdown.web.ProbeDetectorConfiguration;
import io.github.gracefulshutdown.web.StreamingResponseDrainTrigger;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.WebFilter;

/**
 * Auto-configuration that lets the drain see every reactive request: how many are in
 * flight, when the last one arrived, and which ones the in-flight deadline cut off; and
 * that ends streaming responses before the web server's graceful phase. The sibling of
 * the servlet stack's {@code ServletDrainAutoConfiguration}.
 */
@AutoConfiguration(after = GracefulShutdownAutoConfiguration.class)
@ConditionalOnClass({ WebFilter.class, ServerHttpRequest.class })
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnDrain
@Import(ProbeDetectorConfiguration.class)
public final class ReactiveDrainAutoConfiguration {

	/**
	 * Slots for remembering requests in flight; more concurrent requests than this are
	 * counted but not named at the in-flight deadline.
	 */
	private static final int IN_FLIGHT_TABLE_CAPACITY = 4096;

	@Bean
	InFlightRequestTable<ServerHttpRequest> reactiveInFlightRequestTable() {
		return new InFlightRequestTable<>(IN_FLIGHT_TABLE_CAPACITY, (request,
				runningFor) -> new ActiveRequest(request.getMethod().name(), request.getPath().value(), runningFor));
	}

	@Bean
	StreamingResponses reactiveStreamingResponses() {
		return new StreamingResponses();
	}

	@Bean
	DrainWebFilter drainWebFilter(DrainCoordinator coordinator, RequestActivity activity,
			InFlightRequestTable<ServerHttpRequest> table, GracefulShutdownProperties properties, ProbeDetector probes,
			StreamingResponses streams) {
		return new DrainWebFilter(coordinator, activity, table, properties.isCloseConnections(), probes, streams);
	}

	@Bean
	StreamingResponseDrainTrigger reactiveStreamingResponseDrainTrigger(ApplicationContext context,
			DrainCoordinator coordinator, StreamingResponses streams) {
		return new StreamingResponseDrainTrigger(context, coordinator, streams::completeAll);
	}

	@Bean
	DrainPhaseBoundary reactiveInFlightDeadlineReporter(DrainCoordinator coordinator, RequestActivity activity,
			InFlightRequestTable<ServerHttpRequest> table) {
		return new DrainPhaseBoundary(InFlightDeadlineReporter.PHASE,
				new InFlightDeadlineReporter(coordinator, activity, table));
	}

}
