package io.cannobserv.reconciler.guard;

import java.time.Duration;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.cannobserv.reconciler.guard.SafetyBrake.Figures;
import io.cannobserv.reconciler.run.RunIdentity;
import io.cannobserv.reconciler.store.JobSchema;

/**
 * The partitions of one night, which the safety brake judges together: a sweep of the
 * registry. A run joins a sweep when it first starts and stays in it through every
 * resume, even one on a later night. A new run joins the newest sweep of its kind (mode,
 * table and number of partitions) when that sweep has no run of its partition yet and
 * opened less than {@link #LATE_START} ago; otherwise it opens a new sweep. So the
 * partitions of one Indexed Job share a sweep however late one of them starts, the next
 * night's share another, and a single run (one partition) is a sweep of its own.
 * <p>
 * The sweep's figures live in the job's schema and are added to in each chunk's
 * transaction, with a row lock held until the chunk commits or rolls back: partitions
 * that write at once are judged one after another, each on everything the others
 * committed, and a chunk the brake halts adds nothing.
 */
@Component
public class BrakeSweeps {

	/**
	 * How long after a sweep opened a partition that has no run in it yet may still join
	 * it: longer than a night's run takes to start all its partitions, shorter than the
	 * time to the next night.
	 */
	static final Duration LATE_START = Duration.ofHours(12);

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transaction;

	private final JobSchema jobSchema;

	public BrakeSweeps(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, JobSchema jobSchema) {
		this.jdbc = jdbc;
		this.transaction = new TransactionTemplate(transactionManager);
		this.jobSchema = jobSchema;
	}

	/**
	 * The sweep of a run, which joins one now if it has none yet.
	 * @param runId the run
	 * @param identity its mode, partition and table
	 * @param committed what it committed before it had a sweep: nothing for a new run,
	 * the figures of a run left unfinished by a release without sweeps
	 * @return its sweep
	 */
	public Sweep join(long runId, RunIdentity identity, Figures committed) {
		Sweep sweep = this.transaction.execute((status) -> {
			List<Long> joined = this.jdbc.queryForList(
					"SELECT sweep_id FROM " + this.jobSchema.table("brake_sweep_run") + " WHERE run_id = ?", Long.class,
					runId);
			if (!joined.isEmpty()) {
				return new Sweep(joined.get(0), identity.partitions());
			}
			// one run at a time decides which sweep it joins, so two partitions starting
			// together never open a sweep each
			this.jdbc.queryForObject("SELECT count(*) FROM (SELECT pg_advisory_xact_lock(hashtextextended(?, 0))) l",
					Long.class, this.jobSchema.name() + ":brake-sweep:" + identity.table());
			long sweepId = openSweep(identity).stream()
				.findFirst()
				.orElseGet(() -> this.jdbc.queryForObject("INSERT INTO " + this.jobSchema.table("brake_sweep")
						+ " (mode, archiver_table, partitions, checked, gone) VALUES (?, ?, ?, 0, 0) RETURNING sweep_id",
						Long.class, identity.mode().label(), identity.table(), identity.partitions()));
			this.jdbc.update("INSERT INTO " + this.jobSchema.table("brake_sweep_run")
					+ " (run_id, sweep_id, partition) VALUES (?, ?, ?)", runId, sweepId, identity.partition());
			this.jdbc.update(
					"UPDATE " + this.jobSchema.table("brake_sweep")
							+ " SET checked = checked + ?, gone = gone + ? WHERE sweep_id = ?",
					committed.checked(), committed.gone(), sweepId);
			return new Sweep(sweepId, identity.partitions());
		});
		if (sweep == null) {
			throw new IllegalStateException("No sweep for run " + runId);
		}
		return sweep;
	}

	/**
	 * Add a chunk's figures to its sweep's, in the chunk's transaction, which then holds
	 * the sweep's row until it ends.
	 * @return the sweep's figures, the chunk's included
	 */
	public Figures add(Sweep sweep, Figures chunk) {
		Figures figures = this.jdbc.queryForObject(
				"UPDATE " + this.jobSchema.table("brake_sweep")
						+ " SET checked = checked + ?, gone = gone + ? WHERE sweep_id = ? RETURNING checked, gone",
				(rs, row) -> new Figures(rs.getLong(1), rs.getLong(2), sweep.partitions()), chunk.checked(),
				chunk.gone(), sweep.id());
		if (figures == null) {
			throw new IllegalStateException("Sweep " + sweep.id() + " is missing");
		}
		return figures;
	}

	/** The newest sweep of the run's kind, if the run's partition may still join it. */
	private List<Long> openSweep(RunIdentity identity) {
		return this.jdbc.queryForList(
				"SELECT s.sweep_id FROM (SELECT sweep_id, opened_at FROM " + this.jobSchema.table("brake_sweep")
						+ " WHERE archiver_table = ? AND mode = ? AND partitions = ? ORDER BY sweep_id DESC LIMIT 1) s"
						+ " WHERE s.opened_at > now() - make_interval(secs => ?) AND NOT EXISTS (SELECT 1 FROM "
						+ this.jobSchema.table("brake_sweep_run")
						+ " r WHERE r.sweep_id = s.sweep_id AND r.partition = ?)",
				Long.class, identity.table(), identity.mode().label(), identity.partitions(), LATE_START.toSeconds(),
				identity.partition());
	}

	/**
	 * A sweep of the registry.
	 *
	 * @param id its id in the job's schema
	 * @param partitions how many partitions it has (1: a single run)
	 */
	public record Sweep(long id, int partitions) {
	}

}
