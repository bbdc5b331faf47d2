/**
 * Which build this is: its version and the commit it was built from, as the build wrote
 * them into the jar ({@code META-INF/build-info.properties}, {@code git.properties}).
 * Every report, log line and metric names it, so that what a run did can be traced to the
 * code that did it.
 */
@NullMarked
package io.cannobserv.reconciler.version;

import org.jspecify.annotations.NullMarked;
