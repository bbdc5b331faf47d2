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
	READ("Checked", "#5f6f81", ""),

	/**
	 * Pointers the first pass decided from its snapshot of Watcher's list, without a
	 * lookup ({@code --strategy=snapshot}).
	 */
	FROM_SNAPSHOT("From the snapshot", "#76448a", ""),

	/** Watcher has the WatchedItem and it links back to this InfoItem (or to none). */
	LIVE("Live", "#5b9e7c", "Nothing to do.", Trait.VERDICT, Trait.DEFINITE),

	/** Watcher has the WatchedItem, archived: it still exists, the pointer stays. */
	ARCHIVED("Archived", "#8db5d6", "Nothing to do: {api} keeps an archived {item}, so the pointer stays.",
			Trait.VERDICT, Trait.DEFINITE, Trait.KEPT),

	/**
	 * Watcher answered the typed 404: the WatchedItem was deleted. The only clearable
	 * verdict.
	 */
	GONE("Gone", "#c0392b", "{api} confirmed the deletion with {gone}: the pointer is cleared.", Trait.VERDICT,
			Trait.DEFINITE, Trait.STALE),

	/** A gone pointer cleared, with its audit row. */
	CLEARED("Cleared", "#c0392b",
			"If {api} was wrong (the wrong one behind WATCHER_BASE_URL, or an empty backup), restore --run ID --apply puts them back.",
			Trait.WRITE),

	/** A gone pointer a dry run would clear. */
	WOULD_CLEAR("Would clear", "#e8a7a0",
			"Not written: check a few of these in {api} before an applying run clears them.", Trait.WRITE,
			Trait.FINDING),

	/** A gone pointer re-linked since it was read: the compare-and-set left it alone. */
	CHANGED_CONCURRENTLY("Re-linked meanwhile", "#f0a07a",
			"Left alone: the pointer changed in {source} while the run judged it. Nothing to do.", Trait.WRITE,
			Trait.FINDING, Trait.REPORTED),

	/**
	 * The pointer is gone or links back to another InfoItem, and exactly one other
	 * WatchedItem tracks this InfoItem, confirmed by a lookup of it ({@code --relink}):
	 * the pointer is re-linked to it.
	 */
	MOVED("Moved", "#2e86c1", "Another {item} tracks this {row}, confirmed by {api}: the pointer is re-linked to it.",
			Trait.VERDICT, Trait.DEFINITE, Trait.STALE),

	/** A moved pointer re-linked to the WatchedItem that tracks its InfoItem, audited. */
	RELINKED("Re-linked", "#2e86c1", "If {api} was wrong, restore --run ID --apply puts the old pointers back.",
			Trait.WRITE),

	/** A moved pointer a dry run would re-link. */
	WOULD_RELINK("Would re-link", "#a9cce3", "Not written: an applying run with --relink re-links these.", Trait.WRITE,
			Trait.FINDING),

	/**
	 * A moved pointer changed since it was read: the compare-and-set left it alone, not
	 * re-linked.
	 */
	RELINK_CHANGED_CONCURRENTLY("Changed meanwhile", "#f5b041",
			"Left alone, not re-linked: the pointer changed in {source} while the run judged it. Nothing to do; the next run judges it again.",
			Trait.WRITE, Trait.FINDING, Trait.REPORTED),

	/** A 404 that is not Watcher's typed one: not proof of deletion. */
	NOT_FOUND_UNCONFIRMED("Unconfirmed 404", "#d99a1e",
			"Kept: a 404 without {gone-404} is no proof of deletion. Something between the job and {api} answers 404 (an ingress, a proxy, a wrong path in WATCHER_BASE_URL); each row shows the body it got.",
			Trait.VERDICT, Trait.KEPT, Trait.FINDING, Trait.REPORTED),

	/** The pointer is not a ULID; it was never sent. */
	MALFORMED("Malformed", "#9aa3ad",
			"Kept, never sent to {api}: the pointer is not {id}. Correct or empty it in {source}.", Trait.VERDICT,
			Trait.KEPT, Trait.FINDING, Trait.REPORTED),

	/** The WatchedItem links back to another InfoItem. */
	MISMATCHED("Mismatched", "#5f6f81",
			"Kept: the {item} links back to another {row}. Check which {row} it belongs to; --relink re-links where {api} confirms the right one.",
			Trait.VERDICT, Trait.DEFINITE, Trait.KEPT, Trait.FINDING, Trait.REPORTED),

	/**
	 * No usable answer after every retry; asked again by the recheck, and by the next
	 * run.
	 */
	TRANSIENT("Transient", "#7e57c2",
			"Kept, and asked again next run: {api} gave no usable answer (5xx, 429, timeout) after every retry. Many of them? {api} is flaky, or RECONCILER_WATCHER_MAX_REQUESTS_PER_SECOND is too high for it.",
			Trait.VERDICT, Trait.KEPT, Trait.FINDING, Trait.REPORTED);

	private final String label;

	private final String colour;

	private final String action;

	private final Set<Trait> traits;

	Outcome(String label, String colour, String action, Trait... traits) {
		this.label = label;
		this.colour = colour;
		this.action = action;
		this.traits = (traits.length > 0) ? EnumSet.copyOf(Arrays.asList(traits)) : EnumSet.noneOf(Trait.class);
	}

	/**
	 * Its name for people, capitalised: {@code Unconfirmed 404}. The one name every human
	 * format (console, Markdown, HTML) and the documentation give it; in the JSON it is
	 * {@link #jsonName()}.
	 */
	public String label() {
		return this.label;
	}

	/** Its name in running text: {@code unconfirmed 404}. */
	public String lowerLabel() {
		return this.label.toLowerCase(Locale.ROOT);
	}

	/**
	 * What to do about pointers of this outcome, in one line, in the built-in link's
	 * words (the alerts say the same); empty for the counts that are no verdict.
	 */
	public String action() {
		return action(Words.WATCHER);
	}

	/** What to do about pointers of this outcome, in {@code words}. */
	public String action(Words words) {
		return words.render(this.action);
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

	/**
	 * The outcome named {@code name} as the job's tables store it ({@link #name()}) or as
	 * the report's JSON does ({@link #jsonName()}), if any.
	 */
	public static java.util.Optional<Outcome> find(String name) {
		return Arrays.stream(values())
			.filter((outcome) -> outcome.name().equals(name) || outcome.jsonName().equals(name))
			.findFirst();
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
