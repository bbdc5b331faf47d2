package io.cannobserv.reconciler.watcher;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the snapshot strategy's one request for Watcher's whole list of WatchedItems.
 * Past either, the run says so and asks about every pointer by id, as the per-item
 * strategy does. The timeout is a deadline, however the list's bytes come (a trickle,
 * white space without end, nothing at all): at it the request is cut off.
 *
 * @param maxItems most WatchedItems a snapshot may hold
 * @param timeout longest time to take a snapshot, from its request to its last item
 * stored
 */
@ConfigurationProperties("reconciler.snapshot")
public record SnapshotProperties(@DefaultValue("2000000") long maxItems, @DefaultValue("5m") Duration timeout) {

	public SnapshotProperties {
		if (maxItems < 1) {
			throw new IllegalArgumentException("--snapshot-max-items must be at least 1, was " + maxItems);
		}
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException(
					"--snapshot-timeout must be a positive duration such as 90s or 5m, was " + timeout);
		}
	}

	/** The timeout as the option is written: {@code 5m}, {@code 90s}, {@code 1500ms}. */
	public String timeoutText() {
		long millis = this.timeout.toMillis();
		if (millis % 60_000 == 0) {
			return (millis / 60_000) + "m";
		}
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

}
