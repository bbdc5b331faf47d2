package io.cannobserv.reconciler.archiver;

import org.jspecify.annotations.Nullable;

/**
 * One InfoItem and the Watcher pointer it held when it was read.
 *
 * @param infoItemId the InfoItem
 * @param watcherItemId its pointer, as stored (it may be junk)
 * @param listed the WatchedItem it points to as the run's snapshot of Watcher's list
 * holds it, or null when the run has no snapshot or the snapshot does not hold it
 */
public record InfoItemPointer(String infoItemId, String watcherItemId, @Nullable Listed listed) {

	public InfoItemPointer(String infoItemId, String watcherItemId) {
		this(infoItemId, watcherItemId, null);
	}

	/**
	 * A WatchedItem as a snapshot of Watcher's list holds it.
	 *
	 * @param archiverInfoItemId the InfoItem it links back to, or null for none
	 * @param archived whether it is archived
	 */
	public record Listed(@Nullable String archiverInfoItemId, boolean archived) {
	}

}
