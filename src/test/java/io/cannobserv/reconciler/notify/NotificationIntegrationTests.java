package io.cannobserv.reconciler.notify;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.cannobserv.reconciler.guard.RunLocks;
import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.support.ArchiverDatabase;
import io.cannobserv.reconciler.support.ArchiverVersion;
import io.cannobserv.reconciler.support.ExpectedBuild;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.TestDatabase;
import io.cannobserv.reconciler.support.TestPostgres;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run that needs a human tells a chat webhook (a stand-in speaking HTTP, as Slack's
 * incoming webhooks do): the brake tripped, the run failed or could not start, or it kept
 * pointers whose 404 was not Watcher's. A run that went well, or that found another run
 * holding the lock, tells no one. Whatever the webhook does, the exit code stands, one
 * line says what came of the message, and no secret reaches the chat.
 */
@ExtendWith(OutputCaptureExtension.class)
class NotificationIntegrationTests {

	/** As Slack's are: the token is the path. */
	private static final String WEBHOOK_PATH = "/services/T0WLR0001/B0WLR0002/s3cr3tT0kenInThePath";

	/** With the characters Markdown escapes, so that the escaped form must go too. */
	private static final String API_KEY = "wlr_api_key_*Secret*";

	private static final String DB_PASSWORD = "db_Pa55word`x`";

	private static final String UNPACED = "--max-requests-per-second=0";

	private final JsonMapper json = JsonMapper.builder().build();

	private final WireMockServer chat = new WireMockServer(wireMockConfig().dynamicPort());

	private TestDatabase database;

	private ArchiverDatabase archiver;

	private FakeWatcher watcher;

	@TempDir
	Path reportDir;

	@BeforeEach
	void setUp() {
		this.database = TestPostgres.newDatabase().withLogin(DB_PASSWORD);
		this.archiver = ArchiverDatabase.createSchema(this.database.jdbc(), ArchiverVersion.V4_10);
		this.watcher = new FakeWatcher(API_KEY).start();
		this.chat.start();
		this.chat.stubFor(post(urlPathEqualTo(WEBHOOK_PATH)).willReturn(aResponse().withStatus(200).withBody("ok")));
	}

	@AfterEach
	void tearDown() {
		this.watcher.stop();
		this.chat.stop();
	}

	@Test
	void reconcileWhenTheBrakeTripsPostsTheRunsMarkdownSummary(CapturedOutput output) {
		// given a registry whose pointers all look gone
		RegistryFixture.create(this.archiver, this.watcher, Mix.none().gone(40));

		// when
		Result result = reconcile("--apply", "--chunk-size=10", UNPACED);

		// then
		assertThat(result.exitCode()).as(result.err()).isEqualTo(3);
		LoggedRequest message = onlyMessage();
		assertThat(message.getHeader("Content-Type")).startsWith("application/json");
		String text = text(message);
		assertThat(text).startsWith("**Needs a human:** the safety brake halted the run")
			.contains("### Watcher link reconciler: run 1")
			.contains("> **Halted by the safety brake**")
			.contains("reconcile --apply --max-clear-fraction=1")
			.contains("Version `" + ExpectedBuild.version() + "`");
		assertThat(notificationLines(output))
			.containsExactly("Notified localhost (run 1 ended with exit code 3): HTTP 200");
	}

	@Test
	void reconcileWhenTheRunFailsPostsWhy() {
		// given a key revoked a few lookups into the run
		RegistryFixture.create(this.archiver, this.watcher, Mix.none().live(6).gone(2));
		this.watcher.revokeKeyAfter(3);

		// when
		Result result = reconcile("--apply", "--chunk-size=2", "--concurrency=1");

		// then
		assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
		assertThat(text(onlyMessage())).startsWith("**Needs a human:** the run failed or was stopped (exit code 1)")
			.contains("**Stopped because:**")
			.contains("401");
	}

	@Test
	void reconcileWhenUnconfirmedNotFoundsRemainPostsThemThoughTheRunCompleted() {
		// given
		RegistryFixture.create(this.archiver, this.watcher, Mix.none().live(3).notFoundUnconfirmed(2));

		// when
		Result result = reconcile("--apply");

		// then
		assertThat(result.exitCode()).as(result.err()).isZero();
		assertThat(text(onlyMessage()))
			.startsWith("**Needs a human:** 2 pointers got a 404 that is not Watcher's typed answer, kept")
			.contains("| " + Outcome.NOT_FOUND_UNCONFIRMED.label() + " |");
	}

	@Test
	void reconcileWhenTheRunCompletesCleanlyPostsNothing(CapturedOutput output) {
		// given
		RegistryFixture.create(this.archiver, this.watcher, Mix.none().live(3).gone(1).archived(1));

		// when
		Result result = reconcile("--apply");

		// then
		assertThat(result.exitCode()).as(result.err()).isZero();
		assertThat(this.chat.findAll(anyRequestedFor(anyUrl()))).isEmpty();
		assertThat(notificationLines(output)).isEmpty();
	}

