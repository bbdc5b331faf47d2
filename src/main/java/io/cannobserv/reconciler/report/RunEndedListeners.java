package io.cannobserv.reconciler.report;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.SimpleApplicationEventMulticaster;
import org.springframework.context.support.AbstractApplicationContext;

/**
 * Holds the listeners of {@link RunEnded} to its contract: each runs, in order, whatever
 * the ones before it did, and only a failure to record the run
 * ({@link RunNotRecordedException}) reaches the command and changes its exit code. Any
 * other event is delivered as Spring delivers it.
 */
@Configuration(proxyBeanMethods = false)
class RunEndedListeners {

	private static final Logger logger = LoggerFactory.getLogger(RunEndedListeners.class);

	@Bean(AbstractApplicationContext.APPLICATION_EVENT_MULTICASTER_BEAN_NAME)
	static SimpleApplicationEventMulticaster applicationEventMulticaster(BeanFactory beanFactory) {
		return new SimpleApplicationEventMulticaster(beanFactory) {

			@Override
			protected void invokeListener(ApplicationListener<?> listener, ApplicationEvent event) {
				if (!(event instanceof PayloadApplicationEvent<?> payload
						&& payload.getPayload() instanceof RunEnded)) {
					super.invokeListener(listener, event);
					return;
				}
				try {
					super.invokeListener(listener, event);
				}
				catch (RunNotRecordedException ex) {
					throw ex;
				}
				catch (RuntimeException ex) {
					logger.warn("A listener of the run's end failed; the run and its exit code stand: {}",
							ex.toString());
				}
			}

		};
	}

}
