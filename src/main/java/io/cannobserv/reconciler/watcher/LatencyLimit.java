package io.cannobserv.reconciler.watcher;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.netflix.concurrency.limits.limit.AbstractLimit;

/**
 * A limit of requests in flight that follows the API's latency, as TCP's congestion
 * control follows a link's: it doubles per round trip while the latency stays within 1.5
 * times its floor (slow start), then grows by one per round trip; it eases by a tenth
 * when the latency passes 1.5 times its floor (the API queues), and halves when the API
 * refuses or does not answer. One decrease per round trip: a request sent before the last
 * decrease says nothing of the limit since.
 * <p>
 * The latency compared is smoothed as TCP smooths its round trip time (each answer weighs
 * an eighth), so that one slow answer does not ease the limit, and 1.5 times its floor is
 * at least the floor and {@value #SLACK_MILLIS} ms, so that the jitter of an API that
 * answers in a millisecond is not read as queueing. The floor is the lowest latency of
 * the last two windows of 5 seconds, so that it follows an API that became slower for
 * good instead of holding the limit down for the rest of the run. A dropped request's
 * latency (a quick 503, say) is not a sample of either.
 * <p>
 * Netflix's {@code VegasLimit} was tried first: it takes no decision on a sample faster
 * than its floor, so a quick 503 left the limit where it was.
 */
final class LatencyLimit extends AbstractLimit {

	/**
	 * Latency above this many times its floor is queueing at the API. 2 held a queueing
	 * API's p95 at 2.1 times its unloaded latency; 1.5 holds it at 1.5 times for the same
	 * throughput (docs/development/benchmark.md).
	 */
	static final double TOLERANCE = 1.5;

	/**
	 * The limit after a sign of overload: a 429, no answer, or a 5xx when they are more
	 * than a tenth of the recent first asks' answers ({@link InFlightLimit#releaseFor}).
	 */
	static final double BACKOFF = 0.5;

	/** The limit after a latency above {@link #TOLERANCE}. */
	static final double EASE = 0.9;

	/** The least latency above its floor that is read as queueing. */
	static final long SLACK_MILLIS = 5;

	/** The weight of each answer in the smoothed latency, as TCP's. */
	static final double SMOOTHING = 1.0 / 8;

	static final Duration WINDOW = Duration.ofSeconds(5);

	private final int ceiling;

	private double estimate;

	private boolean slowStart = true;

	private boolean decreased;

	/** When the last decrease was decided ({@link System#nanoTime()}), once decreased. */
	private long lastDecrease;

	/** The smoothed latency, in nanoseconds; negative before the first answer. */
	private double smoothed = -1;

	private boolean windowed;

	private long windowStart;

	private long windowMin = Long.MAX_VALUE;

	private long previousWindowMin = Long.MAX_VALUE;

	LatencyLimit(int initial, int ceiling) {
		super(Math.min(initial, ceiling));
		this.ceiling = ceiling;
		this.estimate = Math.min(initial, ceiling);
	}

	/**
	 * Called by the limiter, under this limit's lock, for each request given back.
	 * @param startTime when the request took its permit ({@link System#nanoTime()})
	 * @param rtt how long it held it, in nanoseconds
	 * @param inflight requests in flight when it took it, itself included
	 * @param didDrop whether its answer told of overload: a 429, none at all, or a 5xx
	 * among too many (a lone 5xx is given back as ignored, not as a drop)
	 * @return the new limit
	 */
	@Override
	protected int _update(long startTime, long rtt, int inflight, boolean didDrop) {
		long end = startTime + rtt;
		if (didDrop) {
			decrease(startTime, end, BACKOFF);
			return (int) this.estimate;
		}
		boolean queueing = queueing(end, rtt);
		// only a limit in use learns anything: whether more would be served as fast, or
		// whether the latency is of its making (not of a cold connection, say)
		if (inflight * 2 >= this.estimate) {
			if (queueing) {
				decrease(startTime, end, EASE);
			}
			else {
				this.estimate = Math.min(this.ceiling, this.estimate + (this.slowStart ? 1 : 1 / this.estimate));
			}
		}
		return (int) this.estimate;
	}

	/** Whether the smoothed latency, with this sample, is past its tolerance. */
	private boolean queueing(long end, long rtt) {
		long floor = floor(end, rtt);
		this.smoothed = (this.smoothed < 0) ? rtt : this.smoothed + (rtt - this.smoothed) * SMOOTHING;
		return this.smoothed > Math.max(floor * TOLERANCE, floor + TimeUnit.MILLISECONDS.toNanos(SLACK_MILLIS));
	}

	/** The floor of the latency, with this sample. */
	private long floor(long end, long rtt) {
		if (!this.windowed || end - this.windowStart >= WINDOW.toNanos()) {
			this.windowed = true;
			this.previousWindowMin = this.windowMin;
			this.windowMin = Long.MAX_VALUE;
			this.windowStart = end;
		}
		this.windowMin = Math.min(this.windowMin, rtt);
		return Math.min(this.windowMin, this.previousWindowMin);
	}

	private void decrease(long startTime, long end, double ratio) {
		if (this.decreased && startTime - this.lastDecrease <= 0) {
			return;
		}
		this.decreased = true;
		this.lastDecrease = end;
		this.slowStart = false;
		this.estimate = Math.max(1, this.estimate * ratio);
	}

	@Override
	public String toString() {
		return "LatencyLimit[limit=" + getLimit() + ", ceiling=" + this.ceiling + "]";
	}

}