	@Test
	void reconcileWhenNoWebhookIsSetPostsNothing(CapturedOutput output) {
		// given a run that would be told of
		RegistryFixture.create(this.archiver, this.watcher, Mix.none().gone(40));

		// when no webhook is configured (the default)
		Result result = ReconcilerRun.reconcile(this.database, this.watcher, this.reportDir, "--apply",
				"--chunk-size=10", UNPACED);

		// then
		assertThat(result.exitCode()).as(result.err()).isEqualTo(3);
		assertThat(this.chat.findAll(anyRequestedFor(anyUrl()))).isEmpty();
		assertThat(notificationLines(output)).isEmpty();
	}

	@Test
	void reconcileWhenPreflightRefusesToStartPostsWhy() {
		// given a key Watcher does not accept
		RegistryFixture.create(this.archiver, this.watcher, Mix.none().live(2));

		// when
		Result result = reconcile("--apply", "--reconciler.watcher.api-key=not-the-key");

		// then
		assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
		assertThat(text(onlyMessage())).startsWith("### Watcher link reconciler: reconcile could not start")
			.contains("**Needs a human:** the apply run could not start, exit code 2")
			.contains("\n> ")
			.contains("401")
			.contains("Version `" + ExpectedBuild.version() + "`");
	}

	@Test
	void reconcileWhenTheDatabaseCannotBeReachedPostsThatItCouldNotStart() {
		// when the application cannot start at all: no bean exists to tell anyone
		Result result = ReconcilerRun.run("reconcile", "--apply",
				"--spring.datasource.url=jdbc:postgresql://127.0.0.1:9/archiver",
				"--spring.datasource.username=reconciler", "--spring.datasource.password=" + DB_PASSWORD,
				"--spring.datasource.hikari.connection-timeout=1000", "--watcher-base-url=" + this.watcher.baseUrl(),
				"--reconciler.watcher.api-key=" + API_KEY, "--report-dir=" + this.reportDir,
				"--reconciler.notify.webhook-url=" + webhookUrl());

		// then
		assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
		assertThat(text(onlyMessage())).startsWith("### Watcher link reconciler: reconcile could not start")
			.contains("exit code 2");
		assertThat(result.err()).contains("Notified localhost (reconcile could not start): HTTP 200");
	}

	@Test
	void reconcileWhenAnotherRunHoldsTheLockPostsNothing() throws Exception {
		// given another run holding the lock: it tells of its own end
		RegistryFixture.create(this.archiver, this.watcher, Mix.none().live(2));
		try (var connection = this.database.dataSource().getConnection();
				var statement = connection.prepareStatement("SELECT pg_advisory_lock(hashtextextended(?, 0))")) {
			statement.setString(1, RunLocks.reconcileName("watcher_link_reconciler",
					"information.info_items(info_item_id,watcher_item_id)", 0, 1));
			statement.execute();

			// when
			Result result = reconcile("--apply");

			// then
			assertThat(result.exitCode()).as(result.err()).isEqualTo(4);
		}
		assertThat(this.chat.findAll(anyRequestedFor(anyUrl()))).isEmpty();
	}

	@Test
	void reconcileWhenTheWebhookAnswersAnErrorKeepsTheExitCodeAndLogsOneLine(CapturedOutput output) {
		// given a webhook refusing its token, as Slack does
		this.chat.stubFor(
				post(urlPathEqualTo(WEBHOOK_PATH)).willReturn(aResponse().withStatus(403).withBody("invalid_token")));
		RegistryFixture.create(this.archiver, this.watcher, Mix.none().gone(40));

		// when
		Result result = reconcile("--apply", "--chunk-size=10", UNPACED);

		// then
		assertThat(result.exitCode()).as(result.err()).isEqualTo(3);
		assertThat(this.reportDir.resolve("run-1.json")).exists();
		assertThat(notificationLines(output)).containsExactly("Notification not sent to localhost (run 1 ended with"
				+ " exit code 3): HTTP 403 invalid_token; the run and its exit code stand");
		assertThat(output.getAll()).doesNotContain(WEBHOOK_PATH);
	}

