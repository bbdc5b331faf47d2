/**
 * The vocabulary every feature of a run shares: its outcomes and their counts, its mode,
 * its identity (the job parameters), its settings, the state of its safety brake and the
 * exit code it ends with. Reports, metrics, the run history and the brake read these
 * types; nothing names an outcome, a brake state or a job parameter by a string of its
 * own. This package depends on no other of the job's: every feature may use it.
 */
@NullMarked
package io.cannobserv.reconciler.run;

import org.jspecify.annotations.NullMarked;
