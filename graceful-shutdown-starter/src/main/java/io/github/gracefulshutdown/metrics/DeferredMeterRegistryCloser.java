package io.github.gracefulshutdown.metrics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Keeps the meter registries open until the drain has completed. Spring Boot closes them
 * as soon as the context starts closing, from a {@link ContextClosedEvent} listener, so
 * that push registries publish a last time while everything is still up; with a drain
 * that is too early, as the in-flight drain and the final figures would never be
 * published, and meters first used during the drain would not be registered. This
 * post-processor wraps that listener so that it runs in the lifecycle phase after the
 * drain has completed (after the web server has stopped), still before any bean is
 * destroyed. Registries that are never closed this way are closed when their beans are
 * destroyed.
 */
class DeferredMeterRegistryCloser implements BeanPostProcessor, SmartLifecycle {

	/**
	 * Name of Spring Boot's listener that closes the meter registries.
	 */
	static final String CLOSER_BEAN_NAME = "meterRegistryCloser";

	private final List<Runnable> deferred = new CopyOnWriteArrayList<>();

	private volatile boolean running;

	@Override
	@SuppressWarnings("unchecked")
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (CLOSER_BEAN_NAME.equals(beanName) && bean instanceof ApplicationListener<?> listener) {
			return new DeferringListener((ApplicationListener<ContextClosedEvent>) listener);
		}
		return bean;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.deferred.forEach(Runnable::run);
		this.deferred.clear();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Runs right after the phase that completes the drain.
	 */
	@Override
	public int getPhase() {
		return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 2;
	}

	/**
	 * Stands in for Spring Boot's closer and hands it the close event once the drain has
	 * completed.
	 */
	private final class DeferringListener implements ApplicationListener<ContextClosedEvent> {

		private final ApplicationListener<ContextClosedEvent> closer;

		DeferringListener(ApplicationListener<ContextClosedEvent> closer) {
			this.closer = closer;
		}

		@Override
		public void onApplicationEvent(ContextClosedEvent event) {
			DeferredMeterRegistryCloser.this.deferred.add(() -> this.closer.onApplicationEvent(event));
		}

	}

}
