package io.cannobserv.reconciler.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import io.cannobserv.reconciler.report.RunReport.ClearedPointer;
import io.cannobserv.reconciler.report.RunReport.RelinkedPointer;
import io.cannobserv.reconciler.report.RunReport.SkippedPointer;
import io.cannobserv.reconciler.report.TextRunList.Column;
import io.cannobserv.reconciler.run.BrakeState;
import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.run.RunCounts;
import io.cannobserv.reconciler.run.Words;
import io.cannobserv.reconciler.version.BuildVersion;

/**
 * A run, or the run list, in GitHub-flavoured Markdown short enough for a chat message or
 * a ticket: the figures, then the first few items of each list and how many more there
 * are. Everything that came from a database row or from Watcher is escaped: a pointer may
 * hold {@code |}, backticks or HTML.
 */
final class MarkdownReport {

	/** Items of each list shown; the JSON report has them all. */
	static final int ITEM_LIMIT = 10;

	private static final Pattern PLAIN = Pattern.compile("[0-9A-Za-z_]+");

	private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z_.+-]+");

	private MarkdownReport() {
	}

	static String run(RunReport report, Words words) {
		RunCounts counts = report.counts();
		RunSummary run = report.summary();
		StringBuilder md = new StringBuilder();
		md.append("### Watcher link reconciler: run ").append(report.runId()).append("\n\n");
		md.append("**").append(report.mode().label()).append("**");
		if (report.partitions() > 1) {
			md.append(", partition ").append(report.partition()).append(" of ").append(report.partitions());
		}
		md.append(", **").append(run.displayStatus()).append("**, exit code ").append(report.exitCode());
		if (report.executions() > 1) {
			md.append(", resumed ").append(report.executions() - 1).append(" time(s)");
		}
		md.append(", on `").append(report.table()).append('`');
		md.append(". Started ")
			.append(Figures.time(report.startedAt()))
			.append(", ")
			.append(run.durations())
			.append(". ")
			.append(escape(capitalised(RunReports.describeStrategy(report, words))))
			.append(". Version ")
			.append(build(report.build()))
			.append(".\n\n");
		if (report.exitMessage() != null && !run.halted()) {
			md.append("> **Stopped because:** ")
				.append(escape(report.exitMessage()))
				.append(" Run the same command again: it resumes from the last committed chunk.\n\n");
		}
		brake(md, report, words);
		RunReport.Snapshot snapshot = report.snapshot();
		if (snapshot != null && !snapshot.used()) {
			md.append("> **Snapshot not used:** ")
				.append(escape(String.valueOf(snapshot.reason())))
				.append("; every pointer was looked up by id.\n\n");
		}
		kept(md, report, words);
		md.append("| Outcome | Pointers |\n|:--|--:|\n");
		for (Outcome outcome : Outcome.values()) {
			if (!Actions.shown(report, outcome)) {
				continue;
			}
			String label = outcome.label();
			row(md, (outcome == Outcome.CLEARED || outcome == Outcome.WOULD_CLEAR) ? "**" + label + "**" : label,
					counts.get(outcome));
		}
		md.append("\nSafety brake: **")
			.append(report.brake().state().label())
			.append("** (")
			.append(Figures.brakeLimits(report.brake()))
			.append(").\n");
		if (report.summary().applied()) {
			pointers(md, report, Outcome.CLEARED, report.cleared(), words);
			relinks(md, report, Outcome.RELINKED, report.relinked(), words);
		}
		else {
			pointers(md, report, Outcome.WOULD_CLEAR, report.wouldClear(), words);
			relinks(md, report, Outcome.WOULD_RELINK, report.wouldRelink(), words);
		}
		return md.toString();
	}

	/**
	 * The halt, or the trip a dry run foresaw, with the pointers to judge and the next
	 * commands.
	 */
	private static void brake(StringBuilder md, RunReport report, Words words) {
		RunReport.Brake brake = report.brake();
		if (brake.state() == BrakeState.CLEAR) {
			return;
		}
		if (brake.state() == BrakeState.TRIPPED) {
			md.append("> **Halted by the safety brake** before writing a chunk of ")
				.append(Figures.count(brake.notWritten()))
				.append(" pointers: ")
				.append(escape(String.valueOf(brake.message())))
				.append(".\n\n");
			if (!report.wouldClear().isEmpty() || !report.wouldRelink().isEmpty()) {
				md.append("**To judge:** the pointers that chunk would have cleared or re-linked, not written:\n\n");
				report.wouldClear()
					.stream()
					.limit(ITEM_LIMIT)
					.forEach((c) -> md.append("- ")
						.append(id(c.infoItemId()))
						.append(" → ")
						.append(id(c.watcherItemId()))
						.append(": ")
						.append(escape(c.evidence()))
						.append('\n'));
				report.wouldRelink()
					.stream()
					.limit(ITEM_LIMIT)
					.forEach((r) -> md.append("- ")
						.append(id(r.infoItemId()))
						.append(": ")
						.append(id(r.watcherItemId()))
						.append(" → ")
						.append(id(r.relinkedTo()))
						.append(" (")
						.append(escape(r.confirmEvidence()))
						.append(")\n"));
				more(md, report.runId(), Math.max(report.wouldClear().size(), report.wouldRelink().size()));
				md.append('\n');
			}
		}
		else {
			md.append("> **Safety brake: an applying run would halt:** ")
				.append(escape(String.valueOf(brake.message())))
				.append(".\n\n");
		}
		md.append("**Next:**\n\n");
		for (Actions.Step step : Actions.next(report, words)) {
			md.append("- ").append(escape(capitalised(step.why()))).append(": `").append(step.command()).append("`\n");
		}
		md.append('\n');
	}

	/**
	 * The kept pointers, by why, each why with what to do; first, as they need a look.
	 */
	private static void kept(StringBuilder md, RunReport report, Words words) {
		Map<Outcome, List<SkippedPointer>> kept = Actions.kept(report.skipped());
		if (kept.isEmpty()) {
			return;
		}
		md.append("**Kept, to look at** (").append(report.skipped().size()).append("):\n\n");
		kept.forEach((outcome, pointers) -> md.append("- **")
			.append(outcome.label())
			.append("** (")
			.append(pointers.size())
			.append("): ")
			.append(escape(Actions.action(outcome, report.runId(), words)))
			.append('\n'));
		md.append("\n| " + escape(capitalised(words.row())) + " | Pointer | Verdict | "
				+ escape(capitalised(words.api())) + "'s answer |\n|:--|:--|:--|:--|\n");
		kept.values()
			.stream()
			.flatMap(List::stream)
			.limit(ITEM_LIMIT)
			.forEach((skipped) -> md.append("| ")
				.append(id(skipped.infoItemId()))
				.append(" | ")
				.append(id(skipped.watcherItemId()))
				.append(" | ")
				.append(Outcome.find(skipped.verdict()).map(Outcome::label).orElse(escape(skipped.verdict())))
				.append(" | ")
				.append(escape(skipped.reason()))
				.append(" |\n"));
		more(md, report.runId(), report.skipped().size());
		md.append('\n');
	}

	private static void pointers(StringBuilder md, RunReport report, Outcome outcome, List<ClearedPointer> cleared,
			Words words) {
		if (cleared.isEmpty() || (outcome == Outcome.WOULD_CLEAR && report.summary().halted())) {
			return;
		}
		md.append("\n**").append(outcome.label()).append("** (").append(cleared.size()).append("): ");
		md.append(escape(Actions.action(outcome, report.runId(), words))).append("\n\n");
		cleared.stream()
			.limit(ITEM_LIMIT)
			.forEach((c) -> md.append("- ")
				.append(id(c.infoItemId()))
				.append(" → ")
				.append(id(c.watcherItemId()))
				.append('\n'));
		more(md, report.runId(), cleared.size());
	}

	private static void relinks(StringBuilder md, RunReport report, Outcome outcome, List<RelinkedPointer> relinked,
			Words words) {
		if (relinked.isEmpty()) {
			return;
		}
		md.append("\n**").append(outcome.label()).append("** (").append(relinked.size()).append("): ");
		md.append(escape(Actions.action(outcome, report.runId(), words))).append("\n\n");
		relinked.stream()
			.limit(ITEM_LIMIT)
			.forEach((r) -> md.append("- ")
				.append(id(r.infoItemId()))
				.append(": ")
				.append(id(r.watcherItemId()))
				.append(" → ")
				.append(id(r.relinkedTo()))
				.append(" (")
				.append(escape(r.confirmEvidence()))
				.append(")\n"));
		more(md, report.runId(), relinked.size());
	}

	/**
	 * The run list, newest first.
	 * @param runs oldest first
	 */
	static String list(List<RunSummary> runs) {
		List<RunSummary> newestFirst = new ArrayList<>(runs);
		Collections.reverse(newestFirst);
		StringBuilder md = new StringBuilder();
		md.append("### Watcher link reconciler: the last ").append(runs.size()).append(" run(s)\n\n");
		md.append('|');
		TextRunList.COLUMNS.forEach((column) -> md.append(' ').append(column.heading()).append(" |"));
		md.append("\n|");
		TextRunList.COLUMNS.forEach((column) -> md.append(column.left() ? ":--|" : "--:|"));
		md.append('\n');
		for (RunSummary run : newestFirst) {
			md.append('|');
			for (Column column : TextRunList.COLUMNS) {
				md.append(' ').append(escape(column.value().apply(run))).append(" |");
			}
			md.append('\n');
		}
		if (newestFirst.stream().anyMatch((run) -> !run.applied())) {
			md.append('\n').append(escape(TextRunList.DRY_RUN_NOTE)).append('\n');
		}
		return md.toString();
	}

	private static String capitalised(String text) {
		return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

	private static String build(@Nullable BuildVersion build) {
		return (build != null) ? code(build.version()) + ", commit " + code(build.shortCommit()) : "not recorded";
	}

	/** A version or a commit in a code span, or escaped text where it is not one. */
	private static String code(String value) {
		return VERSION.matcher(value).matches() ? "`" + value + "`" : escape(value);
	}

	private static void row(StringBuilder md, String label, long count) {
		md.append("| ").append(label).append(" | ").append(Figures.count(count)).append(" |\n");
	}

	private static void more(StringBuilder md, long runId, int total) {
		if (total > ITEM_LIMIT) {
			md.append("\n…and ")
				.append(total - ITEM_LIMIT)
				.append(" more: `report --run ")
				.append(runId)
				.append(" --format json` lists them all.\n");
		}
	}

	/**
	 * An id or a verdict in a code span when it is plain, else escaped text in quotes (it
	 * may be blank).
	 */
	private static String id(String value) {
		return PLAIN.matcher(value).matches() ? "`" + value + "`" : escape(PointerText.quoted(value));
	}

	/**
	 * Text safe inside a line or a table cell: the characters that Markdown or HTML read
	 * as syntax there are backslash-escaped. Those that matter only at the start of a
	 * line ({@code #}, {@code -}, {@code +}, {@code .}) are left alone, as values never
	 * start one: escaping them too would litter the text for chat clients that show the
	 * backslashes.
	 */
	static String escape(String text) {
		StringBuilder escaped = new StringBuilder(text.length());
		text.codePoints().forEach((c) -> {
			if (c == '\n' || c == '\r') {
				escaped.append(' ');
			}
			else if (c < 128 && "\\`*_[]<>|~&".indexOf(c) >= 0) {
				escaped.append('\\').appendCodePoint(c);
			}
			else {
				escaped.appendCodePoint(c);
			}
		});
		return escaped.toString();
	}

}
