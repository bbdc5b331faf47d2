package io.cannobserv.reconciler.watcher;

import org.jspecify.annotations.Nullable;

/**
 * What a snapshot keeps of a WatchedItem: what deciding about a pointer to it needs.
 *
 * @param id the WatchedItem's id, a ULID
 * @param archiverInfoItemId the InfoItem it links back to, or null for none
 * @param archived whether it is archived ({@code archived_at} set)
 */
public record SnapshotItem(String id, @Nullable String archiverInfoItemId, boolean archived) {
}
