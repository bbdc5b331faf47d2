package io.cannobserv.reconciler.run;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a run counts: the pointers it read (and of those, how many it decided from a
 * snapshot of Watcher's list), the verdict on each, and what was done with the gone and
 * moved ones. A new outcome is one constant here: the counts, the run history, the
 * reports, the metrics and the brake take it from its traits. The declaration order is
 * the order of every report and of the report's JSON.
 */
public enum Outcome {

	/** Pointers the first pass read (every pointer of the run, once). */
	READ("Checked", "#5f6f81"),

	/**
	 * Pointers the first pass decided from its snapshot of Watcher's list, without a
	 * lookup ({@code --strategy=snapshot}).
	 */
	FROM_SNAPSHOT("Decided from the snapshot", "#76448a"),

	/** Watcher has the WatchedItem and it links back to this InfoItem (or to none). */
	LIVE("Live", "#5b9e7c", Trait.VERDICT, Trait.DEFINITE),

	/** Watcher has the WatchedItem, archived: it still exists, the pointer stays. */
	ARCHIVED("Archived", "#8db5d6", Trait.VERDICT, Trait.DEFINITE, Trait.KEPT),

	/**
	 * Watcher answered the typed 404: the WatchedItem was deleted. The only clearable
	 * verdict.
	 */
	GONE("Gone in Watcher", "#c0392b", Trait.VERDICT, Trait.DEFINITE, Trait.STALE),

	/** A gone pointer cleared, with its audit row. */
	CLEARED("Cleared", "#c0392b", Trait.WRITE),

	/** A gone pointer a dry run would clear. */
	WOULD_CLEAR("Would clear", "#e8a7a0", Trait.WRITE, Trait.FINDING),

	/** A gone pointer re-linked since it was read: the compare-and-set left it alone. */
	CHANGED_CONCURRENTLY("Re-linked meanwhile, left alone", "#f0a07a", Trait.WRITE, Trait.FINDING, Trait.REPORTED),

	/**
	 * The pointer is gone or links back to another InfoItem, and exactly one other
	 * WatchedItem tracks this InfoItem, confirmed by a lookup of it ({@code --relink}):
	 * the pointer is re-linked to it.
	 */
	MOVED("Moved in Watcher", "#2e86c1", Trait.VERDICT, Trait.DEFINITE, Trait.STALE),

	/** A moved pointer re-linked to the WatchedItem that tracks its InfoItem, audited. */
	RELINKED("Re-linked", "#2e86c1", Trait.WRITE),

	/** A moved pointer a dry run would re-link. */
	WOULD_RELINK("Would re-link", "#a9cce3", Trait.WRITE, Trait.FINDING),

	/**
	 * A moved pointer changed since it was read: the compare-and-set left it alone, not
	 * re-linked.
	 */
	RELINK_CHANGED_CONCURRENTLY("Changed meanwhile, not re-linked", "#f5b041", Trait.WRITE, Trait.FINDING,
			Trait.REPORTED),

	/** A 404 that is not Watcher's typed one: not proof of deletion. */
	NOT_FOUND_UNCONFIRMED("Not found, unconfirmed", "#d99a1e", Trait.VERDICT, Trait.KEPT, Trait.FINDING,
			Trait.REPORTED),

	/** The pointer is not a ULID; it was never sent. */
	MALFORMED("Malformed", "#9aa3ad", Trait.VERDICT, Trait.KEPT, Trait.FINDING, Trait.REPORTED),

	/** The WatchedItem links back to another InfoItem. */
	MISMATCHED("Mismatched", "#5f6f81", Trait.VERDICT, Trait.DEFINITE, Trait.KEPT, Trait.FINDING, Trait.REPORTED),

	/**
	 * No usable answer after every retry; asked again by the recheck, and by the next
	 * run.
	 */
	TRANSIENT("Transient", "#7e57c2", Trait.VERDICT, Trait.KEPT, Trait.FINDING, Trait.REPORTED);

	private final String label;

	private final String colour;

	private final Set<Trait> traits;

	Outcome(String label, String colour, Trait... traits) {
		this.label = label;
		this.colour = colour;
		this.traits = (traits.length > 0) ? EnumSet.copyOf(Arrays.asList(traits)) : EnumSet.noneOf(Trait.class);
	}

	/** Its name for people, capitalised: {@code Not found, unconfirmed}. */
	public String label() {
		return this.label;
	}

	/** Its colour in charts and tables. */
	public String colour() {
		return this.colour;
	}

	/**
	 * Its name in the report's JSON, the run history and the metrics:
	 * {@code notFoundUnconfirmed}.
	 */
	public String jsonName() {
		StringBuilder name = new StringBuilder();
		for (String word : name().toLowerCase(Locale.ROOT).split("_")) {
			name.append(name.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
		}
		return name.toString();
	}

	/** Its name in the console summary: {@code not-found-unconfirmed}. */
	public String summaryName() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/** Whether the classifier can conclude it about a pointer. */
	public boolean isVerdict() {
		return this.traits.contains(Trait.VERDICT);
	}

	/** Whether it is what the writer did with a gone pointer. */
	public boolean isWrite() {
		return this.traits.contains(Trait.WRITE);
	}

	/**
	 * Whether Watcher answered definitely: the brake judges the share of gone among
	 * these.
	 */
	public boolean isDefinite() {
		return this.traits.contains(Trait.DEFINITE);
	}

	/**
	 * Whether the pointer no longer leads to this InfoItem's WatchedItem, so that the run
	 * clears or re-links it: the brake counts these as it counts clears.
	 */
	public boolean isStale() {
		return this.traits.contains(Trait.STALE);
	}

	/** Whether the pointer stays although Watcher did not call it live. */
	public boolean isKept() {
		return this.traits.contains(Trait.KEPT);
	}

	/** Whether each such pointer is recorded as a finding of the run. */
	public boolean isFinding() {
		return this.traits.contains(Trait.FINDING);
	}

	/** Whether the report lists each such pointer as "kept and reported". */
	public boolean isReported() {
		return this.traits.contains(Trait.REPORTED);
	}

	/** The verdicts, in report order. */
	public static List<Outcome> verdicts() {
		return Arrays.stream(values()).filter(Outcome::isVerdict).toList();
	}

	/** The outcome named {@code jsonName} in a report or the run history. */
	public static Outcome fromJsonName(String jsonName) {
		return Arrays.stream(values())
			.filter((outcome) -> outcome.jsonName().equals(jsonName))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("Unknown outcome '" + jsonName + "'"));
	}

	private enum Trait {

		VERDICT, WRITE, DEFINITE, STALE, KEPT, FINDING, REPORTED

	}

}
