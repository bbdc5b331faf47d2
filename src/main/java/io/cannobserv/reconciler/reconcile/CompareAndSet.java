package io.cannobserv.reconciler.reconcile;

import io.cannobserv.reconciler.run.Outcome;

/**
 * What became of the write of one stale pointer. The clear (or re-link) is a
 * compare-and-set: its UPDATE matches the row only while it still holds the pointer that
 * was judged, so a pointer re-linked in Archiver meanwhile is left alone and reported,
 * never overwritten. A dry run writes nothing and says what it would do.
 */
final class CompareAndSet {

	private CompareAndSet() {
	}

	/**
	 * The outcome of an applying run's write.
	 * @param verdict a stale verdict ({@link Outcome#GONE} or {@link Outcome#MOVED})
	 * @param matchedRows the rows the compare-and-set updated
	 * @return {@code CLEARED} or {@code RELINKED} when the row still held the pointer,
	 * {@code CHANGED_CONCURRENTLY} or {@code RELINK_CHANGED_CONCURRENTLY} when it did not
	 * @throws IllegalArgumentException when the verdict is not stale: nothing else is
	 * ever written
	 * @throws IllegalStateException when the write matched more than one row, which the
	 * table's key rules out: the chunk rolls back rather than trust it
	 */
	static Outcome written(PointerVerdict verdict, int matchedRows) {
		boolean relink = relink(verdict);
		return switch (matchedRows) {
			case 1 -> relink ? Outcome.RELINKED : Outcome.CLEARED;
			case 0 -> relink ? Outcome.RELINK_CHANGED_CONCURRENTLY : Outcome.CHANGED_CONCURRENTLY;
			default -> throw new IllegalStateException("Compare-and-set of InfoItem " + verdict.pointer().infoItemId()
					+ " matched " + matchedRows + " rows; expected 0 or 1");
		};
	}

	/**
	 * What a dry run reports for a stale verdict it does not write.
	 * @param verdict a stale verdict
	 * @return {@code WOULD_CLEAR} or {@code WOULD_RELINK}
	 * @throws IllegalArgumentException when the verdict is not stale
	 */
	static Outcome notWritten(PointerVerdict verdict) {
		return relink(verdict) ? Outcome.WOULD_RELINK : Outcome.WOULD_CLEAR;
	}

	private static boolean relink(PointerVerdict verdict) {
		if (!verdict.outcome().isStale()) {
			throw new IllegalArgumentException("Only a stale pointer is written; InfoItem "
					+ verdict.pointer().infoItemId() + " is " + verdict.outcome());
		}
		return verdict.outcome() == Outcome.MOVED;
	}

}
