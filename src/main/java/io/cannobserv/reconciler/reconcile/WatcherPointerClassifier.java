package io.cannobserv.reconciler.reconcile;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.batch.infrastructure.item.ItemProcessor;

import io.cannobserv.reconciler.archiver.InfoItemPointer;
import io.cannobserv.reconciler.link.Resource;
import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.watcher.WatchedItemLookup;
import io.cannobserv.reconciler.watcher.WatcherClient;

/**
 * Classifies a pointer by asking Watcher. Returns a verdict for every outcome, so that
 * the decision "gone or not" is made here, once, and never by the step's retry or skip
 * machinery. A pointer that is not a ULID is never sent.
 * <p>
 * A pointer whose WatchedItem the run's snapshot of Watcher's list holds is decided from
 * it, without a request; any other is looked up by id, and only that lookup's typed 404
 * makes it gone. With {@code --relink}, a gone or mismatched pointer is then given to the
 * {@link RelinkSearch}.
 * <p>
 * Every pass asks once: a lookup that slept through its backoff would hold a worker and
 * stall its whole chunk. The first pass's transient pointers are asked again by the
 * recheck's {@link RecheckRounds rounds} at the end of the run, one pause per round; the
 * {@link #lastRound last round} lets a re-link search that gets no answer fall back.
 */
final class WatcherPointerClassifier implements ItemProcessor<InfoItemPointer, PointerVerdict> {

	private final Resource resource;

	private final Function<String, WatchedItemLookup> lookup;

	private final @Nullable RelinkSearch relinkSearch;

	private WatcherPointerClassifier(Resource resource, Function<String, WatchedItemLookup> lookup,
			@Nullable RelinkSearch relinkSearch) {
		this.resource = resource;
		this.lookup = lookup;
		this.relinkSearch = relinkSearch;
	}

	/**
	 * One request per pointer: a transient answer waits for the recheck's next round.
	 */
	static WatcherPointerClassifier firstPass(WatcherClient watcherClient, boolean relink) {
		return new WatcherPointerClassifier(watcherClient.link().resource(), watcherClient::lookupOnce,
				relink ? RelinkSearch.firstPass(watcherClient) : null);
	}

	/**
	 * One request per pointer, counted as a retry: a transient answer waits for the next
	 * round.
	 */
	static WatcherPointerClassifier round(WatcherClient watcherClient, boolean relink) {
		return new WatcherPointerClassifier(watcherClient.link().resource(), watcherClient::lookupAgain,
				relink ? RelinkSearch.round(watcherClient) : null);
	}

	/**
	 * One request per pointer, counted as a retry: a pointer still transient is kept, and
	 * a re-link search that gets no answer falls back to the verdict as it was.
	 */
	static WatcherPointerClassifier lastRound(WatcherClient watcherClient, boolean relink) {
		return new WatcherPointerClassifier(watcherClient.link().resource(), watcherClient::lookupAgain,
				relink ? RelinkSearch.lastRound(watcherClient) : null);
	}

	@Override
	public PointerVerdict process(InfoItemPointer pointer) {
		if (!this.resource.id().matches(pointer.watcherItemId())) {
			return new PointerVerdict(pointer, Outcome.MALFORMED, 0,
					"not " + this.resource.id().called() + ", never sent to " + this.resource.name());
		}
		InfoItemPointer.Listed listed = pointer.listed();
		PointerVerdict verdict = (listed != null) ? listedVerdict(pointer, listed) : lookedUp(pointer);
		if (this.relinkSearch != null
				&& (verdict.outcome() == Outcome.GONE || verdict.outcome() == Outcome.MISMATCHED)) {
			return this.relinkSearch.search(verdict);
		}
		return verdict;
	}

	private PointerVerdict lookedUp(InfoItemPointer pointer) {
		WatchedItemLookup lookup = this.lookup.apply(pointer.watcherItemId());
		Outcome outcome = verdictOf(pointer, lookup);
		String evidence = (outcome == Outcome.MISMATCHED)
				? lookup.evidence() + ", links back to InfoItem " + lookup.archiverInfoItemId() : lookup.evidence();
		return new PointerVerdict(pointer, outcome, lookup.httpStatus(), evidence);
	}

	/** As a lookup by id would decide from the same WatchedItem. */
	private static PointerVerdict listedVerdict(InfoItemPointer pointer, InfoItemPointer.Listed listed) {
		String state = "listed in the snapshot: " + (listed.archived() ? "archived" : "active");
		String backLink = listed.archiverInfoItemId();
		if (backLink != null && !backLink.equals(pointer.infoItemId())) {
			return new PointerVerdict(pointer, Outcome.MISMATCHED, 200, state + ", links back to InfoItem " + backLink);
		}
		return new PointerVerdict(pointer, listed.archived() ? Outcome.ARCHIVED : Outcome.LIVE, 200, state);
	}

	/**
	 * Every answer named: a new kind of answer does not compile until it has a verdict.
	 */
	private static Outcome verdictOf(InfoItemPointer pointer, WatchedItemLookup lookup) {
		return switch (lookup.outcome()) {
			case ACTIVE, ARCHIVED -> {
				String backLink = lookup.archiverInfoItemId();
				if (backLink != null && !backLink.equals(pointer.infoItemId())) {
					yield Outcome.MISMATCHED;
				}
				yield (lookup.outcome() == WatchedItemLookup.Outcome.ARCHIVED) ? Outcome.ARCHIVED : Outcome.LIVE;
			}
			case DELETED -> Outcome.GONE;
			case NOT_FOUND_UNCONFIRMED -> Outcome.NOT_FOUND_UNCONFIRMED;
			case UNAVAILABLE -> Outcome.TRANSIENT;
		};
	}

}
