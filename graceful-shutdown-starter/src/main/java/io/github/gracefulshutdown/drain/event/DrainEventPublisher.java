package io.github.gracefulshutdown.drain.event;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.context.event.GenericApplicationListenerAdapter;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;

/**
 * Turns the milestones of a drain into Spring application events. Rather than publish
 * them through the context's event multicaster, which calls its listeners one after the
 * other and stops at the first that throws, it gives the drain one {@link DrainListener}
 * for each application listener of the drain events, so that the drain bounds and
 * isolates each of them as it does its own listeners, and logs a slow or failing one by
 * name.
 */
public class DrainEventPublisher {

	private static final Log logger = LogFactory.getLog(DrainEventPublisher.class);

	private static final List<Class<? extends ApplicationEvent>> EVENT_TYPES = List.of(DrainStartedEvent.class,
			DrainWindowEndedEvent.class, DrainCompletedEvent.class);

	private final Supplier<Collection<ApplicationListener<?>>> applicationListeners;

	/**
	 * Creates a publisher.
	 * @param applicationListeners supplies the application's event listeners (for example
	 * {@code AbstractApplicationContext::getApplicationListeners}); asked when the drain
	 * first needs its listeners
	 */
	public DrainEventPublisher(Supplier<Collection<ApplicationListener<?>>> applicationListeners) {
		this.applicationListeners = applicationListeners;
	}

	/**
	 * Creates a publisher for the application listeners of a context: those it has
	 * created, and those it has not created yet (lazy beans, as every bean is with
	 * {@code spring.main.lazy-initialization=true}), which are created when the drain
	 * first needs its listeners, as the context's event multicaster creates them for the
	 * first event they listen for. One that cannot be created is logged and left out.
	 * @param context the context
	 * @return the publisher
	 */
	public static DrainEventPublisher forContext(AbstractApplicationContext context) {
		return new DrainEventPublisher(() -> listenersOf(context));
	}

	private static Collection<ApplicationListener<?>> listenersOf(AbstractApplicationContext context) {
		Set<ApplicationListener<?>> listeners = new LinkedHashSet<>(context.getApplicationListeners());
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		for (String name : beanFactory.getBeanNamesForType(ApplicationListener.class, true, false)) {
			if (beanFactory.containsSingleton(name) || ScopedProxyUtils.isScopedTarget(name)) {
				continue;
			}
			try {
				if (mayListenToDrainEvents(beanFactory, name)) {
					listeners.add(beanFactory.getBean(name, ApplicationListener.class));
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Application listener '" + name + "' could not be created; it is not told of the drain",
						ex);
			}
		}
		return listeners;
	}

	/**
	 * Returns whether a listener bean not created yet may listen for drain events, as the
	 * context's event multicaster tells: by the type of the bean, then by the generic
	 * type its definition declares (a factory method returning
	 * {@code ApplicationListener<ApplicationFailedEvent>}, say).
	 */
	private static boolean mayListenToDrainEvents(ConfigurableListableBeanFactory beanFactory, String name) {
		Class<?> type = beanFactory.getType(name, false);
		if (type == null || GenericApplicationListener.class.isAssignableFrom(type)
				|| SmartApplicationListener.class.isAssignableFrom(type)) {
			return true;
		}
		if (!listensToDrainEvents(ResolvableType.forClass(type))) {
			return false;
		}
		ResolvableType declared = beanFactory.getMergedBeanDefinition(name).getResolvableType();
		return declared == ResolvableType.NONE || listensToDrainEvents(declared);
	}

	private static boolean listensToDrainEvents(ResolvableType listenerType) {
		ResolvableType event = listenerType.as(ApplicationListener.class).getGeneric();
		return event.resolve() == null || EVENT_TYPES.stream().anyMatch(event::isAssignableFrom);
	}

	/**
	 * Returns a drain listener for each application listener of a drain event, in the
	 * order the event multicaster would call them.
	 * @return the listeners, one per application listener
	 */
	public List<DrainListener> listeners() {
		List<ApplicationListener<?>> sorted = new ArrayList<>(this.applicationListeners.get());
		AnnotationAwareOrderComparator.sort(sorted);
		List<DrainListener> listeners = new ArrayList<>();
		for (ApplicationListener<?> listener : sorted) {
			GenericApplicationListener generic = (listener instanceof GenericApplicationListener candidate) ? candidate
					: new GenericApplicationListenerAdapter(listener);
			if (EVENT_TYPES.stream().anyMatch((type) -> supports(generic, type))) {
				listeners.add(new ApplicationListenerCall(listener, generic));
			}
		}
		return listeners;
	}

	private static boolean supports(GenericApplicationListener listener, Class<? extends ApplicationEvent> type) {
		return listener.supportsEventType(ResolvableType.forClass(type)) && listener.supportsSourceType(Drain.class);
	}

	/**
	 * Calls one application listener with the events it listens for.
	 */
	private static final class ApplicationListenerCall implements DrainListener {

		private final ApplicationListener<?> listener;

		private final GenericApplicationListener generic;

		ApplicationListenerCall(ApplicationListener<?> listener, GenericApplicationListener generic) {
			this.listener = listener;
			this.generic = generic;
		}

		@Override
		public void drainStarted(Drain drain) {
			publish(DrainStartedEvent.class, DrainStartedEvent::new, drain);
		}

		@Override
		public void windowEnded(Drain drain) {
			publish(DrainWindowEndedEvent.class, DrainWindowEndedEvent::new, drain);
		}

		@Override
		public void drainCompleted(Drain drain) {
			publish(DrainCompletedEvent.class, DrainCompletedEvent::new, drain);
		}

		private <E extends ApplicationEvent> void publish(Class<E> type, Function<Drain, E> event, Drain drain) {
			if (supports(this.generic, type)) {
				this.generic.onApplicationEvent(event.apply(drain));
			}
		}

		@Override
		public String toString() {
			return this.listener.toString();
		}

	}

}
