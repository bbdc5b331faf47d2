package io.cannobserv.reconciler.watcher;

import org.jspecify.annotations.Nullable;

/**
 * What Watcher's list said about the WatchedItems that link back to one InfoItem
 * ({@code archiver_info_item_id}), after retries.
 *
 * @param outcome what the answer means
 * @param watchedItemId the one WatchedItem that links back, when there is exactly one
 * @param httpStatus the last HTTP status, or 0 when no answer came
 * @param evidence a short, single-line account of the answer, for reports and audit
 * @param attempts how many requests were sent
 */
public record LinkLookup(Outcome outcome, @Nullable String watchedItemId, int httpStatus, String evidence,
		int attempts) {

	public enum Outcome {

		/** Exactly one WatchedItem links back. */
		ONE,

		/** None does. */
		NONE,

		/**
		 * Several do, or the list holds items that do not link back (the filter was not
		 * applied).
		 */
		AMBIGUOUS,

		/** An answer that is not the list: a route or filter Watcher refused. */
		REFUSED,

		/**
		 * No usable answer after every attempt: timeouts, resets, 5xx, 429, bad bodies.
		 */
		UNAVAILABLE

	}

}
