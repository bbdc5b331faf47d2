/**
 * {@code prune}: deletes old runs from the job's own schema (Spring Batch's tables, the
 * run history, findings, clear and restore audit, brake sweeps, snapshots), keeping every
 * run that a resume, a restore, the brake's night or the last-success metric still reads.
 */
@NullMarked
package io.cannobserv.reconciler.prune;

import org.jspecify.annotations.NullMarked;
