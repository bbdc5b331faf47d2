package io.cannobserv.reconciler.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import io.cannobserv.reconciler.report.RunReport.ClearedPointer;
import io.cannobserv.reconciler.report.RunReport.RelinkedPointer;
import io.cannobserv.reconciler.report.RunReport.SkippedPointer;
import io.cannobserv.reconciler.report.TextRunList.Column;
import io.cannobserv.reconciler.run.BrakeState;
import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.run.RunCounts;
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

	static String run(RunReport report) {
		RunCounts counts = report.counts();
		StringBuilder md = new StringBuilder();
		md.append("### Watcher link reconciler: run ").append(report.runId()).append("\n\n");
		md.append("**").append(report.mode().label()).append("**");
		if (report.partitions() > 1) {
			md.append(", partition ").append(report.partition()).append(" of ").append(report.partitions());
		}
		md.append(", **").append(report.status()).append("**, exit code ").append(report.exitCode());
		if (report.executions() > 1) {
			md.append(", resumed ").append(report.executions() - 1).append(" time(s)");
		}
		md.append(", on `").append(report.table()).append('`');
		md.append(". Started ")
			.append(Figures.time(report.startedAt()))
			.append(", took ")
			.append(Figures.duration(report.summary().duration()))
			.append(". ")
			.append(escape(capitalised(RunReports.describeStrategy(report))))
			.append(". Version ")
			.append(build(report.build()))
			.append(".\n\n");
		if (report.exitMessage() != null) {
			md.append("> **Stopped because:** ").append(escape(report.exitMessage())).append("\n\n");
		}
		RunReport.Snapshot snapshot = report.snapshot();
		if (snapshot != null && !snapshot.used()) {
			md.append("> **Snapshot not used:** ")
				.append(escape(String.valueOf(snapshot.reason())))
				.append("; every pointer was looked up by id.\n\n");
		}
		BrakeState brake = report.brake().state();
		if (brake != BrakeState.CLEAR) {
			md.append("> **Safety brake ")
				.append((brake == BrakeState.TRIPPED) ? BrakeState.TRIPPED.label() : "would trip in apply mode")
				.append(":** ")
				.append(escape(String.valueOf(report.brake().message())))
				.append("\n\n");
		}
		md.append("| Outcome | Pointers |\n|:--|--:|\n");
		row(md, Outcome.READ.label(), counts.get(Outcome.READ));
		if (counts.get(Outcome.FROM_SNAPSHOT) > 0) {
			row(md, Outcome.FROM_SNAPSHOT.label(), counts.get(Outcome.FROM_SNAPSHOT));
		}
		for (Outcome outcome : Outcome.values()) {
			if (outcome.isVerdict()) {
				row(md, outcome.label() + (outcome.isKept() ? " (kept)" : ""), counts.get(outcome));
			}
			if (outcome == Outcome.GONE) {
				if (report.summary().applied()) {
					row(md, "**" + Outcome.CLEARED.label() + "**", counts.get(Outcome.CLEARED));
					row(md, Outcome.CHANGED_CONCURRENTLY.label(), counts.get(Outcome.CHANGED_CONCURRENTLY));
				}
				else {
					row(md, "**" + Outcome.WOULD_CLEAR.label() + "** (dry run)", counts.get(Outcome.WOULD_CLEAR));
				}
			}
			if (outcome == Outcome.MOVED) {
				if (report.summary().applied()) {
					row(md, "**" + Outcome.RELINKED.label() + "**", counts.get(Outcome.RELINKED));
					row(md, Outcome.RELINK_CHANGED_CONCURRENTLY.label(),
							counts.get(Outcome.RELINK_CHANGED_CONCURRENTLY));
				}
				else {
					row(md, "**" + Outcome.WOULD_RELINK.label() + "** (dry run)", counts.get(Outcome.WOULD_RELINK));
				}
			}
		}
		md.append("\nSafety brake: **")
			.append(report.brake().state().label())
			.append("** (")
			.append(Figures.brakeLimits(report.brake()))
			.append(").\n");
		List<ClearedPointer> cleared = report.summary().applied() ? report.cleared() : report.wouldClear();
		if (!cleared.isEmpty()) {
			md.append("\n**").append(report.summary().applied() ? "Cleared" : "Would clear").append("** (");
			md.append(cleared.size()).append("):\n\n");
			cleared.stream()
				.limit(ITEM_LIMIT)
				.forEach((c) -> md.append("- ")
					.append(id(c.infoItemId()))
					.append(" → ")
					.append(id(c.watcherItemId()))
					.append('\n'));
			more(md, report.runId(), cleared.size());
		}
		List<RelinkedPointer> relinked = report.summary().applied() ? report.relinked() : report.wouldRelink();
		if (!relinked.isEmpty()) {
			md.append("\n**").append(report.summary().applied() ? "Re-linked" : "Would re-link").append("** (");
			md.append(relinked.size()).append("):\n\n");
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
		if (!report.skipped().isEmpty()) {
			md.append("\n**Kept and reported** (").append(report.skipped().size()).append("):\n\n");
			md.append("| InfoItem | Pointer | Verdict | Watcher's answer |\n|:--|:--|:--|:--|\n");
			for (SkippedPointer skipped : report.skipped().stream().limit(ITEM_LIMIT).toList()) {
				md.append("| ")
					.append(id(skipped.infoItemId()))
					.append(" | ")
					.append(id(skipped.watcherItemId()))
					.append(" | ")
					.append(id(skipped.verdict()))
					.append(" | ")
					.append(escape(skipped.reason()))
					.append(" |\n");
			}
			more(md, report.runId(), report.skipped().size());
		}
		return md.toString();
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
