@NullMarked
package io.cannobserv.reconciler.watcher;

import org.jspecify.annotations.NullMarked;