	@Test
	void reconcileWhenTheWebhookDropsTheConnectionKeepsTheExitCodeAndLogsOneLine(CapturedOutput output) {
		// given
		this.chat.stubFor(
				post(urlPathEqualTo(WEBHOOK_PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		RegistryFixture.create(this.archiver, this.watcher, Mix.none().live(3).notFoundUnconfirmed(1));

		// when
		Result result = reconcile("--apply");

		// then
		assertThat(result.exitCode()).as(result.err()).isZero();
		assertThat(notificationLines(output)).singleElement()
			.asString()
			.startsWith("Notification not sent to localhost (run 1 ended with exit code 0): ")
			.endsWith("; the run and its exit code stand");
		assertThat(output.getAll()).doesNotContain(WEBHOOK_PATH);
	}

	@Test
	void reconcileWhenTheWebhookHangsGivesUpAtItsTimeoutAndKeepsTheExitCode(CapturedOutput output) {
		// given a webhook that would answer after a minute
		this.chat.stubFor(post(urlPathEqualTo(WEBHOOK_PATH))
			.willReturn(aResponse().withStatus(200).withFixedDelay((int) Duration.ofMinutes(1).toMillis())));
		RegistryFixture.create(this.archiver, this.watcher, Mix.none().gone(40));

		// when
		Instant start = Instant.now();
		Result result = reconcile("--apply", "--chunk-size=10", UNPACED, "--reconciler.notify.timeout=1s");

		// then it waited a second for the webhook, not a minute
		assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(50));
		assertThat(result.exitCode()).as(result.err()).isEqualTo(3);
		assertThat(notificationLines(output)).containsExactly("Notification not sent to localhost (run 1 ended with"
				+ " exit code 3): no answer within 1000 ms; the run and its exit code stand");
	}

	@Test
	void reconcileWhenAnswersQuoteTheSecretsPostsThemRedacted() {
		// given a proxy answering 404 with a page that echoes what it was sent
		RegistryFixture registry = RegistryFixture.create(this.archiver, this.watcher, Mix.none().live(2));
		String echoed = "<p>db password=" + DB_PASSWORD + " X-API-Key: " + API_KEY + " token " + WEBHOOK_PATH + " at "
				+ webhookUrl() + "</p>";
		String watchedId = registry.entries().get(0).watcherItemId();
		this.watcher.notFoundUnconfirmed(watchedId, echoed);

		// when
		Result result = reconcile("--apply");

		// then the message was sent, with the secrets taken out whichever way they are
		// written
		assertThat(result.exitCode()).as(result.err()).isZero();
		LoggedRequest message = onlyMessage();
		String text = text(message);
		// (the Watcher client took the key out of the evidence already: Markdown escapes
		// that placeholder's brackets)
		assertThat(text).contains("X-API-Key: \\[redacted\\]").contains("db password=[redacted]");
		for (String sent : List.of(text, message.getBodyAsString())) {
			assertThat(sent).doesNotContain(API_KEY)
				.doesNotContain("wlr\\_api\\_key")
				.doesNotContain(DB_PASSWORD)
				.doesNotContain("db\\_Pa55word")
				.doesNotContain(WEBHOOK_PATH)
				.doesNotContain("s3cr3tT0ken");
		}
	}

	@Test
	void reconcileWhenTheWebhookUrlIsInvalidExitsTwoWithoutShowingIt() {
		// when the scheme is missing
		Result result = ReconcilerRun.reconcile(this.database, this.watcher, this.reportDir, "--apply",
				"--reconciler.notify.webhook-url=hooks.example.com" + WEBHOOK_PATH);

		// then
		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.err().strip()).doesNotContain("\n")
			.contains("reconciler.notify.webhook-url (RECONCILER_NOTIFY_WEBHOOK_URL) must be an http or https URL")
			.doesNotContain("s3cr3tT0ken");
		assertThat(this.chat.findAll(anyRequestedFor(anyUrl()))).isEmpty();
	}

	private Result reconcile(String... options) {
		String[] args = new String[options.length + 1];
		System.arraycopy(options, 0, args, 0, options.length);
		args[options.length] = "--reconciler.notify.webhook-url=" + webhookUrl();
		return ReconcilerRun.reconcile(this.database, this.watcher, this.reportDir, args);
	}

	private String webhookUrl() {
		return this.chat.baseUrl() + WEBHOOK_PATH;
	}

	private LoggedRequest onlyMessage() {
		List<LoggedRequest> requests = this.chat.findAll(anyRequestedFor(anyUrl()));
		assertThat(requests).singleElement().satisfies((request) -> {
			assertThat(request.getMethod().getName()).isEqualTo("POST");
			assertThat(request.getUrl()).isEqualTo(WEBHOOK_PATH);
		});
		return requests.get(0);
	}

	/** The message's text, as Slack's {@code {"text": …}} carries it. */
	private String text(LoggedRequest message) {
		JsonNode body = this.json.readTree(message.getBodyAsString());
		assertThat(body.propertyNames()).containsExactly("text");
		return body.path("text").asString();
	}

	/**
	 * What the run logged of its notification, a line each, without the logger's prefix.
	 */
	private static List<String> notificationLines(CapturedOutput output) {
		return output.getOut()
			.lines()
			.filter((line) -> line.contains("Notified ") || line.contains("Notification not sent"))
			.map((line) -> line.replaceFirst("^.*? : ", ""))
			.toList();
	}

}
