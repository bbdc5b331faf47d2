package io.cannobserv.reconciler.watcher;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limit's rule, sample by sample, on a clock of the test's own: it grows while the
 * smoothed latency stays within 1.5 times its floor (or its slack) and the limit is in
 * use, eases when the latency stays past it, halves on an answer to retry, decreases once
 * per round trip, and follows an API that became slower for good.
 */
class LatencyLimitTests {

	private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

	/** The test's clock: when the next request starts. */
	private long now = 1_000 * MS;

	@Test
	void limitWhenCreatedStartsAtItsInitialValueWithinTheCeiling() {
		assertThat(new LatencyLimit(8, 64).getLimit()).isEqualTo(8);
		assertThat(new LatencyLimit(8, 3).getLimit()).isEqualTo(3);
	}

	@Test
	void limitWhenLatencyStaysAtItsFloorGrowsByOnePerAnswerUpToTheCeiling() {
		LatencyLimit limit = new LatencyLimit(8, 12);
		answered(limit, 20, 8);
		assertThat(limit.getLimit()).isEqualTo(9);
		for (int i = 0; i < 10; i++) {
			answered(limit, 20, limit.getLimit());
		}
		assertThat(limit.getLimit()).isEqualTo(12);
	}

	@Test
	void limitWhenLittleOfItIsInUseStays() {
		// half of the limit in flight or less: nothing says more would be served as fast
		LatencyLimit limit = new LatencyLimit(8, 64);
		answered(limit, 20, 3);
		answered(limit, 20, 4);
		assertThat(limit.getLimit()).isEqualTo(9);
		answered(limit, 20, 4);
		assertThat(limit.getLimit()).isEqualTo(9);
	}

	@Test
	void limitWhenAnAnswerIsToRetryHalves() {
		LatencyLimit limit = new LatencyLimit(8, 64);
		answered(limit, 20, 8);
		dropped(limit, 1);
		assertThat(limit.getLimit()).isEqualTo(4);
	}

	@Test
	void limitWhenDroppedNeverFallsBelowOne() {
		LatencyLimit limit = new LatencyLimit(2, 64);
		for (int i = 0; i < 5; i++) {
			dropped(limit, 1);
		}
		assertThat(limit.getLimit()).isOne();
	}

	@Test
	void limitWhenRequestsSentBeforeADecreaseAreDroppedDecreasesOnce() {
		LatencyLimit limit = new LatencyLimit(16, 64);
		long sentTogether = this.now;
		limit.onSample(sentTogether, 30 * MS, 16, true);
		limit.onSample(sentTogether + MS, 31 * MS, 16, true);
		limit.onSample(sentTogether + 2 * MS, 32 * MS, 16, true);
		assertThat(limit.getLimit()).isEqualTo(8);
		// a request sent after that decrease tells of the limit since
		limit.onSample(sentTogether + 31 * MS, 5 * MS, 8, true);
		assertThat(limit.getLimit()).isEqualTo(4);
	}

	@Test
	void limitWhenLatencyStaysPastItsToleranceEasesByATenthAndGrowsSlowlyAfter() {
		LatencyLimit limit = new LatencyLimit(20, 64);
		answered(limit, 20, 20);
		assertThat(limit.getLimit()).isEqualTo(21);
		// one slow answer is no queueing: smoothed, 20 + (80 - 20) / 8 = 27.5 ms
		answered(limit, 80, 21);
		assertThat(limit.getLimit()).isEqualTo(22);
		// sustained, it is: smoothed 29.1, then 30.4 ms, past 1.5 × 20
		answered(limit, 40, 22);
		assertThat(limit.getLimit()).isEqualTo(23);
		answered(limit, 40, 23);
		assertThat(limit.getLimit()).as("23 × 0.9").isEqualTo(20);
		// past slow start: one more per round trip, that is a limit's worth of answers
		answered(limit, 20, 20);
		assertThat(limit.getLimit()).as("20.7 + 1/20.7").isEqualTo(20);
	}

	@Test
	void limitWhenLittleOfItIsInUseIgnoresItsLatency() {
		// a slow first answer (a cold connection) while one request is in flight
		LatencyLimit limit = new LatencyLimit(8, 64);
		answered(limit, 300, 1);
		answered(limit, 1, 1);
		answered(limit, 1, 1);
		assertThat(limit.getLimit()).isEqualTo(8);
	}

	@Test
	void limitWhenTheApiAnswersInAMillisecondIgnoresItsJitter() {
		// 0.2 ms to 3 ms is more than 1.5 times the floor, but within its slack of 5 ms
		LatencyLimit limit = new LatencyLimit(8, 64);
		long[] micros = { 200, 3_000, 250, 2_500, 3_000, 3_000, 3_000, 3_000 };
		for (long latency : micros) {
			limit.onSample(this.now, latency * 1_000, limit.getLimit(), false);
			this.now += latency * 1_000 + MS;
		}
		assertThat(limit.getLimit()).isEqualTo(16);
	}

	@Test
	void floorWhenARequestIsDroppedQuicklyIgnoresItsLatency() {
		LatencyLimit limit = new LatencyLimit(8, 64);
		answered(limit, 20, 8);
		dropped(limit, 1);
		int afterDrop = limit.getLimit();
		// 1 ms would be the floor if the drop counted: 20 ms would then be queueing
		for (int i = 0; i < 5; i++) {
			answered(limit, 20, afterDrop);
		}
		assertThat(limit.getLimit()).isGreaterThan(afterDrop);
	}

	@Test
	void floorWhenTheApiBecameSlowerForGoodFollowsItAfterTwoWindows() {
		LatencyLimit limit = new LatencyLimit(8, 64);
		answered(limit, 20, 8);
		// five-fold slower: queueing, as far as the floor knows
		for (int i = 0; i < 10; i++) {
			answered(limit, 100, limit.getLimit());
		}
		int eased = limit.getLimit();
		assertThat(eased).isLessThan(9);
		// the next window still remembers 20 ms
		this.now += LatencyLimit.WINDOW.toNanos();
		for (int i = 0; i < 3; i++) {
			answered(limit, 100, limit.getLimit());
		}
		assertThat(limit.getLimit()).isLessThan(eased);
		// the one after only 100 ms: the floor now
		this.now += LatencyLimit.WINDOW.toNanos();
		int before = limit.getLimit();
		for (int i = 0; i < 5; i++) {
			answered(limit, 100, before);
		}
		assertThat(limit.getLimit()).isGreaterThan(before);
	}

	private void answered(LatencyLimit limit, long latencyMs, int inflight) {
		sample(limit, latencyMs, inflight, false);
	}

	private void dropped(LatencyLimit limit, long latencyMs) {
		sample(limit, latencyMs, limit.getLimit(), true);
	}

	/** A request sent now and given back after {@code latencyMs}, one after the other. */
	private void sample(LatencyLimit limit, long latencyMs, int inflight, boolean dropped) {
		limit.onSample(this.now, latencyMs * MS, inflight, dropped);
		this.now += latencyMs * MS + MS;
	}

}
