package io.cannobserv.reconciler.reconcile;

import java.util.regex.Pattern;

import org.springframework.batch.infrastructure.item.ItemProcessor;

import io.cannobserv.reconciler.reconcile.PointerVerdict.Kind;
import io.cannobserv.reconciler.watcher.WatchedItemLookup;
import io.cannobserv.reconciler.watcher.WatcherClient;

/**
 * Classifies a pointer by asking Watcher. Returns a verdict for every outcome, so that the
 * decision "gone or not" is made here, once, and never by the step's retry or skip
 * machinery. A pointer that is not a ULID is never sent.
 * <p>
 * The first pass asks once: a lookup that sleeps through its backoff would hold a worker and
 * stall its whole chunk. Its transient pointers are asked again, patiently, by the recheck
 * step at the end of the run.
 */
class WatcherPointerClassifier implements ItemProcessor<InfoItemPointer, PointerVerdict> {

	/** 26 characters of Crockford base32, upper case; the first at most 7 (128 bits). */
	private static final Pattern ULID = Pattern.compile("[0-7][0-9A-HJKMNP-TV-Z]{25}");

	private final WatcherClient watcherClient;

	private final boolean patient;

	/**
	 * @param watcherClient the client
	 * @param patient retry transient answers with backoff (the recheck), or ask once
	 */
	WatcherPointerClassifier(WatcherClient watcherClient, boolean patient) {
		this.watcherClient = watcherClient;
		this.patient = patient;
	}

	@Override
	public PointerVerdict process(InfoItemPointer pointer) {
		if (!isUlid(pointer.watcherItemId())) {
			return new PointerVerdict(pointer, Kind.MALFORMED, 0, "not a ULID, never sent to Watcher");
		}
		WatchedItemLookup lookup = this.patient ? this.watcherClient.lookup(pointer.watcherItemId())
				: this.watcherClient.lookupOnce(pointer.watcherItemId());
		Kind kind = kindOf(pointer, lookup);
		String evidence = (kind == Kind.MISMATCHED)
				? lookup.evidence() + ", links back to InfoItem " + lookup.archiverInfoItemId() : lookup.evidence();
		return new PointerVerdict(pointer, kind, lookup.httpStatus(), evidence);
	}

	static boolean isUlid(String value) {
		return ULID.matcher(value).matches();
	}

	private static Kind kindOf(InfoItemPointer pointer, WatchedItemLookup lookup) {
		switch (lookup.outcome()) {
			case ACTIVE, ARCHIVED:
				String backLink = lookup.archiverInfoItemId();
				if (backLink != null && !backLink.equals(pointer.infoItemId())) {
					return Kind.MISMATCHED;
				}
				return (lookup.outcome() == WatchedItemLookup.Outcome.ARCHIVED) ? Kind.ARCHIVED : Kind.LIVE;
			case DELETED:
				return Kind.GONE;
			case NOT_FOUND_UNCONFIRMED:
				return Kind.NOT_FOUND_UNCONFIRMED;
			default:
				return Kind.TRANSIENT;
		}
	}

}
