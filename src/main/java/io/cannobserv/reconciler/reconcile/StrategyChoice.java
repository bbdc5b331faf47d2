package io.cannobserv.reconciler.reconcile;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import io.cannobserv.reconciler.run.Strategy;

/**
 * The strategy an execution's first pass used, and why, where {@code --strategy=auto}
 * chose it.
 * <p>
 * A snapshot is one request whose answer grows with Watcher's list, a WatchedItem per
 * pointer or so; per-item lookups are one request per pointer. From
 * {@value #SNAPSHOT_FROM} pointers to check, the one request wins by far (at Watcher's
 * usual latency, per-item lookups of them take seconds); below, the lookups are done in
 * about the time a list would take to arrive. A link without a list has only lookups.
 * Each execution chooses again: a run resumed a night later counts the pointers as they
 * are then.
 *
 * @param strategy {@code per-item} or {@code snapshot}
 * @param reason why, on one line; null where the strategy was set, not chosen
 */
record StrategyChoice(Strategy strategy, @Nullable String reason) {

	/** From how many pointers to check {@code auto} takes a snapshot. */
	static final int SNAPSHOT_FROM = 1000;

	private static final String STRATEGY = "reconciler.strategy";

	private static final String REASON = "reconciler.strategy.reason";

	/**
	 * {@code auto}'s choice for a partition that holds {@code pointers} pointers, counted
	 * up to {@value #SNAPSHOT_FROM}.
	 */
	static StrategyChoice auto(boolean linkHasList, long pointers) {
		if (!linkHasList) {
			return new StrategyChoice(Strategy.PER_ITEM, "auto: the link has no list to take a snapshot of");
		}
		if (pointers >= SNAPSHOT_FROM) {
			return new StrategyChoice(Strategy.SNAPSHOT,
					String.format(Locale.ROOT, "auto: at least %d pointers to check", SNAPSHOT_FROM));
		}
		return new StrategyChoice(Strategy.PER_ITEM,
				String.format(Locale.ROOT,
						"auto: %d pointer(s) to check, fewer than the %d that make a snapshot worth it", pointers,
						SNAPSHOT_FROM));
	}

	/** As the snapshot step keeps it, for the first pass's reader and the report. */
	void record(ExecutionContext context) {
		context.putString(STRATEGY, this.strategy.label());
		if (this.reason != null) {
			context.putString(REASON, this.reason);
		}
	}

	/** The choice a step recorded, if it made one. */
	static Optional<StrategyChoice> recorded(ExecutionContext context) {
		if (!context.containsKey(STRATEGY)) {
			return Optional.empty();
		}
		return Optional.of(new StrategyChoice(Strategy.fromLabel(context.getString(STRATEGY)),
				context.containsKey(REASON) ? context.getString(REASON) : null));
	}

	/**
	 * The run's strategy: the setting, as of the latest execution; for {@code auto}, the
	 * choice of the latest execution that made one (a resumed run whose first pass had
	 * completed makes none).
	 */
	static StrategyChoice ofRun(List<JobExecution> executions, Strategy setting) {
		if (setting != Strategy.AUTO) {
			return new StrategyChoice(setting, null);
		}
		return SnapshotTasklet.recordedNewestFirst(executions)
			.flatMap((context) -> recorded(context).stream())
			.findFirst()
			.orElse(new StrategyChoice(Strategy.AUTO, "auto: the run ended before it chose"));
	}

}
