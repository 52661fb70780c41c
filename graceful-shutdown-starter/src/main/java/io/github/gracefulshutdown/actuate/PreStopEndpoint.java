package io.github.gracefulshutdown.actuate;

import java.time.Duration;

import io.github.gracefulshutdown.autoconfigure.ShutdownPhaseTimeouts;
import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainTrigger;

import org.springframework.aot.hint.annotation.RegisterReflectionForBinding;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * {@link Endpoint @Endpoint} for a Kubernetes {@code preStop} {@code httpGet} hook: a GET
 * starts the drain and answers once the propagation window has ended, so that the SIGTERM
 * the kubelet sends next finds the window already over. The kubelet can only send a GET,
 * so this read operation changes the application's state: it exists only when
 * {@code management.endpoint.prestop.access} itself allows it (no generic access setting
 * does), it starts a drain only for a request with the header
 * {@code Graceful-Shutdown-Trigger: drain}, which a browser does not send when it follows
 * a link, and it belongs on a management port that only the kubelet can reach.
 */
@Endpoint(id = PreStopEndpoint.ID, defaultAccess = Access.NONE)
public class PreStopEndpoint {

	static final String ID = "prestop";

	private final DrainCoordinator coordinator;

	private final ShutdownPhaseTimeouts phaseTimeouts;

	/**
	 * Creates an endpoint.
	 * @param coordinator the application's drain
	 * @param phaseTimeouts where the shutdown's deadline counts from, which the calls of
	 * the hook tell
	 */
	public PreStopEndpoint(DrainCoordinator coordinator, ShutdownPhaseTimeouts phaseTimeouts) {
		this.coordinator = coordinator;
		this.phaseTimeouts = phaseTimeouts;
	}

	/**
	 * Starts the drain, or joins it, and waits for the end of the propagation window, as
	 * long as the close does (the window's longest end, its listeners included); refuses
	 * a call without the trigger header and starts nothing.
	 * @return what the hook waited for, or why the call was refused
	 * @throws InterruptedException if the request thread is interrupted while waiting
	 */
	@ReadOperation
	@RegisterReflectionForBinding({ PreStopDescriptor.class, DrainTriggerGuard.Refusal.class })
	public WebEndpointResponse<OperationResponseBody> preStop() throws InterruptedException {
		WebEndpointResponse<OperationResponseBody> refusal = DrainTriggerGuard.refusal();
		if (refusal != null) {
			return refusal;
		}
		long start = System.nanoTime();
		Runnable answered = this.phaseTimeouts.preStopHookCalled();
		try {
			Drain drain = this.coordinator.startDrain(DrainTrigger.PRE_STOP_HOOK);
			boolean windowEnded = drain.awaitWindowEnd();
			return new WebEndpointResponse<>(new PreStopDescriptor(drain.trigger().name(), windowEnded,
					Duration.ofNanos(System.nanoTime() - start).toMillis()));
		}
		finally {
			answered.run();
		}
	}

	/**
	 * What a preStop call did.
	 *
	 * @param trigger what started the drain: {@code PRE_STOP_HOOK}, or an earlier trigger
	 * this call joined
	 * @param windowEnded whether the propagation window had ended when the call answered
	 * @param waitedMillis how long the call waited
	 */
	public record PreStopDescriptor(String trigger, boolean windowEnded,
			long waitedMillis) implements OperationResponseBody {

	}

}
