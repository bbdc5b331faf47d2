package io.cannobserv.reconciler.notify;

import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.metrics.RunLabels;
import io.cannobserv.reconciler.report.RunEnded;
import io.cannobserv.reconciler.report.RunReport;
import io.cannobserv.reconciler.report.RunReports;
import io.cannobserv.reconciler.run.ExitCode;
import io.cannobserv.reconciler.run.ReconcilerProperties;
import io.cannobserv.reconciler.version.BuildVersion;

/**
 * Tells the configured webhook when a reconcile run needs a human (see {@link Notices}):
 * at the run's end, with its report, and when the command ends without one (it could not
 * start, or failed outside the job). Whatever the webhook does, the run's exit code
 * stands, and one log line says what came of the message.
 */
@Component
public class RunNotifier {

	private static final Logger logger = LoggerFactory.getLogger(RunNotifier.class);

	private final Optional<Notifier> notifier;

	private final ReconcilerProperties properties;

	/** The exit code of the run's end this process told of, if any. */
	private volatile @Nullable ExitCode heard;

	private final RunReports runReports;

	RunNotifier(NotifyProperties notifyProperties, Environment environment, ReconcilerProperties properties,
			RunReports runReports) {
		this.notifier = Notifier.of(notifyProperties, environment);
		this.properties = properties;
		this.runReports = runReports;
	}

	@EventListener
	@Order(RunEnded.TELL)
	void onRunEnded(RunEnded ended) {
		this.heard = ended.exitCode();
		RunReport report = ended.report();
		Notices.ofRun(report, ended.exitCode(), this.runReports.words(report), this.runReports.markdown(report))
			.ifPresent((message) -> send(message,
					"run " + ended.report().runId() + " ended with exit code " + ended.exitCode().code()));
	}

	/**
	 * The run ended with {@code exitCode}: called whichever way it ended, before the
	 * context closes; only for {@code reconcile}, the one command notified of. A
	 * reconcile run that ended without a report (it could not start, or failed outside
	 * the job) is told of here; one whose end was heard, already.
	 * @param labels the command and its mode
	 * @param exitCode the process's exit code
	 * @param failure the one line the command printed, if it failed
	 */
	public void ended(RunLabels labels, ExitCode exitCode, @Nullable String failure) {
		if (exitCode == this.heard) {
			return;
		}
		String partition = this.properties.partitioned()
				? this.properties.partition() + " of " + this.properties.partitions() : null;
		Notices.ofEnding(labels.mode(), partition, exitCode, failure, BuildVersion.current())
			.ifPresent((message) -> send(message, "reconcile ended with exit code " + exitCode.code()));
	}

	private void send(String message, String why) {
		this.notifier.ifPresent((webhook) -> log(webhook.send(message, why)));
	}

	private static void log(Webhook.Outcome outcome) {
		if (outcome.sent()) {
			logger.info(outcome.detail());
		}
		else {
			logger.warn(outcome.detail());
		}
	}

}
