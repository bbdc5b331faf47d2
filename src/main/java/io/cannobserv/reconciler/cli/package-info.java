@NullMarked
package io.cannobserv.reconciler.cli;

import org.jspecify.annotations.NullMarked;
