package io.cannobserv.reconciler.support;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A fresh, empty database on the shared {@link TestPostgres} server.
 *
 * @param jdbcUrl the JDBC URL of this database
 * @param username a user allowed to create schemas in it
 * @param password that user's password
 */
public record TestDatabase(String jdbcUrl, String username, String password) {

	/**
	 * A non-pooled data source: every connection is a new physical one, so tests never
	 * share session state with the code under test.
	 */
	public DataSource dataSource() {
		return new DriverManagerDataSource(this.jdbcUrl, this.username, this.password);
	}

	public JdbcTemplate jdbc() {
		return new JdbcTemplate(dataSource());
	}

	/** The database name, the last path segment of the URL. */
	public String name() {
		String path = this.jdbcUrl.contains("?") ? this.jdbcUrl.substring(0, this.jdbcUrl.indexOf('?')) : this.jdbcUrl;
		return path.substring(path.lastIndexOf('/') + 1);
	}

	/**
	 * This database reached as a login of its own, with {@code password}: for a test that
	 * passes the password and needs the server to check it (the embedded server trusts
	 * other roles whatever their password; a container's checks every one).
	 */
	public TestDatabase withLogin(String password) {
		String role = "login_" + name();
		jdbc().execute("CREATE ROLE " + role + " LOGIN SUPERUSER PASSWORD '" + password.replace("'", "''") + "'");
		return new TestDatabase(this.jdbcUrl, role, password);
	}

	/** Command-line arguments that point a Spring Boot application at this database. */
	public String[] springArgs() {
		return new String[] { "--spring.datasource.url=" + this.jdbcUrl,
				"--spring.datasource.username=" + this.username, "--spring.datasource.password=" + this.password };
	}

}
