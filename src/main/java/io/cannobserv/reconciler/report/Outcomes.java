package io.cannobserv.reconciler.report;

import java.util.ArrayList;
import java.util.List;

import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.run.RunCounts;

/**
 * A run's counts as the charts show them: one bar per verdict, the gone and moved
 * pointers split by what was done with them. The colours are the outcomes' own, shared by
 * both charts and the tables, so that transient pointers are the same purple everywhere.
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
			if (!Actions.shown(run, verdict)) {
				continue;
			}
			List<Segment> segments = verdict.isStale() ? written(run, verdict)
					: List.of(segment(verdict, c.get(verdict), verdict.lowerLabel()));
			bars.add(new Bar(verdict.name(), verdict.label(), segments));
		}
		return bars;
	}

	/**
	 * Gone = cleared + re-linked meanwhile, moved = re-linked + changed meanwhile; a
	 * brake trip leaves the rest of its chunk unwritten.
	 */
	private static List<Segment> written(RunSummary run, Outcome verdict) {
		RunCounts c = run.counts();
		boolean gone = verdict == Outcome.GONE;
		if (!run.applied()) {
			Outcome would = gone ? Outcome.WOULD_CLEAR : Outcome.WOULD_RELINK;
			return List.of(segment(would, c.get(would), would.lowerLabel() + " (dry run)"));
		}
		List<Segment> segments = new ArrayList<>();
		long unwritten = c.get(verdict);
		for (Outcome written : gone ? List.of(Outcome.CLEARED, Outcome.CHANGED_CONCURRENTLY)
				: List.of(Outcome.RELINKED, Outcome.RELINK_CHANGED_CONCURRENTLY)) {
			segments.add(segment(written, c.get(written), written.lowerLabel()));
			unwritten -= c.get(written);
		}
		// the chunk the brake halted: judged, not written
		Outcome would = gone ? Outcome.WOULD_CLEAR : Outcome.WOULD_RELINK;
		if (c.get(would) > 0) {
			segments.add(segment(would, c.get(would), would.lowerLabel() + " (halted, not written)"));
			unwritten -= c.get(would);
		}
		if (unwritten > 0) {
			segments.add(new Segment(UNWRITTEN, "not written (run halted)", unwritten, Outcome.MALFORMED.colour()));
		}
		return segments;
	}

	private static Segment segment(Outcome outcome, long count, String label) {
		return new Segment(outcome.jsonName(), label, count, outcome.colour());
	}

	/**
	 * The colour of an outcome named as the report's items carry it; a gone pointer is
	 * the cleared red.
	 */
	static String colour(String outcomeName) {
		return Outcome.find(outcomeName).map(Outcome::colour).orElse(Outcome.LIVE.colour());
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
