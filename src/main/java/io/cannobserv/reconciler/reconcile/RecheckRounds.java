package io.cannobserv.reconciler.reconcile;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.cannobserv.reconciler.archiver.InfoItemPointer;

/**
 * Hands the recheck the run's transient pointers in rounds: each round asks every pointer
 * still transient once, by keyset on the InfoItem id, a page per chunk; the next round
 * begins after one pause for the whole round, doubling from {@code --initial-backoff} up
 * to {@code --max-backoff}, and there are {@code --max-attempts} rounds at most. A few
 * flaky pointers cost the run those few pauses, never a pause per chunk.
 * <p>
 * A page is a chunk of one batch, so that a round ends at a chunk's end: a round begins
 * only once the last one's verdicts are committed, and reads the findings still
 * transient. Its position, the round and the last id handed to a chunk, is saved with
 * each chunk (the id under the key of the single pass that earlier releases saved, so
 * their unfinished rechecks resume in the first round). Each page is read outside the
 * chunk's transaction, as {@link KeysetPointerReader} does.
 * <p>
 * Not final: step-scoped beans are proxied by subclassing.
 */
class RecheckRounds implements ItemStreamReader<RecheckRounds.Batch> {

	private static final Logger logger = LoggerFactory.getLogger(RecheckRounds.class);

	static final String POSITION_KEY = "transientPointerReader.start.after";

	static final String ROUND_KEY = "transientPointerReader.round";

	private static final String ID_COLUMN = "info_item_id";

	private static final long STOP_POLL_MILLIS = 100;

	private final KeysetPointerReader.PageQuery stillTransient;

	private final LongSupplier stillTransientCount;

	private final Schedule schedule;

	private final int pageSize;

	private final BooleanSupplier stopping;

	private final TransactionTemplate outsideChunk;

	private int round;

	private @Nullable String lastRead;

	/**
	 * Rounds over the pointers {@code stillTransient} pages, by id.
	 * @param stillTransient the run's transient findings after an id, in id order
	 * @param stillTransientCount how many there are
	 * @param schedule the number of rounds and the pause before each
	 * @param pageSize pointers per chunk
	 * @param stopping whether the run is stopping, which cuts a pause short
	 * @param transactionManager the chunks' transaction manager, whose transaction each
	 * page query steps out of
	 */
	RecheckRounds(KeysetPointerReader.PageQuery stillTransient, LongSupplier stillTransientCount, Schedule schedule,
			int pageSize, BooleanSupplier stopping, PlatformTransactionManager transactionManager) {
		this.stillTransient = stillTransient;
		this.stillTransientCount = stillTransientCount;
		this.schedule = schedule;
		this.pageSize = pageSize;
		this.stopping = stopping;
		this.outsideChunk = KeysetPointerReader.outsideChunk(transactionManager);
	}

	@Override
	public void open(ExecutionContext executionContext) {
		this.lastRead = KeysetPointerReader.positionIn(executionContext, POSITION_KEY, ID_COLUMN);
		this.round = executionContext.getInt(ROUND_KEY, 1);
	}

	@Override
	public @Nullable Batch read() {
		List<InfoItemPointer> page = pageAfter(this.lastRead);
		while (page.isEmpty()) {
			if (this.round >= this.schedule.rounds()) {
				return null;
			}
			List<InfoItemPointer> first = pageAfter(null);
			if (first.isEmpty()) {
				return null;
			}
			this.round++;
			Duration pause = this.schedule.pauseBefore(this.round);
			logger.info("Recheck round {} of {}: {} pointer(s) still transient, asked again after {} ms", this.round,
					this.schedule.rounds(), this.outsideChunk.execute((status) -> this.stillTransientCount.getAsLong()),
					pause.toMillis());
			pause(pause);
			page = first;
		}
		this.lastRead = page.get(page.size() - 1).infoItemId();
		return new Batch(this.round, this.schedule.rounds(), page);
	}

	private List<InfoItemPointer> pageAfter(@Nullable String afterId) {
		List<InfoItemPointer> page = this.outsideChunk
			.execute((status) -> this.stillTransient.after(afterId, this.pageSize));
		return (page != null) ? page : List.of();
	}

	/**
	 * Waits, unless the run is stopping: then the round's first chunk goes on at once,
	 * its lookups come back unsent, and the stopping writer rolls it back, so that the
	 * resumed run begins the round again.
	 */
	private void pause(Duration pause) {
		long until = System.nanoTime() + pause.toNanos();
		try {
			for (long left = pause.toNanos(); left > 0
					&& !this.stopping.getAsBoolean(); left = until - System.nanoTime()) {
				Thread.sleep(Math.min(STOP_POLL_MILLIS, Math.max(1, left / 1_000_000)));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Called by the step in the chunk's transaction, after the chunk is written. */
	@Override
	public void update(ExecutionContext executionContext) {
		KeysetPointerReader.putPosition(executionContext, POSITION_KEY, ID_COLUMN, this.lastRead);
		executionContext.putInt(ROUND_KEY, this.round);
	}

	/**
	 * A chunk of the recheck: one page of a round.
	 *
	 * @param round the round, from 1
	 * @param rounds the rounds at most
	 * @param pointers the page, in id order
	 */
	record Batch(int round, int rounds, List<InfoItemPointer> pointers) {

		Batch {
			pointers = List.copyOf(pointers);
		}

		/**
		 * Whether no round follows, so that a question still unanswered falls back to the
		 * verdict as it was.
		 */
		boolean last() {
			return this.round >= this.rounds;
		}

	}

	/**
	 * How many rounds, and the pause before each after the first.
	 *
	 * @param rounds rounds at most ({@code --max-attempts})
	 * @param initial the pause before the second round ({@code --initial-backoff})
	 * @param max the longest pause ({@code --max-backoff})
	 */
	record Schedule(int rounds, Duration initial, Duration max) {

		/** The pause before {@code round} (from 2): doubling, up to the longest. */
		Duration pauseBefore(int round) {
			Duration pause = this.initial;
			for (int i = 2; i < round && pause.compareTo(this.max) < 0; i++) {
				pause = pause.multipliedBy(2);
			}
			return (pause.compareTo(this.max) > 0) ? this.max : pause;
		}

	}

}
