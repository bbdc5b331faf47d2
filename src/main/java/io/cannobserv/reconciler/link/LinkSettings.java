package io.cannobserv.reconciler.link;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which link a run reconciles.
 *
 * @param file the link file: the table of pointers, the API they name and the answers
 * that prove one gone (docs/reference/link-file.md); unset: the built-in link, Archiver's
 * InfoItems to Watcher's WatchedItems
 */
@ConfigurationProperties("reconciler.link")
public record LinkSettings(@Nullable String file) {

}
