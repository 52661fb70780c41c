package io.github.gracefulshutdown.actuate;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainTrigger;

import org.springframework.aot.hint.annotation.RegisterReflectionForBinding;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * Adds to the {@link GracefulShutdownEndpoint}, over HTTP only, the write operation that
 * starts a drain. Being a bean of its own lets the auto-configuration create it only when
 * {@code management.endpoint.gracefulshutdown.access=unrestricted} is set (no generic
 * access setting turns it on), and keeps it off JMX, where no request header can be
 * checked. A request without the header {@code Graceful-Shutdown-Trigger: drain}, such as
 * a form or {@code no-cors} request from another site, is refused.
 */
@EndpointWebExtension(endpoint = GracefulShutdownEndpoint.class)
public class GracefulShutdownEndpointWebExtension {

	private final DrainCoordinator coordinator;

	private final GracefulShutdownEndpoint endpoint;

	/**
	 * Creates an extension.
	 * @param coordinator the application's drain
	 * @param endpoint the endpoint that describes the drain
	 */
	public GracefulShutdownEndpointWebExtension(DrainCoordinator coordinator, GracefulShutdownEndpoint endpoint) {
		this.coordinator = coordinator;
		this.endpoint = endpoint;
	}

	/**
	 * Starts the drain (or joins the running one) and answers once it has started (see
	 * {@link DrainCoordinator#startDrain}), while the propagation window runs; refuses a
	 * call without the trigger header and starts nothing.
	 * @return the drain as it stands, or why the call was refused
	 */
	@WriteOperation
	@RegisterReflectionForBinding({ DrainDescriptor.class, DrainTriggerGuard.Refusal.class })
	public WebEndpointResponse<OperationResponseBody> startDrain() {
		WebEndpointResponse<OperationResponseBody> refusal = DrainTriggerGuard.refusal();
		if (refusal != null) {
			return refusal;
		}
		this.coordinator.startDrain(DrainTrigger.ENDPOINT);
		return new WebEndpointResponse<>(this.endpoint.drain());
	}

}
