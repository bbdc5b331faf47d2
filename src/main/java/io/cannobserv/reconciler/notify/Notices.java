package io.cannobserv.reconciler.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import io.cannobserv.reconciler.report.RunReport;
import io.cannobserv.reconciler.report.RunReports;
import io.cannobserv.reconciler.run.ExitCode;
import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.run.Words;
import io.cannobserv.reconciler.version.BuildVersion;

/**
 * When a run needs a human, and the message that tells one: the safety brake halted it,
 * it failed or could not start, or it kept pointers whose 404 was not Watcher's typed
 * answer (a proxy or a wrong route may be answering for Watcher). A run that completed
 * cleanly, or that found another run holding the lock (that run tells its own end), needs
 * no one.
 */
final class Notices {

	private static final String TITLE = "### Watcher link reconciler: ";

	private Notices() {
	}

	/**
	 * The message for a run that ended with a report, if it needs a human: why, then the
	 * run's Markdown summary.
	 * @param words what the run's link calls its things
	 * @param markdown the run's Markdown summary
	 */
	static Optional<String> ofRun(RunReport report, ExitCode exitCode, Words words, String markdown) {
		List<String> reasons = new ArrayList<>();
		if (exitCode == ExitCode.BRAKE) {
			reasons.add("the safety brake halted the run before it wrote the chunk that tripped it");
		}
		else if (exitCode != ExitCode.COMPLETED) {
			reasons.add("the run failed or was stopped (exit code " + exitCode.code()
					+ "); the same command resumes it from its last committed chunk");
		}
		long unconfirmed = report.counts().get(Outcome.NOT_FOUND_UNCONFIRMED);
		if (unconfirmed > 0) {
			reasons.add(unconfirmed + ((unconfirmed == 1) ? " pointer" : " pointers") + " got a 404 that is not "
					+ words.api() + "'s typed answer, kept: check that WATCHER_BASE_URL reaches " + words.api()
					+ " itself");
		}
		if (reasons.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of("**Needs a human:** " + String.join("; ", reasons) + ".\n\n" + markdown);
	}

	/**
	 * The message for a reconcile run that ended without a report, if it needs a human:
	 * it could not start (exit 2), or failed outside the job (exit 1).
	 * @param mode {@code apply} or {@code dry-run}
	 * @param partition the partition, or null for an unpartitioned run
	 * @param exitCode how it ended
	 * @param failure the one line it printed
	 * @param build this build
	 */
	static Optional<String> ofEnding(String mode, @Nullable String partition, ExitCode exitCode,
			@Nullable String failure, BuildVersion build) {
		String what;
		String then;
		if (exitCode == ExitCode.NOT_STARTED) {
			what = "could not start";
			then = "Nothing was read or written: fix what it says, then run it again.";
		}
		else if (exitCode == ExitCode.RESUMABLE) {
			what = "failed";
			then = "Run the same command again: it resumes from its last committed chunk.";
		}
		else {
			return Optional.empty();
		}
		StringBuilder md = new StringBuilder(TITLE).append("reconcile ").append(what).append("\n\n");
		md.append("**Needs a human:** the ").append(mode).append(" run");
		if (partition != null) {
			md.append(" of partition ").append(partition);
		}
		md.append(' ').append(what).append(", exit code ").append(exitCode.code()).append(". ").append(then);
		md.append("\n\n");
		if (failure != null) {
			md.append("> ").append(RunReports.markdownText(failure)).append("\n\n");
		}
		md.append("Version `").append(build.version()).append("`, commit `").append(build.shortCommit()).append("`.\n");
		return Optional.of(md.toString());
	}

}
