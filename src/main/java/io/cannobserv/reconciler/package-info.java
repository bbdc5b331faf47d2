/**
 * The application only: it parses one command line, starts Spring, runs one command and
 * exits with one code. It depends on the features; no feature depends on it (checked by
 * the package architecture tests), so a foundation never lives here.
 */
@NullMarked
package io.cannobserv.reconciler;

import org.jspecify.annotations.NullMarked;
