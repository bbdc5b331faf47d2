package io.cannobserv.reconciler.support;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * One PostgreSQL 17 server per test JVM, started on first use and stopped by a shutdown
 * hook. Each test asks for its own database with {@link #newDatabase()}, so tests never
 * see each other's rows and no test has to clean up.
 * <p>
 * Embedded PostgreSQL (zonky, binaries from Maven Central) is the default: it needs no
 * Docker. {@code -Dreconciler.test.postgres=testcontainers} switches to a
 * {@code postgres:17} container, or to the image that
 * {@code -Dreconciler.test.postgres.image=NAME} names: one that starts like the official
 * image (CI builds one from Debian's package, where no public registry is reachable).
 * This class is the only place that knows about the switch.
 */
public final class TestPostgres {

	/**
	 * System property that selects the server: {@code zonky} (default) or
	 * {@code testcontainers}.
	 */
	public static final String BACKEND_PROPERTY = "reconciler.test.postgres";

	/**
	 * System property naming the container image of the {@code testcontainers} backend.
	 */
	public static final String IMAGE_PROPERTY = "reconciler.test.postgres.image";

	private static final String OFFICIAL_IMAGE = "postgres:17";

	private static final Logger logger = LoggerFactory.getLogger(TestPostgres.class);

	private static final AtomicInteger databaseCount = new AtomicInteger();

	private TestPostgres() {
	}

	/** Creates a new, empty database with a unique name on the shared server. */
	public static TestDatabase newDatabase() {
		Server server = Holder.SERVER;
		String name = "test_" + ProcessHandle.current().pid() + "_" + databaseCount.incrementAndGet();
		// CREATE DATABASE cannot run in a transaction; JdbcTemplate runs it in
		// auto-commit
		server.admin().execute("CREATE DATABASE " + name);
		return new TestDatabase(server.jdbcUrl(name), server.username(), server.password());
	}

	/**
	 * A new database holding a copy of {@code template}'s schemas and rows (PostgreSQL's
	 * {@code CREATE DATABASE ... TEMPLATE}, a file copy): for tests that start from the
	 * same history made once by real runs. Nothing may be connected to the template
	 * meanwhile.
	 */
	public static TestDatabase copyOf(TestDatabase template) {
		Server server = Holder.SERVER;
		String name = "test_" + ProcessHandle.current().pid() + "_" + databaseCount.incrementAndGet();
		server.admin().execute("CREATE DATABASE " + name + " TEMPLATE " + template.name());
		return new TestDatabase(server.jdbcUrl(name), server.username(), server.password());
	}

	/**
	 * Which backend runs (or would run) the server: {@code zonky} or
	 * {@code testcontainers}.
	 */
	public static String backend() {
		return System.getProperty(BACKEND_PROPERTY, "zonky").trim().toLowerCase();
	}

	/**
	 * Initialization-on-demand holder: the server starts once, on the first
	 * newDatabase().
	 */
	private static final class Holder {

		static final Server SERVER = start();

		private static Server start() {
			long started = System.nanoTime();
			Server server = switch (backend()) {
				case "zonky", "" -> Zonky.start();
				case "testcontainers" -> Containerized.start();
				default -> throw new IllegalStateException(
						"Unknown -D" + BACKEND_PROPERTY + "=" + backend() + " (expected zonky or testcontainers)");
			};
			Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-postgres-shutdown"));
			logger.info("Test PostgreSQL ({}) ready at {} in {} ms", backend(), server.jdbcUrl(""),
					(System.nanoTime() - started) / 1_000_000);
			return server;
		}

	}

	/** A running server: where to reach it and how to stop it. */
	private record Server(String host, int port, String username, String password, Closeable handle) {

		String jdbcUrl(String database) {
			return "jdbc:postgresql://" + this.host + ":" + this.port + "/" + database;
		}

		JdbcTemplate admin() {
			return new JdbcTemplate(new DriverManagerDataSource(jdbcUrl("postgres"), this.username, this.password));
		}

		void close() {
			try {
				this.handle.close();
			}
			catch (IOException | RuntimeException ex) {
				// the JVM is exiting: nothing left to protect, only report
				logger.warn("Could not stop test PostgreSQL", ex);
			}
		}

	}

	private static final class Zonky {

		// initdb and server output go to a file: dozens of lines per JVM would bury test
		// output
		private static final File LOG_FILE = (Files.isDirectory(Path.of("target")) ? Path.of("target")
				: Path.of(System.getProperty("java.io.tmpdir")))
			.resolve("test-postgres.log")
			.toFile();

		/**
		 * Who logs in how: the roles {@link TestDatabase#withLogin} creates must give
		 * their password, as on a real server, so that a wrong one is refused; every
		 * other role is trusted, as the tests' own connections expect.
		 */
		private static final String HBA = """
				local all all trust
				host all /^login_ 127.0.0.1/32 scram-sha-256
				host all /^login_ ::1/128 scram-sha-256
				host all all 127.0.0.1/32 trust
				host all all ::1/128 trust
				""";

		static Server start() {
			try {
				Path hba = Files.createTempFile("test-postgres-hba", ".conf");
				hba.toFile().deleteOnExit();
				Files.writeString(hba, HBA);
				// As root, zonky runs initdb/postgres under "unshare -U", which
				// PostgreSQL accepts.
				// Durability settings off: a test server is thrown away with the JVM.
				EmbeddedPostgres postgres = EmbeddedPostgres.builder()
					.setServerConfig("hba_file", hba.toString())
					.setRegisterShutdownHook(false)
					.setOutputRedirector(ProcessBuilder.Redirect.appendTo(LOG_FILE))
					.setErrorRedirector(ProcessBuilder.Redirect.appendTo(LOG_FILE))
					.setServerConfig("fsync", "off")
					.setServerConfig("synchronous_commit", "off")
					.setServerConfig("full_page_writes", "off")
					.setServerConfig("max_connections", "300")
					.setPGStartupWait(Duration.ofSeconds(60))
					.start();
				// trust authentication but for withLogin's roles: any password is
				// accepted, but Spring needs one to pass on
				return new Server("localhost", postgres.getPort(), "postgres", "postgres", postgres);
			}
			catch (IOException ex) {
				throw new IllegalStateException("Could not start embedded PostgreSQL, see " + LOG_FILE, ex);
			}
		}

	}

	private static final class Containerized {

		@SuppressWarnings("resource") // closed by the shutdown hook
		static Server start() {
			DockerImageName image = DockerImageName.parse(System.getProperty(IMAGE_PROPERTY, OFFICIAL_IMAGE))
				.asCompatibleSubstituteFor("postgres");
			PostgreSQLContainer container = new PostgreSQLContainer(image).withCommand("postgres", "-c", "fsync=off",
					"-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300");
			container.start();
			logger.info("Test PostgreSQL container from {}", image);
			return new Server(container.getHost(), container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT),
					container.getUsername(), container.getPassword(), container::stop);
		}

	}

}
