package io.cannobserv.reconciler.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.cannobserv.reconciler.report.RunReport.SkippedPointer;
import io.cannobserv.reconciler.run.BrakeState;
import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.run.RunCounts;
import io.cannobserv.reconciler.run.Strategy;
import io.cannobserv.reconciler.run.Words;

/**
 * What every human format of a run's report puts first, decided once: the next commands
 * after a halt, the kept pointers grouped by why with what to do about each, and which
 * rows a run's features make worth showing. The words come from {@link Outcome}, in the
 * link's {@link Words}.
 */
final class Actions {

	/**
	 * Kept pointers grouped by why, the likeliest question first; an outcome not listed
	 * comes last.
	 */
	private static final List<Outcome> KEPT_ORDER = List.of(Outcome.TRANSIENT, Outcome.NOT_FOUND_UNCONFIRMED,
			Outcome.MISMATCHED, Outcome.MALFORMED, Outcome.CHANGED_CONCURRENTLY, Outcome.RELINK_CHANGED_CONCURRENTLY);

	private Actions() {
	}

	/**
	 * Whether a count is worth a row: those of a feature that is off (re-link, the
	 * snapshot, the writes of the other mode) are structurally zero, and shown only if
	 * they are not (a run recorded otherwise, a halted chunk's would clear).
	 */
	static boolean shown(RunReport report, Outcome outcome) {
		return shown(report.summary(), outcome);
	}

	static boolean shown(RunSummary report, Outcome outcome) {
		if (report.counts().get(outcome) > 0) {
			return true;
		}
		boolean applied = report.applied();
		return switch (outcome) {
			case FROM_SNAPSHOT -> report.strategy() == Strategy.SNAPSHOT;
			case MOVED -> report.relink();
			case RELINKED, RELINK_CHANGED_CONCURRENTLY -> report.relink() && applied;
			case WOULD_RELINK -> report.relink() && !applied;
			case CLEARED, CHANGED_CONCURRENTLY -> applied;
			case WOULD_CLEAR -> !applied;
			// every run can meet these, so they are shown even at zero
			case READ, LIVE, ARCHIVED, GONE, NOT_FOUND_UNCONFIRMED, MALFORMED, MISMATCHED, TRANSIENT -> true;
		};
	}

	/** What to do about {@code outcome}'s pointers in this run, in one line. */
	static String action(Outcome outcome, long runId, Words words) {
		return outcome.action(words).replace("--run ID", "--run " + runId);
	}

	/** The kept pointers by why, in the order to read them. */
	static Map<Outcome, List<SkippedPointer>> kept(List<SkippedPointer> skipped) {
		Map<Outcome, List<SkippedPointer>> byOutcome = new LinkedHashMap<>();
		KEPT_ORDER.forEach((outcome) -> byOutcome.put(outcome, new ArrayList<>()));
		for (SkippedPointer pointer : skipped) {
			Outcome outcome = Outcome.find(pointer.verdict()).orElse(Outcome.TRANSIENT);
			byOutcome.computeIfAbsent(outcome, (key) -> new ArrayList<>()).add(pointer);
		}
		byOutcome.values().removeIf(List::isEmpty);
		return byOutcome;
	}

	/**
	 * The commands to run next, when the brake tripped or would have: exact, with the
	 * limits computed from the figures. Empty otherwise.
	 */
	static List<Step> next(RunReport report, Words words) {
		BrakeState state = report.brake().state();
		if (state == BrakeState.CLEAR) {
			return List.of();
		}
		String identity = ((report.partitions() > 1)
				? " --partition=" + report.partition() + " --partitions=" + report.partitions() : "")
				+ (report.relink() ? " --relink" : "");
		String override = (report.brake().override() != null) ? " " + report.brake().override() : "";
		List<Step> steps = new ArrayList<>();
		RunCounts counts = report.counts();
		if (state == BrakeState.TRIPPED) {
			steps.add(new Step("preview every pointer the run would clear, writing nothing", "reconcile" + identity));
			steps.add(new Step("proceed, once the pointers above are really gone in " + words.api()
					+ " (resumes at the halted chunk)", "reconcile --apply" + identity + override));
			long written = counts.get(Outcome.CLEARED) + counts.get(Outcome.RELINKED);
			if (written > 0) {
				steps.add(new Step(
						"undo the " + written + " pointer(s) written before the halt, if " + words.api() + " was wrong",
						"restore --run " + report.runId() + " --apply"));
			}
		}
		else {
			steps.add(new Step("apply anyway, once these pointers are really gone in " + words.api(),
					"reconcile --apply" + identity + override));
		}
		return steps;
	}

	/**
	 * A command to run next.
	 *
	 * @param why when to run it
	 * @param command the command, after the program's name
	 */
	record Step(String why, String command) {
	}

}
