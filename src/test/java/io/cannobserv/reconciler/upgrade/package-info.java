/**
 * Upgrades: what an earlier release left in the job's schema still works.
 */
@NullMarked
package io.cannobserv.reconciler.upgrade;

import org.jspecify.annotations.NullMarked;
