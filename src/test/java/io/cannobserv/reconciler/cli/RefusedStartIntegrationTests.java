package io.cannobserv.reconciler.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.TestDatabase;
import io.cannobserv.reconciler.support.TestPostgres;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A start refused for its settings or its database: one line on standard error that names
 * the setting and the fix, exit code 2, and nothing else anywhere (no Spring warning, no
 * hint to re-run with debug), against a real PostgreSQL. A secret given is never shown.
 */
@ExtendWith(OutputCaptureExtension.class)
class RefusedStartIntegrationTests {

	private static final String PREFIX = "watcher-link-reconciler: cannot start: ";

	/** Distinctive, so that a search cannot miss it nor find it by accident. */
	private static final String SECRET = "pw-5Vq8-s3cr3t-must-never-be-shown";

	@TempDir
	Path reportDir;

	@Test
	void reportWhenNothingListensOnTheDatabasesPortNamesTheAddressAndTheVariable(CapturedOutput output)
			throws IOException {
		// given a port nothing listens on
		int port = freePort();

		// when
		Refused refused = run(output, "report",
				"--spring.datasource.url=jdbc:postgresql://localhost:" + port + "/archiver",
				"--spring.datasource.username=reconciler", "--spring.datasource.password=" + SECRET);

		// then
		refused.is("the database at localhost:" + port + " (SPRING_DATASOURCE_URL) refused the connection: check the"
				+ " host and port in SPRING_DATASOURCE_URL, and that PostgreSQL is running there and accepts TCP"
				+ " connections");
	}

	@Test
	void reportWhenTheUrlIsNotJdbcNamesTheVariableAndTheFormNeverTheValue(CapturedOutput output) {
		// when a URL in libpq's form, which holds the password
		Refused refused = run(output, "report",
				"--spring.datasource.url=postgres://reconciler:" + SECRET + "@localhost:5432/archiver");

		// then
		refused.is("SPRING_DATASOURCE_URL is not a JDBC URL: set it to jdbc:postgresql://HOST:PORT/DB (its value is"
				+ " not shown: a URL may hold a password)");
	}

	@Test
	void reportWhenTheUrlIsAnotherDatabasesNamesTheVariableAndTheForm(CapturedOutput output) {
		// when
		Refused refused = run(output, "report",
				"--spring.datasource.url=jdbc:mysql://localhost:3306/archiver?password=" + SECRET);

		// then
		refused.is("SPRING_DATASOURCE_URL is not a PostgreSQL JDBC URL: set it to jdbc:postgresql://HOST:PORT/DB (its"
				+ " value is not shown: a URL may hold a password)");
	}

	@Test
	void reportWhenThePasswordIsWrongNamesBothVariablesNeverThePassword(CapturedOutput output) {
		// given a login whose password the server checks
		TestDatabase login = TestPostgres.newDatabase().withLogin("the-right-password");

		// when
		Refused refused = run(output, "report", "--spring.datasource.url=" + login.jdbcUrl(),
				"--spring.datasource.username=" + login.username(), "--spring.datasource.password=" + SECRET);

		// then
		refused.is("the database at " + address(login) + " refused the password of user '" + login.username()
				+ "': check SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD (the password is not shown)");
	}

	@Test
	void reportWhenTheRoleDoesNotExistNamesTheUserVariable(CapturedOutput output) throws SQLException {
		// given a role the server does not have
		TestDatabase database = TestPostgres.newDatabase();

		// when
		Refused refused = run(output, "report", "--spring.datasource.url=" + database.jdbcUrl(),
				"--spring.datasource.username=no_such_role", "--spring.datasource.password=" + SECRET);

		// then a server that trusts the host says the role is missing; one that asks for
		// passwords never tells a stranger which roles exist, and refuses the password
		if (asksForPasswords(database)) {
			refused.is("the database at " + address(database) + " refused the password of user 'no_such_role':"
					+ " check SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD (the password is not shown)");
		}
		else {
			refused.is("the database at " + address(database)
					+ " has no role 'no_such_role': check SPRING_DATASOURCE_USERNAME, or create the role");
		}
	}

