package io.cannobserv.reconciler.watcher;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The process's pace of requests to Watcher, shared by every lookup thread: at most the
 * rate cap, evenly spaced (no bursts), none while Watcher has asked to wait
 * ({@code Retry-After}), and none once the run is stopping.
 * <p>
 * A thread asks for its turn right before it sends, holding its in-flight permit: a
 * request leaves when its slot comes, never in a burst after queueing for a permit.
 */
final class RequestPacer {

	private final long intervalNanos;

	private long nextFreeSlot = System.nanoTime();

	/** When the last request was let go. */
	private long lastRelease;

	private long pausedUntil = System.nanoTime();

	private boolean stopped;

	RequestPacer(double maxRequestsPerSecond) {
		this.intervalNanos = (maxRequestsPerSecond > 0) ? (long) (1_000_000_000L / maxRequestsPerSecond) : 0;
		this.lastRelease = System.nanoTime() - this.intervalNanos;
	}

	/**
	 * Wait for this request's turn.
	 * @return {@code false} when the run is stopping: the request must not be sent
	 * @throws InterruptedException when the thread is interrupted while it waits
	 */
	synchronized boolean acquire() throws InterruptedException {
		long slot = reserve();
		while (!this.stopped) {
			if (slot - this.pausedUntil < 0) {
				// Watcher asked to wait since this slot was reserved
				slot = reserve();
			}
			// a thread that woke late must not send right before the next one: the cap
			// counts the moments requests leave, not the slots
			long earliest = this.lastRelease + this.intervalNanos;
			long now = System.nanoTime();
			long wait = Math.max(slot - now, earliest - now);
			if (wait <= 0) {
				this.lastRelease = now;
				return true;
			}
			TimeUnit.NANOSECONDS.timedWait(this, wait);
		}
		return false;
	}

	/**
	 * Hold every request for {@code pause} from now, as Watcher asked.
	 * @return whether this begins a pause, rather than extends or falls within one
	 */
	synchronized boolean pause(Duration pause) {
		long now = System.nanoTime();
		long until = now + pause.toNanos();
		boolean begins = this.pausedUntil - now <= 0;
		if (until - this.pausedUntil > 0) {
			this.pausedUntil = until;
		}
		return begins && !pause.isZero() && !pause.isNegative();
	}

	/**
	 * Send nothing more: the threads waiting for their turn return at once, and so does
	 * every later one.
	 */
	synchronized void stop() {
		this.stopped = true;
		notifyAll();
	}

	private long reserve() {
		long slot = System.nanoTime();
		if (this.nextFreeSlot - slot > 0) {
			slot = this.nextFreeSlot;
		}
		if (this.pausedUntil - slot > 0) {
			slot = this.pausedUntil;
		}
		this.nextFreeSlot = slot + this.intervalNanos;
		return slot;
	}

}
