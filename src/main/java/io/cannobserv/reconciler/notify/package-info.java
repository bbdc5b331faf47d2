/**
 * Tells a human when a run needs one: a chat message through a webhook, when the brake
 * trips, a run fails or cannot start, or a run keeps pointers whose 404 was not
 * Watcher's. Off until a webhook is configured; never changes what a run did or its exit
 * code.
 */
@NullMarked
package io.cannobserv.reconciler.notify;

import org.jspecify.annotations.NullMarked;
