package io.cannobserv.reconciler.notify;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;

import io.cannobserv.reconciler.metrics.RunLabels;
import io.cannobserv.reconciler.run.ExitCode;
import io.cannobserv.reconciler.version.BuildVersion;

/**
 * Tells the configured webhook of a reconcile run whose application could not start at
 * all (the database unreachable, a setting invalid): no bean exists then, so this reads
 * the configuration from the environment the application had prepared. Added to the
 * application before it runs.
 */
public final class StartFailureNotifier implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

	private final RunLabels labels;

	private volatile @Nullable ConfigurableEnvironment environment;

	public StartFailureNotifier(RunLabels labels) {
		this.labels = labels;
	}

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		this.environment = event.getEnvironment();
	}

	/**
	 * Tell of the failure to start, if this is a reconcile run and a webhook is set.
	 * @param failure the one line the command printed
	 * @return a line saying what came of the message, if one was sent
	 */
	public Optional<String> tell(String failure) {
		ConfigurableEnvironment environment = this.environment;
		if (!this.labels.reconciles() || environment == null) {
			return Optional.empty();
		}
		Optional<Notifier> notifier;
		try {
			notifier = Notifier.of(environment);
		}
		catch (RuntimeException ex) {
			// the notification's own settings are invalid, which is then why the
			// application could not start: the line printed already says so
			return Optional.empty();
		}
		String partitions = environment.getProperty("reconciler.partitions", "1");
		String partition = "1".equals(partitions.strip()) ? null
				: environment.getProperty("reconciler.partition", "0") + " of " + partitions;
		return notifier.flatMap((webhook) -> Notices
			.ofEnding(this.labels.mode(), partition, ExitCode.NOT_STARTED, failure, BuildVersion.current())
			.map((message) -> webhook.send(message, "reconcile could not start").detail()));
	}

}
