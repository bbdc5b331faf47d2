package io.cannobserv.reconciler.watcher;

import java.time.Duration;
import java.util.Optional;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.FixedLimit;
import com.netflix.concurrency.limits.limiter.BlockingLimiter;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cannobserv.reconciler.run.RequestsInFlight;

/**
 * How many requests to the API may be in flight: a limit that finds the API's capacity,
 * within {@code --concurrency}. It grows while the answers' latency stays at its floor
 * and shrinks when latency rises (queueing at the API) or the API refuses (429), does not
 * answer, or answers 5xx to more than a tenth of the recent requests
 * ({@link LatencyLimit}), under Netflix's concurrency-limits' limiter.
 * <p>
 * A request takes a {@link Permit} before it waits for its turn under the rate cap, and
 * gives it back with what became of it, which is what the limit learns from.
 */
final class InFlightLimit {

	private static final Logger logger = LoggerFactory.getLogger(InFlightLimit.class);

	/** Where the limit starts: what was the fixed default before it adapted. */
	static final int INITIAL = 8;

	/**
	 * The share of recent answers that are 5xx past which a 5xx is read as overload. A
	 * few items that answer 5xx whatever the load are a fault of theirs, retried and
	 * reported: halving the limit for each would hold the run to a crawl.
	 */
	static final double SERVER_ERROR_SHARE = 0.1;

	/**
	 * The weight of each answer in the recent share of 5xx: about the last 32 answers.
	 */
	private static final double SERVER_ERROR_WEIGHT = 1.0 / 32;

	/** How often, at most, a change of the limit is logged at INFO. */
	private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

	private final Limit limit;

	private final Limiter<Void> limiter;

	private final int ceiling;

	private long lastLogged = System.nanoTime() - LOG_INTERVAL.toNanos();

	private double serverErrorShare;

	private final boolean adaptive;

	private int lowest;

	private int highest;

	private InFlightLimit(Limit limit, int ceiling, boolean adaptive) {
		this.limit = limit;
		this.ceiling = ceiling;
		this.adaptive = adaptive;
		this.lowest = limit.getLimit();
		this.highest = limit.getLimit();
		// waits up to the library's longest, an hour: a permit is held by one request, at
		// most --request-timeout, and the pacer lets a stopping run's waiters go at once
		this.limiter = BlockingLimiter.wrap(SimpleLimiter.newBuilder().named("watcher").limit(limit).build());
		limit.notifyOnChange(this::changed);
	}

	/**
	 * A limit that adapts, from {@value #INITIAL} (or the ceiling, when lower) up to
	 * {@code ceiling}.
	 */
	static InFlightLimit adaptive(int ceiling) {
		return new InFlightLimit(new LatencyLimit(INITIAL, ceiling), ceiling, true);
	}

	/** A limit that stays at {@code limit}. */
	static InFlightLimit fixed(int limit) {
		return new InFlightLimit(FixedLimit.of(limit), limit, false);
	}

	/**
	 * Waits for a permit; the caller gives it back, whatever happens.
	 * @throws InterruptedException when interrupted while waiting
	 */
	Permit acquire() throws InterruptedException {
		Optional<Limiter.Listener> listener = this.limiter.acquire(null);
		if (listener.isEmpty()) {
			// the blocking limiter returns empty when interrupted (its flag set again)
			if (Thread.interrupted()) {
				throw new InterruptedException("interrupted while waiting for a request's permit");
			}
			throw new IllegalStateException("no permit within " + BlockingLimiter.MAX_TIMEOUT);
		}
		return new Permit(listener.get());
	}

	/** Requests allowed in flight now. */
	int current() {
		return this.limit.getLimit();
	}

	/** The limit's range since this process began, and where it is now. */
	synchronized RequestsInFlight range() {
		return new RequestsInFlight(this.adaptive, this.ceiling, this.lowest, this.highest, current());
	}

	/**
	 * Whether an answer's status tells of overload: always for a 429; for a 5xx to a
	 * first ask, when they are more than a tenth of the recent first asks' answers.
	 * @param status the answer's status
	 * @param firstAsk whether the request asked about a pointer for the first time in the
	 * run: a pointer asked again (the recheck) answered 5xx before, and doing it again
	 * says nothing of the load
	 */
	synchronized Release releaseFor(int status, boolean firstAsk) {
		boolean serverError = status >= 500;
		if (firstAsk) {
			this.serverErrorShare += ((serverError ? 1 : 0) - this.serverErrorShare) * SERVER_ERROR_WEIGHT;
		}
		if (status == 429 || (firstAsk && serverError && this.serverErrorShare > SERVER_ERROR_SHARE)) {
			return Release.OVERLOADED;
		}
		// a lone 5xx, or one asked again, says nothing of the load, nor is its latency
		// Watcher's usual one
		return serverError ? Release.IGNORED : Release.ANSWERED;
	}

	private synchronized void changed(int limit) {
		this.lowest = Math.min(this.lowest, limit);
		this.highest = Math.max(this.highest, limit);
		long now = System.nanoTime();
		if (now - this.lastLogged >= LOG_INTERVAL.toNanos()) {
			this.lastLogged = now;
			logger.info("Watcher requests in flight: limit now {} (ceiling {}, --concurrency)", limit, this.ceiling);
		}
		else {
			logger.debug("Watcher requests in flight: limit now {}", limit);
		}
	}

	/**
	 * A request's place among those in flight, given back once with what became of it.
	 */
	static final class Permit {

		private final Limiter.Listener listener;

		private Permit(Limiter.Listener listener) {
			this.listener = listener;
		}

		/** Gives the permit back, with what the limit learns from the request. */
		void release(Release release) {
			switch (release) {
				case ANSWERED -> this.listener.onSuccess();
				case OVERLOADED -> this.listener.onDropped();
				case IGNORED -> this.listener.onIgnore();
			}
		}

	}

	/** What became of a request, as the limit learns from it. */
	enum Release {

		/** An answer came: its latency is a sample of the API's. */
		ANSWERED,

		/** Refused, or no answer: the API is overloaded, or may be. */
		OVERLOADED,

		/**
		 * Nothing to learn: not sent, a snapshot streaming for long, an answer cut short.
		 */
		IGNORED

	}

}
