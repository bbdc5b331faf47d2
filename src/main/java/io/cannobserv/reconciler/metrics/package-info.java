@NullMarked
package io.cannobserv.reconciler.metrics;

import org.jspecify.annotations.NullMarked;
