/**
 * The vocabulary every feature of a run shares: its outcomes and their counts, its mode,
 * its identity (the job parameters) and the state of its safety brake. Reports, metrics,
 * the run history and the brake read these types; nothing names an outcome, a brake state
 * or a job parameter by a string of its own.
 */
@NullMarked
package io.cannobserv.reconciler.run;

import org.jspecify.annotations.NullMarked;
