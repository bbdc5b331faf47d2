package io.cannobserv.reconciler.support;

/**
 * The shapes of Archiver's {@code information} schema this job meets in the field.
 */
public enum ArchiverVersion {

	/** Archiver 4.2 to 4.9: the pointer column, no {@code watch_status}. */
	V4_2(true, false),

	/** Archiver 4.10 to 4.12: the pointer column and the {@code watch_status} cache. */
	V4_10(true, true),

	/** Archiver 4.13+: the pointer column is gone (Watcher links back on its side). */
	V4_13(false, true);

	private final boolean pointerColumn;

	private final boolean watchStatus;

	ArchiverVersion(boolean pointerColumn, boolean watchStatus) {
		this.pointerColumn = pointerColumn;
		this.watchStatus = watchStatus;
	}

	/** Whether {@code information.info_items.watcher_item_id} exists. */
	public boolean hasPointerColumn() {
		return this.pointerColumn;
	}

	/** Whether {@code information.watch_status} exists. */
	public boolean hasWatchStatus() {
		return this.watchStatus;
	}

}
