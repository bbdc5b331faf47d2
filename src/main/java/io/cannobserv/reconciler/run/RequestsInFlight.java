package io.cannobserv.reconciler.run;

/**
 * How many requests to Watcher an execution allowed in flight: the adaptive limit's range
 * over the execution, or the fixed number.
 *
 * @param adaptive whether the limit adapted to Watcher's latency and answers, or stayed
 * at {@code --concurrency} ({@code --fixed-concurrency})
 * @param ceiling {@code --concurrency}
 * @param lowest the lowest limit (the start, unless it fell below)
 * @param highest the highest limit
 * @param last the limit when the execution ended
 */
public record RequestsInFlight(boolean adaptive, int ceiling, int lowest, int highest, int last) {

	/** {@code adaptive 8-45, 40 at the end (ceiling 64)}, or {@code fixed at 8}. */
	public String describe() {
		if (!this.adaptive) {
			return "fixed at " + this.last;
		}
		String range = (this.lowest == this.highest) ? String.valueOf(this.lowest) : this.lowest + "-" + this.highest;
		return "adaptive " + range + ", " + this.last + " at the end (ceiling " + this.ceiling + ")";
	}

}
