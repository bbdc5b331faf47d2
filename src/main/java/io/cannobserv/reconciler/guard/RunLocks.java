package io.cannobserv.reconciler.guard;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.archiver.ArchiverTable;
import io.cannobserv.reconciler.cli.CommandRefusedException;
import io.cannobserv.reconciler.cli.Failures;
import io.cannobserv.reconciler.guard.RunLock.Mode;
import io.cannobserv.reconciler.run.ExitCode;
import io.cannobserv.reconciler.run.ReconcilerProperties;
import io.cannobserv.reconciler.store.JobSchema;

/**
 * The locks every command takes before it reads or writes anything, named after the job's
 * schema, the command and the table it works on, so that runs on another table or in
 * another job schema never wait for each other.
 */
@Component
public class RunLocks {

	/** Lock name of a reconcile run; a partition adds {@code :partition/partitions}. */
	public static final String RECONCILE = "reconcile";

	/** Lock name of a restore. */
	public static final String RESTORE = "restore";

	/** Lock name of a prune. */
	public static final String PRUNE = "prune";

	private static final String LET_IT_FINISH = "Let that run finish, or check for a stuck process";

	private static final String ONE_KIND_AT_A_TIME = "Never run the single and the partitioned run at the same "
			+ "time: let that run finish";

	private final DataSource dataSource;

	private final String prefix;

	private final String table;

	private final ReconcilerProperties properties;

	public RunLocks(DataSource dataSource, JobSchema jobSchema, ArchiverTable table, ReconcilerProperties properties) {
		this.dataSource = dataSource;
		this.prefix = jobSchema.name();
		this.table = table.identity();
		this.properties = properties;
	}

	/**
	 * The locks of this process's reconcile run: one kind of run at a time per table. The
	 * registry's lock is taken exclusively by a single run and shared by the partitions
	 * of a partitioned run, each of which also takes its partition's lock exclusively:
	 * partitions run side by side, never beside a single run, and never twice.
	 * @return the locks, held until closed
	 * @throws CommandRefusedException with exit code 4 when another run holds them, 2
	 * when the database cannot be reached
	 */
	public RunLock reconcile() {
		String registry = reconcileName(this.prefix, this.table, 0, 1);
		int partition = this.properties.partition();
		int partitions = this.properties.partitions();
		if (partitions == 1) {
			return acquire((lock) -> lock.tryTake(registry, Mode.EXCLUSIVE) ? null : singleRunRefused(lock, registry));
		}
		String own = reconcileName(this.prefix, this.table, partition, partitions);
		return acquire((lock) -> {
			if (!lock.tryTake(registry, Mode.SHARED)) {
				String pruning = pruneRefusal(lock,
						"this process, partition " + partition + " of " + partitions + ", read and wrote nothing");
				return (pruning != null) ? pruning
						: "Another run holds the lock '" + registry
								+ "' in this database: a single (unpartitioned) run, "
								+ "which takes it alone; this process, partition " + partition + " of " + partitions
								+ ", read and wrote nothing. " + ONE_KIND_AT_A_TIME;
			}
			return lock.tryTake(own, Mode.EXCLUSIVE) ? null
					: "Another process runs partition " + partition + " of " + partitions + ": it holds the lock '"
							+ own + "' in this database; this process read and wrote nothing. " + LET_IT_FINISH;
		});
	}

	private String singleRunRefused(RunLock lock, String registry) throws SQLException {
		String pruning = pruneRefusal(lock, "this process read and wrote nothing");
		if (pruning != null) {
			return pruning;
		}
		String taken = "Another run holds the lock '" + registry + "' in this database";
		if (lock.heldSharedElsewhere(registry)) {
			return taken + ": the partitions of a partitioned run, which share it; this process read and wrote "
					+ "nothing. " + ONE_KIND_AT_A_TIME;
		}
		return taken + "; this process read and wrote nothing. " + LET_IT_FINISH;
	}

