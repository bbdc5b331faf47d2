package io.cannobserv.reconciler.guard;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.cli.Failures;
import io.cannobserv.reconciler.guard.BrakeSweeps.Sweep;
import io.cannobserv.reconciler.run.RunIdentity;
import io.cannobserv.reconciler.store.JobSchema;
import io.cannobserv.reconciler.watcher.WatcherClient;

/**
 * One night, one pace: a {@code Retry-After} that Watcher sends any partition of a night
 * (its {@link BrakeSweeps brake sweep}) holds every partition of that night, not only the
 * process that got it. The process that got it holds its own requests at once
 * ({@link WatcherClient}) and writes until when in the job's schema
 * ({@code watcher_hold}, one row per night); every partition reads that row about once a
 * second, while a step of its run works, and holds its requests until then too. No
 * request waits for the database: the row is written and read by a thread of this class.
 * <p>
 * A single run is a night of its own: nothing is written or read. Times are the
 * database's, so the partitions' clocks need not agree.
 */
@Component
public class NightHolds {

	private static final Logger logger = LoggerFactory.getLogger(NightHolds.class);

	/** How often a partition reads its night's hold. */
	static final Duration POLL = Duration.ofSeconds(1);

	private final JdbcTemplate jdbc;

	private final WatcherClient watcherClient;

	private final String table;

	/** A hold this process got and has not written yet; guarded by itself. */
	private final Object lock = new Object();

	private @Nullable Received received;

	public NightHolds(JdbcTemplate jdbc, JobSchema jobSchema, WatcherClient watcherClient) {
		this.jdbc = jdbc;
		this.watcherClient = watcherClient;
		this.table = jobSchema.table("watcher_hold");
		watcherClient.onHold(this::held);
	}

	/**
	 * Shares this run's holds with its night, and holds it by the night's, until the
	 * returned watch is closed: a step's lifetime.
	 * @param sweep the night the run belongs to
	 * @param identity the run's partition
	 * @return what stops it
	 */
	public Watch watch(Sweep sweep, RunIdentity identity) {
		if (sweep.partitions() <= 1) {
			return () -> {
			};
		}
		Poller poller = new Poller(sweep.id(), identity.partition(), MDC.getCopyOfContextMap());
		Thread thread = new Thread(poller, "night-hold-" + identity.partition());
		thread.setDaemon(true);
		thread.start();
		return () -> {
			poller.stop();
			try {
				thread.join(POLL.multipliedBy(5).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		};
	}

	/** Watcher asked this process to wait: called on the thread that got the answer. */
	private void held(int status, Duration pause) {
		synchronized (this.lock) {
			long until = System.nanoTime() + pause.toNanos();
			Received latest = this.received;
			if (latest == null || until - latest.untilNanos() > 0) {
				this.received = new Received(until, status);
			}
			this.lock.notifyAll();
		}
	}

	private @Nullable Received takeReceived() {
		synchronized (this.lock) {
			Received taken = this.received;
			this.received = null;
			return taken;
		}
	}

	/**
	 * Stops sharing and reading a night's holds.
	 */
	@FunctionalInterface
	public interface Watch extends AutoCloseable {

		@Override
		void close();

	}

	/** A hold this process got: until when, on its own clock, and Watcher's status. */
	private record Received(long untilNanos, int status) {
	}

	/** Writes this process's holds and reads the night's, about once a second. */
	private final class Poller implements Runnable {

		private final long sweepId;

		private final int partition;

		private volatile boolean stopped;

		private boolean failed;

		private long heldUntil = System.nanoTime();

		private final @Nullable Map<String, String> logContext;

		Poller(long sweepId, int partition, @Nullable Map<String, String> logContext) {
			this.sweepId = sweepId;
			this.partition = partition;
			this.logContext = logContext;
		}

		@Override
		public void run() {
			// its lines name the run, as the run's own do
			if (this.logContext != null) {
				MDC.setContextMap(this.logContext);
			}
			while (!this.stopped) {
				try {
					Received received = takeReceived();
					if (received != null) {
						write(received);
					}
					read();
					this.failed = false;
				}
				catch (DataAccessException ex) {
					if (!this.failed) {
						this.failed = true;
						logger.warn(
								"Cannot share Watcher's Retry-After with the other partitions of this night "
										+ "through {}: {}; this partition keeps its own pace",
								NightHolds.this.table, Failures.rootMessage(ex));
					}
				}
				awaitNext();
			}
		}

		private void write(Received received) {
			long millis = (received.untilNanos() - System.nanoTime()) / 1_000_000;
			if (millis <= 0) {
				return;
			}
			// the latest end of a hold wins, whichever partition got it
			NightHolds.this.jdbc.update(
					"INSERT INTO " + NightHolds.this.table
							+ " AS h (sweep_id, hold_until, partition, http_status) VALUES (?, clock_timestamp()"
							+ " + make_interval(secs => ? / 1000.0), ?, ?) ON CONFLICT (sweep_id) DO UPDATE SET"
							+ " hold_until = EXCLUDED.hold_until, partition = EXCLUDED.partition,"
							+ " http_status = EXCLUDED.http_status WHERE EXCLUDED.hold_until > h.hold_until",
					this.sweepId, millis, this.partition, received.status());
		}

		/** The night's hold, unless it was this partition's own. */
		private void read() {
			NightHolds.this.jdbc.query("SELECT partition, http_status, (extract(epoch FROM hold_until - "
					+ "clock_timestamp()) * 1000)::bigint FROM " + NightHolds.this.table + " WHERE sweep_id = ?",
					(rs) -> {
						int by = rs.getInt(1);
						long millis = rs.getLong(3);
						if (by == this.partition || millis <= 0) {
							return;
						}
						long until = System.nanoTime() + millis * 1_000_000;
						if (NightHolds.this.watcherClient.hold(Duration.ofMillis(millis))
								|| until - this.heldUntil > 1_000_000_000L) {
							logger.warn(
									"Watcher asked partition {} of this night to wait (HTTP {} with Retry-After): "
											+ "holding every request of this partition for {} ms too",
									by, rs.getInt(2), millis);
						}
						this.heldUntil = until;
					}, this.sweepId);
		}

		private void awaitNext() {
			synchronized (NightHolds.this.lock) {
				if (this.stopped || NightHolds.this.received != null) {
					return;
				}
				try {
					NightHolds.this.lock.wait(POLL.toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					this.stopped = true;
				}
			}
		}

		void stop() {
			synchronized (NightHolds.this.lock) {
				this.stopped = true;
				NightHolds.this.lock.notifyAll();
			}
		}

	}

}
