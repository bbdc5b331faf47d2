@NullMarked
package io.cannobserv.reconciler;

import org.jspecify.annotations.NullMarked;
