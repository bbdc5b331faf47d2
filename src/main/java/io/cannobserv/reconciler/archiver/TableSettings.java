package io.cannobserv.reconciler.archiver;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.cannobserv.reconciler.link.Source;
import io.cannobserv.reconciler.run.SqlIdentifier;

/**
 * Names that override the link file's {@code source}, each where set: a renamed copy of
 * the table can be reconciled with the same link. Their names are Archiver's, the
 * built-in link's.
 *
 * @param schema the schema of the table; unset: the link's {@code source.schema}
 * ({@code information} for the built-in link)
 * @param table the table holding the pointers; unset: the link's {@code source.table}
 * ({@code info_items})
 * @param idColumn the row's key: unique, the keyset of the reader; unset: the link's
 * {@code source.key} ({@code info_item_id})
 * @param pointerColumn the pointer; unset: the link's {@code source.pointer}
 * ({@code watcher_item_id})
 * @param watchStatusTable the table whose row is deleted with a clear where it exists;
 * unset: the link's {@code source.side-effect} ({@code watch_status}, Archiver's cache of
 * Watcher's status, 4.10 and later)
 */
@ConfigurationProperties("reconciler.archiver")
public record TableSettings(@Nullable String schema, @Nullable String table, @Nullable String idColumn,
		@Nullable String pointerColumn, @Nullable String watchStatusTable) {

	public TableSettings {
		// these names are spliced into SQL, so only plain lower-case identifiers pass
		checkIfSet(schema, "reconciler.archiver.schema");
		checkIfSet(table, "reconciler.archiver.table");
		checkIfSet(idColumn, "reconciler.archiver.id-column");
		checkIfSet(pointerColumn, "reconciler.archiver.pointer-column");
		checkIfSet(watchStatusTable, "reconciler.archiver.watch-status-table");
	}

	/** The table a run uses: {@code source} with these names over it. */
	public ArchiverTable over(Source source) {
		return new ArchiverTable(or(this.schema, source.schema()), or(this.table, source.table()),
				or(this.idColumn, source.key()), or(this.pointerColumn, source.pointer()),
				(this.watchStatusTable != null) ? this.watchStatusTable : source.sideEffect(), source.changedAt());
	}

	private static String or(@Nullable String setting, String fromLink) {
		return (setting != null) ? setting : fromLink;
	}

	private static void checkIfSet(@Nullable String name, String setting) {
		if (name != null) {
			SqlIdentifier.check(name, setting);
		}
	}

}
