/**
 * Archiver's side: the table of pointers the job reconciles, where it is configured, and
 * the one repository that builds SQL against it.
 */
@NullMarked
package io.cannobserv.reconciler.archiver;

import org.jspecify.annotations.NullMarked;
