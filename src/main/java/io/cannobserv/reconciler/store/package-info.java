@NullMarked
package io.cannobserv.reconciler.store;

import org.jspecify.annotations.NullMarked;
