package io.github.gracefulshutdown.web.servlet;

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
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * Auto-configuration that lets the drain see every servlet request: how many are in
 * flight, when the last one arrived, and which ones the in-flight deadline cut off; and
 * that completes streaming responses before the web server's graceful phase.
 */
@AutoConfiguration(after = GracefulShutdownAutoConfiguration.class)
@ConditionalOnClass({ HttpServletRequest.class, FilterRegistrationBean.class })
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnDrain
@Import(ProbeDetectorConfiguration.class)
public final class ServletDrainAutoConfiguration {

	/**
	 * Slots for remembering requests in flight; more concurrent requests than this are
	 * counted but not named at the in-flight deadline.
	 */
	private static final int IN_FLIGHT_TABLE_CAPACITY = 4096;

	@Bean
	InFlightRequestTable<HttpServletRequest> inFlightRequestTable() {
		return new InFlightRequestTable<>(IN_FLIGHT_TABLE_CAPACITY,
				(request, runningFor) -> new ActiveRequest(request.getMethod(), request.getRequestURI(), runningFor));
	}

	@Bean
	FilterRegistrationBean<DrainRequestFilter> drainRequestFilter(DrainCoordinator coordinator,
			RequestActivity activity, InFlightRequestTable<HttpServletRequest> table,
			GracefulShutdownProperties properties, ProbeDetector probes) {
		FilterRegistrationBean<DrainRequestFilter> registration = new FilterRegistrationBean<>(
				new DrainRequestFilter(coordinator, activity, table, properties.isCloseConnections(), probes));
		registration.setName("drainRequestFilter");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		registration.setAsyncSupported(true);
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
		return registration;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ WebMvcConfigurer.class, ResponseBodyEmitter.class })
	static class StreamingResponseConfiguration {

		@Bean
		StreamingResponses streamingResponses() {
			return new StreamingResponses();
		}

		@Bean
		FilterRegistrationBean<EventStreamRequestFilter> eventStreamRequestFilter() {
			FilterRegistrationBean<EventStreamRequestFilter> registration = new FilterRegistrationBean<>(
					new EventStreamRequestFilter());
			registration.setName("eventStreamRequestFilter");
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
			registration.setAsyncSupported(true);
			registration.setDispatcherTypes(DispatcherType.REQUEST);
			return registration;
		}

		@Bean
		WebMvcConfigurer streamingResponseInterceptorConfigurer(StreamingResponses streams) {
			return new WebMvcConfigurer() {

				@Override
				public void addInterceptors(InterceptorRegistry registry) {
					registry.addInterceptor(new StreamingResponseInterceptor(streams));
				}

			};
		}

		@Bean
		StreamingResponseDrainTrigger streamingResponseDrainTrigger(ApplicationContext context,
				DrainCoordinator coordinator, StreamingResponses streams) {
			return new StreamingResponseDrainTrigger(context, coordinator, streams::completeAll);
		}

	}

	@Bean
	DrainPhaseBoundary inFlightDeadlineReporter(DrainCoordinator coordinator, RequestActivity activity,
			InFlightRequestTable<HttpServletRequest> table) {
		return new DrainPhaseBoundary(InFlightDeadlineReporter.PHASE,
				new InFlightDeadlineReporter(coordinator, activity, table));
	}

}
