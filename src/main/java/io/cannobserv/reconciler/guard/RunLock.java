package io.cannobserv.reconciler.guard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL session-level advisory lock held on a connection of its own for the whole
 * run. A CronJob may start twice; the second process finds the lock taken and leaves. If
 * the process dies, its session ends and PostgreSQL releases the lock.
 */
public final class RunLock implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RunLock.class);

	private final Connection connection;

	private final String name;

	private RunLock(Connection connection, String name) {
		this.connection = connection;
		this.name = name;
	}

	/**
	 * Take the lock if it is free.
	 * @param dataSource the database that coordinates runs
	 * @param name the lock's name, e.g. the job schema and partition
	 * @return the lock, or empty when another session holds it
	 */
	public static Optional<RunLock> tryAcquire(DataSource dataSource, String name) throws SQLException {
		Connection connection = dataSource.getConnection();
		try {
			connection.setAutoCommit(true);
			try (PreparedStatement statement = connection
				.prepareStatement("SELECT pg_try_advisory_lock(hashtextextended(?, 0))")) {
				statement.setString(1, name);
				try (ResultSet result = statement.executeQuery()) {
					result.next();
					if (result.getBoolean(1)) {
						return Optional.of(new RunLock(connection, name));
					}
				}
			}
		}
		catch (SQLException | RuntimeException ex) {
			connection.close();
			throw ex;
		}
		connection.close();
		return Optional.empty();
	}

	@Override
	public void close() {
		try (Connection connection = this.connection;
				PreparedStatement statement = connection
					.prepareStatement("SELECT pg_advisory_unlock(hashtextextended(?, 0))")) {
			statement.setString(1, this.name);
			statement.execute();
		}
		catch (SQLException ex) {
			// the session is gone, and its lock with it
			logger.warn("Could not release run lock {} cleanly: {}", this.name, ex.getMessage());
		}
	}

}
