package io.cannobserv.reconciler.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.cannobserv.reconciler.support.ChildJvm;
import io.cannobserv.reconciler.support.ChildJvm.Finished;
import io.cannobserv.reconciler.support.TestDatabase;
import io.cannobserv.reconciler.support.TestPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Refused starts as an operator meets them: the real process, its settings in environment
 * variables, its two streams. Exactly one line on standard error, nothing on standard
 * output, exit code 2.
 */
class RefusedStartFunctionalTests {

	private static final String NAME = "watcher-link-reconciler: ";

	private static final Duration TIMEOUT = Duration.ofMinutes(3);

	/** Distinctive, so that a search cannot miss it nor find it by accident. */
	private static final String SECRET = "pw-9Kd2-s3cr3t-must-never-be-shown";

	static Stream<Arguments> commandLineMistakes() {
		return Stream.of(
				arguments(List.of("reconcile", "--aply"),
						"Unknown option --aply: did you mean --apply? (see --help for the options)"),
				arguments(List.of("reconcile", "--dry-run"),
						"--dry-run is not an option: a dry run is the default; add --apply to write"),
				arguments(List.of("report", "--format", "pdf"),
						"Unknown --format 'pdf' (formats: text, json, markdown, html; text is the default)"),
				arguments(List.of("restore"),
						"restore needs the run to undo: restore --run ID (see report for run ids)"),
				arguments(List.of("reconcile", "--chunk-size=abc"),
						"--chunk-size needs a whole number (e.g. --chunk-size=250), not 'abc'"));
	}

	/**
	 * Spring's own logging at DEBUG would print from the first moment Spring starts: an
	 * empty standard output proves the refusal came before it.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("commandLineMistakes")
	void commandWhenTheCommandLineIsWrongRefusesBeforeSpringStarts(List<String> mistake, String line) {
		// given
		List<String> args = Stream
			.concat(Stream.of("--logging.level.org.springframework=DEBUG", "--logging.level.root=DEBUG"),
					mistake.stream())
			.toList();

		// when
		Finished finished = ChildJvm.run("command-line", args,
				Map.of("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:9/archiver"), TIMEOUT);

		// then
		assertRefused(finished, NAME + line);
	}

	@Test
	void reportWhenAnEnvironmentVariableHasTheWrongTypeNamesTheVariable() throws IOException {
		// when
		Finished finished = ChildJvm.run(
				"environment", List.of("report"), Map.of("SPRING_DATASOURCE_URL",
						"jdbc:postgresql://127.0.0.1:" + freePort() + "/archiver", "RECONCILER_CHUNK_SIZE", "abc"),
				TIMEOUT);

		// then
		assertRefused(finished, NAME
				+ "cannot start: RECONCILER_CHUNK_SIZE needs a whole number (e.g. RECONCILER_CHUNK_SIZE=250), not 'abc'");
	}

	@Test
	void reconcileWhenNothingIsConfiguredNamesEveryVariableItNeedsAtOnce() {
		// when
		Finished finished = ChildJvm.run("unconfigured", List.of("reconcile", "--apply"), Map.of(), TIMEOUT);

		// then
		assertRefused(finished, NAME + "cannot start: SPRING_DATASOURCE_URL, WATCHER_BASE_URL and WATCHER_API_KEY are"
				+ " not set: set SPRING_DATASOURCE_URL to Archiver's database (jdbc:postgresql://HOST:PORT/DB),"
				+ " WATCHER_BASE_URL to Watcher's root URL (e.g. http://watcher:8000) and WATCHER_API_KEY to the key"
				+ " Watcher accepts");
	}

	@Test
	void reportWhenThePasswordIsWrongNamesTheVariablesAndShowsThePasswordNowhere() {
		// given a login whose password the server checks
		TestDatabase login = TestPostgres.newDatabase().withLogin("the-right-password");

		// when
		Finished finished = ChildJvm.run("wrong-password", List.of("report"), Map.of("SPRING_DATASOURCE_URL",
				login.jdbcUrl(), "SPRING_DATASOURCE_USERNAME", login.username(), "SPRING_DATASOURCE_PASSWORD", SECRET),
				TIMEOUT);

		// then
		String url = login.jdbcUrl();
		String address = url.substring(url.indexOf("//") + 2, url.indexOf('/', url.indexOf("//") + 2));
		assertRefused(finished,
				NAME + "cannot start: the database at " + address + " refused the password of user '" + login.username()
						+ "': check SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD"
						+ " (the password is not shown)");
	}

	private static void assertRefused(Finished finished, String line) {
		assertThat(finished.exitCode()).as(finished.out() + finished.err()).isEqualTo(2);
		assertThat(finished.err()).isEqualTo(line + System.lineSeparator());
		assertThat(finished.out()).isEmpty();
		assertThat(finished.out() + finished.err()).doesNotContain(SECRET);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