	/**
	 * Whether the server checks passwords (Testcontainers), or trusts the host
	 * (embedded).
	 */
	private static boolean asksForPasswords(TestDatabase database) throws SQLException {
		try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.username(),
				"not-" + database.password())) {
			return false;
		}
		catch (SQLException ex) {
			if ("28P01".equals(ex.getSQLState())) {
				return true;
			}
			throw ex;
		}
	}

	@Test
	void reportWhenTheHostIsUnknownNamesItAndTheVariable(CapturedOutput output) {
		// when (.invalid is reserved: it never resolves)
		Refused refused = run(output, "report",
				"--spring.datasource.url=jdbc:postgresql://no-such-host.invalid:5432/archiver",
				"--spring.datasource.username=reconciler", "--spring.datasource.password=" + SECRET);

		// then
		refused.is("the database host no-such-host.invalid (SPRING_DATASOURCE_URL) is not known: check the host name"
				+ " in SPRING_DATASOURCE_URL, and that this machine resolves it");
	}

	@Test
	void reportWhenTheDatabaseDoesNotExistNamesItAndTheVariable(CapturedOutput output) {
		// given the server, but a database it does not have
		TestDatabase database = TestPostgres.newDatabase();
		String url = database.jdbcUrl().replace(database.name(), "no_such_database");

		// when
		Refused refused = run(output, "report", "--spring.datasource.url=" + url,
				"--spring.datasource.username=" + database.username(),
				"--spring.datasource.password=" + database.password());

		// then
		refused.is("the database at " + address(database) + " has no database 'no_such_database': check the database"
				+ " name in SPRING_DATASOURCE_URL (jdbc:postgresql://HOST:PORT/DB)");
	}

	@Test
	void reportWhenTheDatabaseNeverAnswersGivesUpAfterTheLoginTimeout(CapturedOutput output) throws IOException {
		// given a server that takes connections and says nothing, as a host gone behind a
		// proxy does
		try (SilentServer silent = new SilentServer()) {

			// when
			Refused refused = run(output, "report",
					"--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + silent.port() + "/archiver",
					"--spring.datasource.username=reconciler", "--spring.datasource.password=" + SECRET,
					"--spring.datasource.hikari.data-source-properties.loginTimeout=1");

			// then
			refused.is("the database at 127.0.0.1:" + silent.port() + " (SPRING_DATASOURCE_URL) did not answer within"
					+ " 1s: check the host and port in SPRING_DATASOURCE_URL, and that no firewall drops the"
					+ " connection");
			assertThat(silent.connections()).isPositive();
		}
	}

	@Test
	void reconcileWhenNothingIsConfiguredNamesEverySettingItNeedsAtOnce(CapturedOutput output) {
		// given none of them in this JVM's environment either
		assumeUnset("SPRING_DATASOURCE_URL", "WATCHER_BASE_URL", "WATCHER_API_KEY");

		// when
		Refused refused = run(output, "reconcile", "--apply");

		// then
		refused.is("SPRING_DATASOURCE_URL, WATCHER_BASE_URL and WATCHER_API_KEY are not set: set SPRING_DATASOURCE_URL"
				+ " to Archiver's database (jdbc:postgresql://HOST:PORT/DB), WATCHER_BASE_URL to Watcher's root URL"
				+ " (e.g. http://watcher:8000) and WATCHER_API_KEY to the key Watcher accepts");
	}

	@Test
	void reportWhenTheDatabaseIsNotConfiguredNamesOnlyWhatReportNeeds(CapturedOutput output) {
		// given
		assumeUnset("SPRING_DATASOURCE_URL");

		// when
		Refused refused = run(output, "report");

		// then
		refused.is("SPRING_DATASOURCE_URL is not set: set it to Archiver's database (jdbc:postgresql://HOST:PORT/DB)");
	}

	@Test
	void reconcileWhenOnlyTheKeyIsMissingNamesIt(CapturedOutput output) {
		// given
		assumeUnset("WATCHER_API_KEY");
		TestDatabase database = TestPostgres.newDatabase();
		List<String> args = new ArrayList<>(List.of("reconcile"));
		args.addAll(List.of(database.springArgs()));
		args.add("--watcher-base-url=http://localhost:9");

		// when
		Refused refused = run(output, args.toArray(String[]::new));

		// then
		refused.is("WATCHER_API_KEY is not set: set it to the key Watcher accepts");
	}

	@Test
	void reconcileWhenASettingBreaksItsRecordsRuleIsRefusedBeforeTheDatabaseIsAsked(CapturedOutput output)
			throws IOException {
		// given a database that would hang whoever asked it
		try (SilentServer silent = new SilentServer()) {

			// when
			Refused refused = run(output, "reconcile",
					"--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + silent.port() + "/archiver",
					"--watcher-base-url=http://localhost:9", "--reconciler.watcher.api-key=" + SECRET, "--partition=4",
					"--partitions=4");

			// then
			refused.is("--partition must be between 0 and --partitions minus 1 (3), was 4");
			assertThat(silent.connections()).isZero();
		}
	}

	@Test
	void reconcileWhenASettingIsRefusedStillTellsTheWebhook(CapturedOutput output) {
		// given a chat's webhook
		WireMockServer chat = new WireMockServer(wireMockConfig().dynamicPort());
		chat.start();
		try {
			chat.stubFor(post(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(200).withBody("ok")));

			// when
			Result result = ReconcilerRun.run("reconcile", "--apply",
					"--spring.datasource.url=jdbc:postgresql://127.0.0.1:9/archiver",
					"--watcher-base-url=http://localhost:9", "--reconciler.watcher.api-key=" + SECRET,
					"--reconciler.notify.webhook-url=" + chat.baseUrl() + "/hook", "--chunk-size=0");

			// then
			assertThat(result.exitCode()).isEqualTo(2);
			assertThat(result.err().lines()).containsExactly(PREFIX + "--chunk-size must be between 1 and 10000, was 0",
					"watcher-link-reconciler: Notified localhost (reconcile could not start): HTTP 200");
			chat.verify(1, postRequestedFor(urlPathEqualTo("/hook")));
		}
		finally {
			chat.stop();
		}
	}

	@Test
	void reportWhenOutputNamesAnHtmlFileWritesHtml() throws IOException {
		// given a database with no runs yet, and no --format
		TestDatabase database = TestPostgres.newDatabase();
		Path html = this.reportDir.resolve("runs.html");

		// when
		Result result = ReconcilerRun.run(concat(database.springArgs(), "report", "--output=" + html));

		// then
		assertThat(result.exitCode()).as(result.err()).isZero();
		assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>");
	}

	private static String[] concat(String[] first, String... more) {
		List<String> all = new ArrayList<>(List.of(more));
		all.addAll(1, List.of(first));
		return all.toArray(String[]::new);
	}

	private Refused run(CapturedOutput output, String... args) {
		int before = output.getAll().length();
		Result result = ReconcilerRun.run(args);
		return new Refused(result, output.getAll().substring(before));
	}

	private static String address(TestDatabase database) {
		String url = database.jdbcUrl();
		int start = url.indexOf("//") + 2;
		return url.substring(start, url.indexOf('/', start));
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static void assumeUnset(String... variables) {
		for (String variable : variables) {
			assumeTrue(System.getenv(variable) == null, variable + " is set in this JVM's environment");
		}
	}

	/**
	 * A refused start: what it returned and printed, and what was logged meanwhile.
	 */
	private record Refused(Result result, String logged) {

		/** Refused with exactly {@code line}, and nothing else anywhere. */
		void is(String line) {
			assertThat(this.result.exitCode()).as(this.result.err() + this.logged).isEqualTo(2);
			assertThat(this.result.err()).isEqualTo(PREFIX + line + System.lineSeparator());
			assertThat(this.result.out()).isEmpty();
			assertThat(this.logged).isEmpty();
			assertThat(this.result.err()).doesNotContain(SECRET);
		}

	}

	/**
	 * A TCP server that takes every connection and never answers: a database host gone
	 * behind a proxy or a firewall that drops.
	 */
	private static final class SilentServer implements AutoCloseable {

		private final ServerSocket server = new ServerSocket(0);

		private final List<Socket> accepted = new CopyOnWriteArrayList<>();

		SilentServer() throws IOException {
			Thread acceptor = new Thread(() -> {
				try {
					while (!this.server.isClosed()) {
						this.accepted.add(this.server.accept());
					}
				}
				catch (IOException ex) {
					// closed
				}
			}, "silent-database");
			acceptor.setDaemon(true);
			acceptor.start();
		}

		int port() {
			return this.server.getLocalPort();
		}

		int connections() {
			return this.accepted.size();
		}

		@Override
		public void close() throws IOException {
			this.server.close();
			for (Socket socket : this.accepted) {
				socket.close();
			}
		}

	}

}
