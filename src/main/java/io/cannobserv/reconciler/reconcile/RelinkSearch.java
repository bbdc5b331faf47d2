package io.cannobserv.reconciler.reconcile;

import java.util.function.Function;

import io.cannobserv.reconciler.link.BackLinkSearch;
import io.cannobserv.reconciler.link.IdFormat;
import io.cannobserv.reconciler.link.Resource;
import io.cannobserv.reconciler.reconcile.PointerVerdict.Relink;
import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.watcher.LinkLookup;
import io.cannobserv.reconciler.watcher.WatchedItemLookup;
import io.cannobserv.reconciler.watcher.WatcherClient;

/**
 * For a pointer that is gone or links back to another InfoItem ({@code --relink}): asks
 * Watcher's list for the WatchedItem whose back-link is this InfoItem, archived ones
 * included, and makes the pointer {@link Outcome#MOVED moved} only when there is exactly
 * one, it is not the pointer's own, and a lookup of it by id confirms that it links back
 * here. Anything else (none, several, a back-link that does not confirm) leaves the
 * verdict as it was, with a note of why.
 * <p>
 * A question Watcher did not answer makes the verdict transient, so that the recheck's
 * next round asks again; its last round falls back to the verdict as it was.
 */
final class RelinkSearch {

	private final IdFormat key;

	private final String resourceName;

	private final Function<String, LinkLookup> list;

	private final Function<String, WatchedItemLookup> byId;

	private final boolean last;

	private RelinkSearch(Resource resource, Function<String, LinkLookup> list, Function<String, WatchedItemLookup> byId,
			boolean last) {
		BackLinkSearch search = resource.backLinkSearch();
		if (search == null) {
			throw new IllegalArgumentException("--relink needs the search of the resources that link back, which "
					+ resource.name() + " does not have (the link's resource.back-link-search): leave --relink out");
		}
		this.key = search.key();
		this.resourceName = resource.name();
		this.list = list;
		this.byId = byId;
		this.last = last;
	}

	/**
	 * One request per question: one that gets no usable answer waits for the next round.
	 */
	static RelinkSearch firstPass(WatcherClient watcherClient) {
		return new RelinkSearch(watcherClient.link().resource(), watcherClient::linkedToOnce, watcherClient::lookupOnce,
				false);
	}

	/**
	 * One request per question, the search counted as asked again: one that gets no
	 * usable answer waits for the next round.
	 */
	static RelinkSearch round(WatcherClient watcherClient) {
		return new RelinkSearch(watcherClient.link().resource(), watcherClient::linkedToAgain,
				watcherClient::lookupOnce, false);
	}

	/**
	 * One request per question, the search counted as asked again, then falls back: no
	 * round follows.
	 */
	static RelinkSearch lastRound(WatcherClient watcherClient) {
		return new RelinkSearch(watcherClient.link().resource(), watcherClient::linkedToAgain,
				watcherClient::lookupOnce, true);
	}

	/**
	 * The verdict on a gone or mismatched pointer, with its re-link where Watcher
	 * confirms one.
	 */
	PointerVerdict search(PointerVerdict stale) {
		String infoItemId = stale.pointer().infoItemId();
		if (!this.key.matches(infoItemId)) {
			return stale.noting("not re-linked: the InfoItem id is not " + this.key.called() + ", never sent to "
					+ this.resourceName);
		}
		LinkLookup links = this.list.apply(infoItemId);
		// every answer named: a new kind of answer does not compile until it is judged
		return switch (links.outcome()) {
			case ONE -> confirm(stale, links);
			case NONE, AMBIGUOUS, REFUSED -> stale.noting("not re-linked: " + links.evidence());
			case UNAVAILABLE -> unanswered(stale, links.httpStatus(), links.evidence());
		};
	}

	/**
	 * The re-link to the one WatchedItem the list named, when a lookup of it by id
	 * confirms that it links back here.
	 */
	private PointerVerdict confirm(PointerVerdict stale, LinkLookup links) {
		String infoItemId = stale.pointer().infoItemId();
		String candidate = links.watchedItemId();
		if (candidate == null) {
			return stale.noting("not re-linked: " + links.evidence());
		}
		if (candidate.equals(stale.pointer().watcherItemId())) {
			return stale.noting("not re-linked: the list names the pointer's own WatchedItem: " + links.evidence());
		}
		WatchedItemLookup confirm = this.byId.apply(candidate);
		String lookup = "lookup of " + candidate + ": " + confirm.evidence();
		String unconfirmed = "not re-linked: " + links.evidence() + ", but the " + lookup + " did not confirm";
		return switch (confirm.outcome()) {
			case ACTIVE, ARCHIVED -> {
				if (!infoItemId.equals(confirm.archiverInfoItemId())) {
					yield stale.noting(unconfirmed + " (links back to " + confirm.archiverInfoItemId() + ")");
				}
				yield new PointerVerdict(stale.pointer(), Outcome.MOVED, stale.httpStatus(), stale.evidence(),
						new Relink(candidate, links.evidence(), lookup + ", links back to " + infoItemId));
			}
			case DELETED, NOT_FOUND_UNCONFIRMED -> stale.noting(unconfirmed);
			case UNAVAILABLE -> unanswered(stale, confirm.httpStatus(), lookup);
		};
	}

	private PointerVerdict unanswered(PointerVerdict stale, int httpStatus, String evidence) {
		if (this.last) {
			return stale.noting("not re-linked, no answer: " + evidence);
		}
		return new PointerVerdict(stale.pointer(), Outcome.TRANSIENT, httpStatus,
				stale.evidence() + "; re-link asked again later, no answer: " + evidence);
	}

}
