@NullMarked
package io.cannobserv.reconciler.reconcile;

import org.jspecify.annotations.NullMarked;
