package io.cannobserv.reconciler.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A run's counts as the charts show them: one bar per verdict, the gone pointers split by
 * what was done with them. The colours are shared by both charts and the tables, so that
 * "transient" is the same purple everywhere.
 */
final class Outcomes {

	static final String LIVE = "#5b9e7c";

	static final String ARCHIVED = "#8db5d6";

	static final String CLEARED = "#c0392b";

	static final String CHANGED_CONCURRENTLY = "#f0a07a";

	static final String WOULD_CLEAR = "#e8a7a0";

	static final String UNCONFIRMED = "#d99a1e";

	static final String MISMATCHED = "#5f6f81";

	static final String MALFORMED = "#9aa3ad";

	static final String TRANSIENT = "#7e57c2";

	private Outcomes() {
	}

	static List<Bar> bars(RunSummary run) {
		RunCounts c = run.counts();
		List<Bar> bars = new ArrayList<>();
		bars.add(new Bar("LIVE", "Live", List.of(new Segment("live", "live", c.live(), LIVE))));
		bars.add(new Bar("ARCHIVED", "Archived", List.of(new Segment("archived", "archived", c.archived(), ARCHIVED))));
		if (run.applied()) {
			// gone = cleared + re-linked meanwhile; a brake trip leaves the rest of its chunk unwritten
			long unwritten = Math.max(0, c.gone() - c.cleared() - c.changedConcurrently());
			List<Segment> gone = new ArrayList<>(List.of(new Segment("cleared", "cleared", c.cleared(), CLEARED),
					new Segment("changedConcurrently", "re-linked meanwhile, left alone", c.changedConcurrently(),
							CHANGED_CONCURRENTLY)));
			if (unwritten > 0) {
				gone.add(new Segment("unwritten", "not written (run halted)", unwritten, MALFORMED));
			}
			bars.add(new Bar("GONE", "Gone in Watcher", gone));
		}
		else {
			bars.add(new Bar("GONE", "Gone in Watcher",
					List.of(new Segment("wouldClear", "would clear (dry run)", c.wouldClear(), WOULD_CLEAR))));
		}
		bars.add(new Bar("NOT_FOUND_UNCONFIRMED", "Not found, unconfirmed", List
			.of(new Segment("notFoundUnconfirmed", "not found, unconfirmed", c.notFoundUnconfirmed(), UNCONFIRMED))));
		bars.add(new Bar("MISMATCHED", "Mismatched",
				List.of(new Segment("mismatched", "mismatched", c.mismatched(), MISMATCHED))));
		bars.add(new Bar("MALFORMED", "Malformed",
				List.of(new Segment("malformed", "malformed", c.malformed(), MALFORMED))));
		bars.add(new Bar("TRANSIENT", "Transient",
				List.of(new Segment("transient", "transient", c.transientCount(), TRANSIENT))));
		return bars;
	}

	/** The colour of a verdict, as the report's items carry it. */
	static String colour(String verdict) {
		return switch (verdict) {
			case "NOT_FOUND_UNCONFIRMED" -> UNCONFIRMED;
			case "MISMATCHED" -> MISMATCHED;
			case "MALFORMED" -> MALFORMED;
			case "TRANSIENT" -> TRANSIENT;
			case "CHANGED_CONCURRENTLY" -> CHANGED_CONCURRENTLY;
			case "WOULD_CLEAR" -> WOULD_CLEAR;
			case "GONE" -> CLEARED;
			default -> LIVE;
		};
	}

	/**
	 * One verdict's bar.
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
	 * @param key the count's name in the report
	 * @param label its name for people
	 * @param count how many pointers
	 * @param colour its fill
	 */
	record Segment(String key, String label, long count, String colour) {
	}

}
