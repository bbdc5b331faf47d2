package io.cannobserv.reconciler.guard;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.CommandRefusedException;
import io.cannobserv.reconciler.ExitCode;
import io.cannobserv.reconciler.Failures;
import io.cannobserv.reconciler.ReconcilerProperties;
import io.cannobserv.reconciler.archiver.ArchiverTable;
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
	 * The lock of this process's reconcile run: one run at a time per table and
	 * partition, partitions side by side.
	 * @return the lock, held until closed
	 * @throws CommandRefusedException with exit code 4 when another run holds it, 2 when
	 * the database cannot be reached
	 */
	public RunLock reconcile() {
		return reconcile(this.properties.partition(), this.properties.partitions());
	}

	/**
	 * The lock of the reconcile run of a partition on this table, e.g. of another
	 * partitioning, to tell whether a process still runs it.
	 * @throws CommandRefusedException as {@link #reconcile()}
	 */
	public RunLock reconcile(int partition, int partitions) {
		String name = reconcileName(this.prefix, this.table, partition, partitions);
		return acquire(name, "Another run holds the lock '" + name + "' in this database; this process read and wrote "
				+ "nothing. Let that run finish, or check for a stuck process");
	}

	/**
	 * The lock of a restore.
	 * @throws CommandRefusedException as {@link #reconcile}
	 */
	public RunLock restore() {
		String name = this.prefix + ":" + RESTORE + ":" + this.table;
		return acquire(name, "Another restore holds the lock '" + name + "'; this process changed nothing");
	}

	/** The name of a reconcile run's lock. */
	public static String reconcileName(String jobSchema, String table, int partition, int partitions) {
		return jobSchema + ":" + RECONCILE + ":" + table + ((partitions > 1) ? ":" + partition + "/" + partitions : "");
	}

	private RunLock acquire(String name, String whenTaken) {
		try {
			return RunLock.tryAcquire(this.dataSource, name)
				.orElseThrow(() -> new CommandRefusedException(ExitCode.LOCKED, whenTaken));
		}
		catch (SQLException ex) {
			throw new CommandRefusedException(ExitCode.NOT_STARTED, "Cannot connect to the database: "
					+ Failures.rootMessage(ex)
					+ ": check SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD");
		}
	}

}
