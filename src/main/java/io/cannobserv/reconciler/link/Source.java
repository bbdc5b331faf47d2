package io.cannobserv.reconciler.link;

import org.jspecify.annotations.Nullable;

/**
 * Where a link's pointers are: a PostgreSQL table, its key and the pointer column.
 *
 * @param schema the table's schema
 * @param table the table
 * @param key the column that names a row: unique, the order the pointers are read in; any
 * type PostgreSQL compares and casts from text (text, a number, a UUID)
 * @param pointer the column holding the resource's id, a text type
 * @param changedAt a timestamp column that every write sets to {@code now()}, which
 * restore compares with what a write left; null when the table has none (restore then
 * compares the pointer only)
 * @param sideEffect a table of the same schema whose rows with the same key are deleted
 * with a clear, where it exists (a cache of the resource's state, say); null for none
 */
public record Source(String schema, String table, String key, String pointer, @Nullable String changedAt,
		@Nullable String sideEffect) {

}
