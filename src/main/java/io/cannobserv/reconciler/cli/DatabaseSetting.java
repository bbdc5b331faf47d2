package io.cannobserv.reconciler.cli;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

/**
 * Archiver's database as {@code SPRING_DATASOURCE_URL} and
 * {@code SPRING_DATASOURCE_USERNAME} name it, for the one line that says why it could not
 * be reached. The URL is read with the driver's own parser (JDBC's
 * {@link Driver#getPropertyInfo}); it is never repeated whole, since a URL may hold a
 * password, and the password is never read at all.
 *
 * @param address where the database is, {@code HOST:PORT} (several, comma-separated, for
 * a URL that names several)
 * @param name the database's name
 * @param user the user name the job logs in with, null when none is set
 * @param loginTimeout how long the driver waits for a login
 */
public record DatabaseSetting(String address, String name, @Nullable String user, Duration loginTimeout) {

	static final String URL = "SPRING_DATASOURCE_URL";

	static final String USERNAME = "SPRING_DATASOURCE_USERNAME";

	static final String PASSWORD = "SPRING_DATASOURCE_PASSWORD";

	/** The form of the URL, as the fixes write it. */
	static final String URL_FORM = "jdbc:postgresql://HOST:PORT/DB";

	/** PostgreSQL's connection exceptions (SQLSTATE class 08). */
	private static final String CONNECTION_EXCEPTION = "08";

	/** PostgreSQL's invalid authorization specification (SQLSTATE class 28). */
	private static final String AUTHORIZATION = "28";

	private static final String INVALID_PASSWORD = "28P01";

	private static final String INVALID_CATALOG_NAME = "3D000";

	/**
	 * The database {@code url} names, or the one line that says why the URL is not one.
	 * @param url the value of {@code spring.datasource.url}
	 * @param user the value of {@code spring.datasource.username}, null when not set
	 * @param loginTimeout how long the driver waits for a login
	 * @throws UsageException when the URL is not a PostgreSQL JDBC URL
	 */
	static DatabaseSetting of(String url, @Nullable String user, Duration loginTimeout) {
		String fix = ": set it to " + URL_FORM + " (its value is not shown: a URL may hold a password)";
		if (!url.strip().toLowerCase(Locale.ROOT).startsWith("jdbc:")) {
			throw new UsageException(URL + " is not a JDBC URL" + fix);
		}
		Map<String, String> parsed = new HashMap<>();
		try {
			Driver driver = DriverManager.getDriver(url.strip());
			for (DriverPropertyInfo property : driver.getPropertyInfo(url.strip(), new Properties())) {
				if (property.value != null) {
					parsed.put(property.name, property.value);
				}
			}
		}
		catch (SQLException ex) {
			// no driver takes it: another database's URL, or a malformed one
			throw new UsageException(URL + " is not a PostgreSQL JDBC URL" + fix);
		}
		String hosts = parsed.getOrDefault("PGHOST", "localhost");
		String ports = parsed.getOrDefault("PGPORT", "5432");
		StringBuilder address = new StringBuilder();
		String[] hostList = hosts.split(",");
		String[] portList = ports.split(",");
		for (int i = 0; i < hostList.length; i++) {
			address.append((i > 0) ? "," : "")
				.append(hostList[i])
				.append(':')
				.append(portList[Math.min(i, portList.length - 1)]);
		}
		String login = (user != null && !user.isBlank()) ? user : parsed.get("user");
		return new DatabaseSetting(address.toString(), parsed.getOrDefault("PGDBNAME", ""), login, loginTimeout);
	}

	/**
	 * The one line for {@code failure} when it is a failure to reach or log in to this
	 * database, naming the setting at fault and the fix; empty for any other failure.
	 */
	Optional<String> describe(Throwable failure) {
		String state = Failures.causes(failure)
			.filter(SQLException.class::isInstance)
			.map((cause) -> ((SQLException) cause).getSQLState())
			.filter((code) -> code != null && !code.isBlank())
			.findFirst()
			.orElse("");
		String at = "the database at " + this.address;
		if (Failures.find(failure, UnknownHostException.class).isPresent()) {
			return Optional.of("the database host " + this.address.replaceAll(":[^,]*", "") + " (" + URL
					+ ") is not known: check the host name in " + URL + ", and that this machine resolves it");
		}
		if (Failures.find(failure, ConnectException.class).isPresent()
				|| Failures.find(failure, NoRouteToHostException.class).isPresent()) {
			return Optional.of(at + " (" + URL + ") refused the connection: check the host and port in " + URL
					+ ", and that PostgreSQL is running there and accepts TCP connections");
		}
		if (Failures.find(failure, SocketTimeoutException.class).isPresent()
				|| Failures.find(failure, SQLTransientConnectionException.class).isPresent()
				|| (state.startsWith(CONNECTION_EXCEPTION) && Failures.rootMessage(failure).contains("timed out"))) {
			return Optional.of(at + " (" + URL + ") did not answer within " + seconds(this.loginTimeout)
					+ ": check the host and port in " + URL + ", and that no firewall drops the connection");
		}
		if (state.equals(INVALID_PASSWORD)) {
			return Optional.of(at + " refused the password of user " + userName() + ": check " + USERNAME + " and "
					+ PASSWORD + " (the password is not shown)");
		}
		if (state.startsWith(AUTHORIZATION)) {
			String reason = serverMessage(failure);
			if (reason.contains("does not exist")) {
				return Optional.of(at + " has no role " + userName() + ": check " + USERNAME + ", or create the role");
			}
			if (reason.contains("pg_hba.conf")) {
				return Optional
					.of(at + " does not let user " + userName() + " connect from this host (pg_hba.conf): check "
							+ USERNAME + ", or ask the database's administrator to allow it");
			}
			return Optional.of(at + " refused user " + userName() + " (" + reason + "): check " + USERNAME + " and "
					+ PASSWORD + " (the password is not shown)");
		}
		if (state.equals(INVALID_CATALOG_NAME)) {
			return Optional.of(at + " has no database '" + this.name + "': check the database name in " + URL + " ("
					+ URL_FORM + ")");
		}
		if (state.startsWith(CONNECTION_EXCEPTION)) {
			return Optional
				.of("cannot connect to " + at + " (" + URL + "): " + serverMessage(failure) + "; check " + URL);
		}
		return Optional.empty();
	}

	private String userName() {
		return (this.user != null) ? "'" + this.user + "'" : "(none set: " + USERNAME + ")";
	}

	/** The server's or driver's reason, without PostgreSQL's severity prefix. */
	private static String serverMessage(Throwable failure) {
		String message = Failures.causes(failure)
			.filter(SQLException.class::isInstance)
			.map(Throwable::getMessage)
			.filter((text) -> text != null && !text.isBlank())
			.reduce((outer, inner) -> inner)
			.orElse(Failures.rootMessage(failure));
		return message.lines().findFirst().orElse("").replaceFirst("^(FATAL|ERROR): ", "").strip();
	}

	private static String seconds(Duration timeout) {
		long millis = timeout.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

}
