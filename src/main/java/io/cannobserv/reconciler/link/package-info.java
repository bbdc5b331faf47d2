/**
 * A link's contract as data: the answers of the resource's API that prove a pointer gone
 * ({@link io.cannobserv.reconciler.link.GoneRules}) and how to ask about a resource
 * ({@link io.cannobserv.reconciler.link.Resource}), read from a link file
 * ({@link io.cannobserv.reconciler.link.LinkFile}). Archiver to Watcher is the built-in
 * link, {@code links/archiver-watcher.yaml}. Depends on no other package.
 */
@NullMarked
package io.cannobserv.reconciler.link;

import org.jspecify.annotations.NullMarked;
