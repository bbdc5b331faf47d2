@NullMarked
package io.cannobserv.reconciler.guard;

import org.jspecify.annotations.NullMarked;
