package io.cannobserv.reconciler.watcher;

import java.util.List;

/**
 * Where a snapshot's items go as they arrive, so that memory holds one batch whatever the
 * list's size.
 */
public interface SnapshotSink {

	/** How many items a batch holds at most. */
	int BATCH = 5_000;

	/**
	 * Keep a batch of items.
	 * @throws SnapshotRefused when the items cannot be trusted, such as an id listed
	 * twice
	 */
	void accept(List<SnapshotItem> batch);

	/** Forget every item taken so far: the snapshot is taken again, or not used. */
	void discard();

}
