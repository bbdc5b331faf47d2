@NullMarked
package io.cannobserv.reconciler.report;

import org.jspecify.annotations.NullMarked;
