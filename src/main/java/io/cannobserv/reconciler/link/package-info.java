/**
 * A link's contract as data: the table of pointers
 * ({@link io.cannobserv.reconciler.link.Source}), the answers of the resource's API that
 * prove a pointer gone ({@link io.cannobserv.reconciler.link.GoneRules}) and how to ask
 * about a resource ({@link io.cannobserv.reconciler.link.Resource}), read from a link
 * file ({@link io.cannobserv.reconciler.link.LinkFile}): {@code --link-file}'s, or the
 * built-in link, Archiver to Watcher, {@code links/archiver-watcher.yaml}. Depends on
 * {@code run/} only.
 */
@NullMarked
package io.cannobserv.reconciler.link;

import org.jspecify.annotations.NullMarked;
