package io.cannobserv.reconciler.watcher;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How taking a snapshot of Watcher's list went.
 *
 * @param complete whether every item of the list was taken: only then is it used
 * @param items how many items were taken (of an incomplete one: before it stopped)
 * @param failure why it is incomplete, on one line; null when complete
 * @param attempts how many requests were sent
 * @param took how long it took, from the first request to the last item stored
 */
public record WatcherSnapshot(boolean complete, long items, @Nullable String failure, int attempts, Duration took) {

	static WatcherSnapshot complete(long items, int attempts) {
		return new WatcherSnapshot(true, items, null, attempts, Duration.ZERO);
	}

	static WatcherSnapshot incomplete(long items, String failure, int attempts) {
		return new WatcherSnapshot(false, items, failure, attempts, Duration.ZERO);
	}

	WatcherSnapshot took(Duration took) {
		return new WatcherSnapshot(this.complete, this.items, this.failure, this.attempts, took);
	}

}
