@NullMarked
package io.cannobserv.reconciler.pointer;

import org.jspecify.annotations.NullMarked;