	/**
	 * The lock of the reconcile run of a partition on this table, e.g. of another
	 * partitioning, to tell whether a process still runs it: a partition's own lock, or
	 * for a single run the registry's, taken shared (this process may hold it shared
	 * itself): only a single run under way holds it alone.
	 * @throws CommandRefusedException as {@link #reconcile()}
	 */
	public RunLock reconcile(int partition, int partitions) {
		String name = reconcileName(this.prefix, this.table, partition, partitions);
		Mode mode = (partitions == 1) ? Mode.SHARED : Mode.EXCLUSIVE;
		return acquire((lock) -> lock.tryTake(name, mode) ? null : "Another run holds the lock '" + name
				+ "' in this database; this process read and wrote nothing. " + LET_IT_FINISH);
	}

	/**
	 * The lock of a restore.
	 * @throws CommandRefusedException as {@link #reconcile}
	 */
	public RunLock restore() {
		String name = restoreName();
		return acquire((lock) -> {
			if (lock.tryTake(name, Mode.EXCLUSIVE)) {
				return null;
			}
			String pruning = pruneRefusal(lock, "this process changed nothing");
			return (pruning != null) ? pruning
					: "Another restore holds the lock '" + name + "'; this process changed nothing";
		});
	}

	/**
	 * The locks of a prune of this table's runs: its own, the registry's alone (no
	 * reconcile run, single or partitioned, is under way or starts), and the restore's
	 * (none is under way or starts). So a prune never deletes a run that a process
	 * resumes, writes or restores.
	 * @throws CommandRefusedException with exit code 4 when another process holds one of
	 * them, 2 when the database cannot be reached
	 */
	public RunLock prune() {
		String own = pruneName();
		String registry = reconcileName(this.prefix, this.table, 0, 1);
		String restore = restoreName();
		String deletedNothing = "this prune deleted nothing";
		return acquire((lock) -> {
			if (!lock.tryTake(own, Mode.EXCLUSIVE)) {
				return "Another prune holds the lock '" + own + "' in this database; " + deletedNothing
						+ ". Let it finish";
			}
			if (!lock.tryTake(registry, Mode.EXCLUSIVE)) {
				String who = lock.heldSharedElsewhere(registry)
						? "the partitions of a partitioned reconcile run, which share it"
						: "a reconcile run of this table";
				return "Another run holds the lock '" + registry + "' in this database: " + who + "; " + deletedNothing
						+ ". Let that run finish, and schedule prune away from the nightly run";
			}
			if (!lock.tryTake(restore, Mode.EXCLUSIVE)) {
				return "A restore holds the lock '" + restore + "' in this database; " + deletedNothing
						+ ". Let it finish";
			}
			return null;
		});
	}

	/**
	 * Why a command cannot take its locks when a prune holds them, or null when no prune
	 * does.
	 * @param nothingDone what this process did not do
	 */
	private @Nullable String pruneRefusal(RunLock lock, String nothingDone) throws SQLException {
		String name = pruneName();
		if (!lock.heldElsewhere(name)) {
			return null;
		}
		return "A prune of this table's old runs holds the lock '" + name + "' in this database; " + nothingDone
				+ ". Run again once it is done (it takes minutes at most)";
	}

	private String restoreName() {
		return this.prefix + ":" + RESTORE + ":" + this.table;
	}

	private String pruneName() {
		return this.prefix + ":" + PRUNE + ":" + this.table;
	}

	/**
	 * The name of a reconcile lock: the registry's for a single run ({@code partitions}
	 * 1), a partition's own otherwise.
	 */
	public static String reconcileName(String jobSchema, String table, int partition, int partitions) {
		return jobSchema + ":" + RECONCILE + ":" + table + ((partitions > 1) ? ":" + partition + "/" + partitions : "");
	}

	/**
	 * Open a lock session and take locks on it.
	 * @param take takes the locks; returns null when it has them all, or why not
	 */
	private RunLock acquire(Taking take) {
		try {
			RunLock lock = RunLock.open(this.dataSource);
			String refusal;
			try {
				refusal = take.locks(lock);
			}
			catch (SQLException | RuntimeException ex) {
				lock.close();
				throw ex;
			}
			if (refusal != null) {
				lock.close();
				throw new CommandRefusedException(ExitCode.LOCKED, refusal);
			}
			return lock;
		}
		catch (SQLException ex) {
			throw new CommandRefusedException(ExitCode.NOT_STARTED, "Cannot connect to the database: "
					+ Failures.rootMessage(ex)
					+ ": check SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD");
		}
	}

	@FunctionalInterface
	private interface Taking {

		@Nullable String locks(RunLock lock) throws SQLException;

	}

}
