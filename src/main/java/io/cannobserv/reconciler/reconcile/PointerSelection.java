package io.cannobserv.reconciler.reconcile;

import io.cannobserv.reconciler.ReconcilerProperties.ArchiverTable;

/**
 * Which rows a run checks: those with a pointer, in its partition. Shared by the reader
 * and the progress count, so both see the same set.
 */
record PointerSelection(ArchiverTable archiver, long partition, long partitions) {

	/** The WHERE condition, without the keyword. */
	String condition() {
		String condition = this.archiver.pointerColumn() + " IS NOT NULL";
		if (this.partitions > 1) {
			// disjoint and together complete: each id hashes to exactly one partition
			condition += " AND mod(mod(hashtextextended(" + this.archiver.idColumn() + ", 0), " + this.partitions
					+ ") + " + this.partitions + ", " + this.partitions + ") = " + this.partition;
		}
		return condition;
	}

	String countSql() {
		return "SELECT count(*) FROM " + this.archiver.qualifiedTable() + " WHERE " + condition();
	}

}
