package io.cannobserv.reconciler.reconcile;

/**
 * One InfoItem and the Watcher pointer it held when it was read.
 */
public record InfoItemPointer(String infoItemId, String watcherItemId) {

}
