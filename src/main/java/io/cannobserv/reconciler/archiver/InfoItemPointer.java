package io.cannobserv.reconciler.archiver;

/**
 * One InfoItem and the Watcher pointer it held when it was read.
 */
public record InfoItemPointer(String infoItemId, String watcherItemId) {

}
