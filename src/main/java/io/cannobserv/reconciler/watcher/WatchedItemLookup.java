package io.cannobserv.reconciler.watcher;

import org.jspecify.annotations.Nullable;

import io.cannobserv.reconciler.run.Evidence;

/**
 * What Watcher said about one WatchedItem id, after retries.
 *
 * @param outcome what the answer means
 * @param httpStatus the last HTTP status, or 0 when no answer came
 * @param evidence a short account of the last answer, for reports and audit; made safe
 * {@link Evidence} whatever the answer's bytes
 * @param archiverInfoItemId the InfoItem the WatchedItem links back to, when it was found
 * @param attempts how many requests were sent
 */
public record WatchedItemLookup(Outcome outcome, int httpStatus, String evidence, @Nullable String archiverInfoItemId,
		int attempts) {

	public WatchedItemLookup {
		evidence = Evidence.of(evidence);
	}

	public enum Outcome {

		/** 200 with a WatchedItem that is not archived. */
		ACTIVE,

		/** 200 with a WatchedItem whose {@code archived_at} is set. */
		ARCHIVED,

		/**
		 * 404 with exactly {@code {"detail":"WatchedItem not found"}}: Watcher deleted
		 * it.
		 */
		DELETED,

		/**
		 * Any other 404: a route, a proxy or an id Watcher refused; not proof of
		 * deletion.
		 */
		NOT_FOUND_UNCONFIRMED,

		/**
		 * No usable answer after every attempt: timeouts, resets, 5xx, 429, bad bodies.
		 */
		UNAVAILABLE

	}

}
