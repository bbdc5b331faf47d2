/**
 * Test support shared by all test packages: a real PostgreSQL per test JVM, Archiver's
 * schema and rows, deterministic ULIDs, and a fake Watcher that speaks its real bodies.
 */
@NullMarked
package io.cannobserv.reconciler.support;

import org.jspecify.annotations.NullMarked;
