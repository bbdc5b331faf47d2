@NullMarked
package io.cannobserv.reconciler.restore;

import org.jspecify.annotations.NullMarked;
