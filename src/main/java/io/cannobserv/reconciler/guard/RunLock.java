package io.cannobserv.reconciler.guard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL session-level advisory locks held on a connection of their own for the whole
 * run. If the process dies, its session ends and PostgreSQL releases its locks.
 */
public final class RunLock implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RunLock.class);

	private final Connection connection;

	private final Deque<Held> held = new ArrayDeque<>();

	private RunLock(Connection connection) {
		this.connection = connection;
	}

	/**
	 * A session of its own that holds nothing yet: take locks on it with
	 * {@link #tryTake}, release them all with {@link #close()}. A CronJob may start
	 * twice; the second process finds the lock taken and leaves.
	 * @param dataSource the database that coordinates runs
	 */
	public static RunLock open(DataSource dataSource) throws SQLException {
		Connection connection = dataSource.getConnection();
		try {
			connection.setAutoCommit(true);
		}
		catch (SQLException | RuntimeException ex) {
			connection.close();
			throw ex;
		}
		return new RunLock(connection);
	}

	/**
	 * Take one more lock on this session, if no other session holds it in a mode that
	 * excludes {@code mode}; never waits.
	 * @param name the lock's name
	 * @param mode exclusive, or shared with other sessions that take it shared
	 * @return whether this session now holds it
	 */
	public boolean tryTake(String name, Mode mode) throws SQLException {
		try (PreparedStatement statement = this.connection
			.prepareStatement("SELECT " + mode.tryFunction + "(hashtextextended(?, 0))")) {
			statement.setString(1, name);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				if (result.getBoolean(1)) {
					this.held.push(new Held(name, mode));
					return true;
				}
				return false;
			}
		}
	}

	/**
	 * Whether some other session holds {@code name} shared: this session takes it shared
	 * and releases it at once, which succeeds only while no session holds it exclusively.
	 */
	boolean heldSharedElsewhere(String name) throws SQLException {
		if (!tryTake(name, Mode.SHARED)) {
			return false;
		}
		release(this.held.pop());
		return true;
	}

	/**
	 * Whether some other session holds {@code name}, in any mode: this session takes it
	 * exclusively and releases it at once, which succeeds only while no session holds it.
	 */
	boolean heldElsewhere(String name) throws SQLException {
		if (!tryTake(name, Mode.EXCLUSIVE)) {
			return true;
		}
		release(this.held.pop());
		return false;
	}

	@Override
	public void close() {
		try (Connection connection = this.connection) {
			while (!this.held.isEmpty()) {
				release(this.held.pop());
			}
		}
		catch (SQLException ex) {
			// the session is gone, and its locks with it
			logger.warn("Could not release run lock cleanly: {}", ex.getMessage());
		}
	}

	private void release(Held lock) throws SQLException {
		try (PreparedStatement statement = this.connection
			.prepareStatement("SELECT " + lock.mode().unlockFunction + "(hashtextextended(?, 0))")) {
			statement.setString(1, lock.name());
			statement.execute();
		}
	}

	/** How a session holds an advisory lock. */
	public enum Mode {

		/** By one session at a time, and by no other in any mode. */
		EXCLUSIVE("pg_try_advisory_lock", "pg_advisory_unlock"),

		/** By any number of sessions at once, while none holds it exclusively. */
		SHARED("pg_try_advisory_lock_shared", "pg_advisory_unlock_shared");

		private final String tryFunction;

		private final String unlockFunction;

		Mode(String tryFunction, String unlockFunction) {
			this.tryFunction = tryFunction;
			this.unlockFunction = unlockFunction;
		}

	}

	private record Held(String name, Mode mode) {
	}

}
