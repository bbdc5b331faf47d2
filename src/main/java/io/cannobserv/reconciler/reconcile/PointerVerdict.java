package io.cannobserv.reconciler.reconcile;

/**
 * What the classifier concluded about one pointer.
 *
 * @param pointer the InfoItem and its pointer as read
 * @param kind the verdict
 * @param httpStatus Watcher's last HTTP status, or 0 when nothing was sent or answered
 * @param evidence a short, single-line account of why, kept in the audit and the report
 */
public record PointerVerdict(InfoItemPointer pointer, Kind kind, int httpStatus, String evidence) {

	public enum Kind {

		/** Watcher has the WatchedItem and it links back to this InfoItem (or to none). */
		LIVE,

		/** Watcher has the WatchedItem, archived: it still exists, the pointer stays. */
		ARCHIVED,

		/** Watcher answered the typed 404: the WatchedItem was deleted. The only clearable verdict. */
		GONE,

		/** A 404 that is not Watcher's typed one: not proof of deletion. */
		NOT_FOUND_UNCONFIRMED,

		/** The pointer is not a ULID; it was never sent. */
		MALFORMED,

		/** No usable answer after every retry. */
		TRANSIENT,

		/** The WatchedItem links back to another InfoItem. */
		MISMATCHED

	}

}
