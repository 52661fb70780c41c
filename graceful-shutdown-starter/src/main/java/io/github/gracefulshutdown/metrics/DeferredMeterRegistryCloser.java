package io.github.gracefulshutdown.metrics;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ApplicationEventMulticaster;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.support.AbstractApplicationContext;

/**
 * Keeps the meter registries open until the drain has completed. Spring Boot closes them
 * as soon as the context starts closing, from a {@link ContextClosedEvent} listener, so
 * that push registries publish a last time while everything is still up; with a drain
 * that is too early, as the in-flight drain and the final figures would never be
 * published, and meters first used during the drain would not be registered. This bean
 * takes Spring Boot's listener off the event multicaster at startup, leaving the bean
 * itself as it is, and hands it the close event in the lifecycle phase after the drain
 * has completed (after the web server has stopped), still before any bean is destroyed.
 * Registries that are never closed this way are closed when their beans are destroyed.
 */
class DeferredMeterRegistryCloser implements SmartInitializingSingleton, SmartLifecycle {

	/**
	 * Name of Spring Boot's listener that closes the meter registries.
	 */
	static final String CLOSER_BEAN_NAME = "meterRegistryCloser";

	private final ConfigurableApplicationContext context;

	private volatile @Nullable ApplicationListener<ContextClosedEvent> closer;

	private volatile boolean running;

	DeferredMeterRegistryCloser(ConfigurableApplicationContext context) {
		this.context = context;
	}

	@Override
	@SuppressWarnings("unchecked")
	public void afterSingletonsInstantiated() {
		if (this.context.containsBean(CLOSER_BEAN_NAME)
				&& this.context.getBean(CLOSER_BEAN_NAME) instanceof ApplicationListener<?> listener) {
			ApplicationEventMulticaster multicaster = this.context.getBean(
					AbstractApplicationContext.APPLICATION_EVENT_MULTICASTER_BEAN_NAME,
					ApplicationEventMulticaster.class);
			multicaster.removeApplicationListenerBean(CLOSER_BEAN_NAME);
			this.context.removeApplicationListener(listener);
			this.closer = (ApplicationListener<ContextClosedEvent>) listener;
		}
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		ApplicationListener<ContextClosedEvent> closer = this.closer;
		if (closer != null && this.context.isClosed()) {
			closer.onApplicationEvent(new ContextClosedEvent(this.context));
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Not pauseable: a {@code pause()} of the context is no shutdown.
	 */
	@Override
	public boolean isPauseable() {
		return false;
	}

	/**
	 * Runs right after the phase that completes the drain.
	 */
	@Override
	public int getPhase() {
		return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 2;
	}

}
