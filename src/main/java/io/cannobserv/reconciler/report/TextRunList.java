package io.cannobserv.reconciler.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

import io.cannobserv.reconciler.run.Outcome;

/**
 * The run list as a terminal table, newest run first. Plain ASCII columns, so it survives
 * {@code kubectl logs}, {@code less} and a copy into a ticket.
 */
final class TextRunList {

	/**
	 * The columns of every format's run list; a dry run's cleared figure is what it would
	 * clear.
	 */
	static final List<Column> COLUMNS = List.of(new Column("RUN", false, (r) -> String.valueOf(r.runId())),
			new Column("MODE", true, (r) -> r.mode().label()),
			new Column("PARTITION", true, (r) -> r.partitionLabel().isEmpty() ? "-" : r.partitionLabel()),
			new Column("STATUS", true, RunSummary::displayStatus),
			new Column("EXIT", false, (r) -> String.valueOf(r.exitCode())),
			new Column("STARTED (UTC)", true, (r) -> Figures.time(r.startedAt()).replace(" UTC", "")),
			new Column("DURATION", false, (r) -> Figures.duration(r.worked())),
			new Column(heading(Outcome.READ), false, (r) -> String.valueOf(r.counts().get(Outcome.READ))),
			new Column(heading(Outcome.CLEARED), false,
					(r) -> r.applied() ? String.valueOf(r.counts().get(Outcome.CLEARED))
							: "(" + r.counts().get(Outcome.WOULD_CLEAR) + ")"),
			new Column(heading(Outcome.RELINKED), false,
					(r) -> r.applied() ? String.valueOf(r.counts().get(Outcome.RELINKED))
							: "(" + r.counts().get(Outcome.WOULD_RELINK) + ")"),
			new Column(heading(Outcome.TRANSIENT), false, (r) -> String.valueOf(r.counts().get(Outcome.TRANSIENT))),
			new Column(heading(Outcome.NOT_FOUND_UNCONFIRMED), false,
					(r) -> String.valueOf(r.counts().get(Outcome.NOT_FOUND_UNCONFIRMED))),
			new Column("BRAKE", true, (r) -> r.brake().state().label()),
			new Column("VERSION", true, (r) -> (r.build() != null) ? r.build().label() : "-"));

	static final String DRY_RUN_NOTE = "(n): a dry run, which would clear (or re-link) n.";

	private TextRunList() {
	}

	/** A count's column is headed by its outcome's one name. */
	private static String heading(Outcome outcome) {
		return outcome.label().toUpperCase(java.util.Locale.ROOT);
	}

	/**
	 * The run list, newest first.
	 * @param runs oldest first, as the history gives them
	 */
	static String render(List<RunSummary> runs) {
		List<RunSummary> newestFirst = new ArrayList<>(runs);
		Collections.reverse(newestFirst);
		int[] widths = new int[COLUMNS.size()];
		for (int c = 0; c < COLUMNS.size(); c++) {
			widths[c] = COLUMNS.get(c).heading().length();
			for (RunSummary run : newestFirst) {
				widths[c] = Math.max(widths[c], COLUMNS.get(c).value().apply(run).length());
			}
		}
		StringBuilder text = new StringBuilder();
		text.append(line(COLUMNS.stream().map(Column::heading).toList(), widths));
		for (RunSummary run : newestFirst) {
			text.append(line(COLUMNS.stream().map((column) -> column.value().apply(run)).toList(), widths));
		}
		if (newestFirst.stream().anyMatch((run) -> !run.applied())) {
			text.append(DRY_RUN_NOTE).append('\n');
		}
		return text.toString();
	}

	private static String line(List<String> cells, int[] widths) {
		StringBuilder line = new StringBuilder();
		for (int c = 0; c < cells.size(); c++) {
			String cell = cells.get(c);
			String padding = " ".repeat(widths[c] - cell.length());
			line.append(COLUMNS.get(c).left() ? cell + padding : padding + cell);
			if (c < cells.size() - 1) {
				line.append("  ");
			}
		}
		return line.toString().stripTrailing() + "\n";
	}

	/**
	 * A column of the run list.
	 *
	 * @param heading its title
	 * @param left whether it is text (left-aligned) rather than a figure
	 * @param value the cell of a run
	 */
	record Column(String heading, boolean left, Function<RunSummary, String> value) {
	}

}
