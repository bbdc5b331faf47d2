/**
 * The documentation, held to the code: links and anchors that lead somewhere, and the
 * role and version every page names.
 */
@NullMarked
package io.cannobserv.reconciler.docs;

import org.jspecify.annotations.NullMarked;
