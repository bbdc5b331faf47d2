package io.cannobserv.reconciler.reconcile;

import java.util.function.Function;
import java.util.regex.Pattern;

import org.springframework.batch.infrastructure.item.ItemProcessor;

import io.cannobserv.reconciler.archiver.InfoItemPointer;
import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.watcher.WatchedItemLookup;
import io.cannobserv.reconciler.watcher.WatcherClient;

/**
 * Classifies a pointer by asking Watcher. Returns a verdict for every outcome, so that
 * the decision "gone or not" is made here, once, and never by the step's retry or skip
 * machinery. A pointer that is not a ULID is never sent.
 * <p>
 * The {@link #firstPass first pass} asks once: a lookup that sleeps through its backoff
 * would hold a worker and stall its whole chunk. Its transient pointers are asked again,
 * patiently, by the {@link #recheck recheck} at the end of the run.
 */
final class WatcherPointerClassifier implements ItemProcessor<InfoItemPointer, PointerVerdict> {

	/** 26 characters of Crockford base32, upper case; the first at most 7 (128 bits). */
	private static final Pattern ULID = Pattern.compile("[0-7][0-9A-HJKMNP-TV-Z]{25}");

	private final Function<String, WatchedItemLookup> lookup;

	private WatcherPointerClassifier(Function<String, WatchedItemLookup> lookup) {
		this.lookup = lookup;
	}

	/** One request per pointer: a transient answer waits for the recheck. */
	static WatcherPointerClassifier firstPass(WatcherClient watcherClient) {
		return new WatcherPointerClassifier(watcherClient::lookupOnce);
	}

	/** Retries transient answers with backoff, up to {@code --max-attempts}. */
	static WatcherPointerClassifier recheck(WatcherClient watcherClient) {
		return new WatcherPointerClassifier(watcherClient::lookup);
	}

	@Override
	public PointerVerdict process(InfoItemPointer pointer) {
		if (!isUlid(pointer.watcherItemId())) {
			return new PointerVerdict(pointer, Outcome.MALFORMED, 0, "not a ULID, never sent to Watcher");
		}
		WatchedItemLookup lookup = this.lookup.apply(pointer.watcherItemId());
		Outcome outcome = verdictOf(pointer, lookup);
		String evidence = (outcome == Outcome.MISMATCHED)
				? lookup.evidence() + ", links back to InfoItem " + lookup.archiverInfoItemId() : lookup.evidence();
		return new PointerVerdict(pointer, outcome, lookup.httpStatus(), evidence);
	}

	static boolean isUlid(String value) {
		return ULID.matcher(value).matches();
	}

	private static Outcome verdictOf(InfoItemPointer pointer, WatchedItemLookup lookup) {
		switch (lookup.outcome()) {
			case ACTIVE, ARCHIVED:
				String backLink = lookup.archiverInfoItemId();
				if (backLink != null && !backLink.equals(pointer.infoItemId())) {
					return Outcome.MISMATCHED;
				}
				return (lookup.outcome() == WatchedItemLookup.Outcome.ARCHIVED) ? Outcome.ARCHIVED : Outcome.LIVE;
			case DELETED:
				return Outcome.GONE;
			case NOT_FOUND_UNCONFIRMED:
				return Outcome.NOT_FOUND_UNCONFIRMED;
			default:
				return Outcome.TRANSIENT;
		}
	}

}
