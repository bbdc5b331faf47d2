package io.cannobserv.reconciler.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.run.RunCounts;

/**
 * A run's counts as the charts show them: one bar per verdict, the gone pointers split by
 * what was done with them. The colours are the outcomes' own, shared by both charts and
 * the tables, so that transient pointers are the same purple everywhere.
 */
final class Outcomes {

	/** The part of a halted run's gone pointers that no write reached. */
	private static final String UNWRITTEN = "unwritten";

	private Outcomes() {
	}

	static List<Bar> bars(RunSummary run) {
		RunCounts c = run.counts();
		List<Bar> bars = new ArrayList<>();
		for (Outcome verdict : Outcome.verdicts()) {
			List<Segment> segments = (verdict == Outcome.GONE) ? gone(run)
					: List.of(segment(verdict, c.get(verdict), verdict.label().toLowerCase(Locale.ROOT)));
			bars.add(new Bar(verdict.name(), verdict.label(), segments));
		}
		return bars;
	}

	/**
	 * Gone = cleared + re-linked meanwhile; a brake trip leaves the rest of its chunk
	 * unwritten.
	 */
	private static List<Segment> gone(RunSummary run) {
		RunCounts c = run.counts();
		if (!run.applied()) {
			return List.of(segment(Outcome.WOULD_CLEAR, c.get(Outcome.WOULD_CLEAR), "would clear (dry run)"));
		}
		List<Segment> gone = new ArrayList<>();
		for (Outcome written : List.of(Outcome.CLEARED, Outcome.CHANGED_CONCURRENTLY)) {
			gone.add(segment(written, c.get(written), written.label().toLowerCase(Locale.ROOT)));
		}
		long unwritten = Math.max(0,
				c.get(Outcome.GONE) - c.get(Outcome.CLEARED) - c.get(Outcome.CHANGED_CONCURRENTLY));
		if (unwritten > 0) {
			gone.add(new Segment(UNWRITTEN, "not written (run halted)", unwritten, Outcome.MALFORMED.colour()));
		}
		return gone;
	}

	private static Segment segment(Outcome outcome, long count, String label) {
		return new Segment(outcome.jsonName(), label, count, outcome.colour());
	}

	/**
	 * The colour of an outcome named as the report's items carry it; a gone pointer is
	 * the cleared red.
	 */
	static String colour(String outcomeName) {
		for (Outcome outcome : Outcome.values()) {
			if (outcome.name().equals(outcomeName)) {
				return outcome.colour();
			}
		}
		return Outcome.LIVE.colour();
	}

	/**
	 * One verdict's bar.
	 *
	 * @param verdict the verdict's name, as in the report's items
	 * @param label its name for people
	 * @param segments what was done with those pointers, in stacking order
	 */
	record Bar(String verdict, String label, List<Segment> segments) {

		long total() {
			return this.segments.stream().mapToLong(Segment::count).sum();
		}

	}

	/**
	 * Part of a bar.
	 *
	 * @param key the count's name in the report
	 * @param label its name for people
	 * @param count how many pointers
	 * @param colour its fill
	 */
	record Segment(String key, String label, long count, String colour) {
	}

}
