package io.cannobserv.reconciler.watcher;

import java.util.concurrent.TimeUnit;

/**
 * A global cap on the request rate, shared by every lookup thread: each caller reserves
 * the next free slot and sleeps until it comes. Keeps the job polite to Watcher whatever
 * the concurrency.
 */
class RequestPacer {

	private final long intervalNanos;

	private long nextFreeSlot = System.nanoTime();

	RequestPacer(double maxRequestsPerSecond) {
		this.intervalNanos = (maxRequestsPerSecond > 0) ? (long) (1_000_000_000L / maxRequestsPerSecond) : 0;
	}

	void acquire() throws InterruptedException {
		if (this.intervalNanos == 0) {
			return;
		}
		long slot;
		synchronized (this) {
			long now = System.nanoTime();
			slot = Math.max(now, this.nextFreeSlot);
			this.nextFreeSlot = slot + this.intervalNanos;
		}
		TimeUnit.NANOSECONDS.sleep(slot - System.nanoTime());
	}

}
