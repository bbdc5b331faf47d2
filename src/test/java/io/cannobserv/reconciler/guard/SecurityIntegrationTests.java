package io.cannobserv.reconciler.guard;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import io.cannobserv.reconciler.WatcherReconcilerApplication;
import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.support.ArchiverDatabase;
import io.cannobserv.reconciler.support.ArchiverVersion;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Entry;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.RegistryFixture.PointerClass;
import io.cannobserv.reconciler.support.TestDatabase;
import io.cannobserv.reconciler.support.TestPostgres;
import io.cannobserv.reconciler.support.Ulids;
import io.cannobserv.reconciler.support.WatcherBodies;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The API key and the database role: the key is never written anywhere and is sent only
 * to Watcher's origin, over https too, and the job runs with the privileges that
 * {@code docs/least-privilege.sql} grants and no more.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecurityIntegrationTests {

	private static final String JOB_SCHEMA = "watcher_link_reconciler";

	/** Distinctive, so that a grep cannot miss it nor find it by accident. */
	private static final String SECRET_KEY = "wk-7Hq9-s3cr3t-zX3p-must-never-be-written";

	private static final String WRONG_KEY = "wk-Wr0ng-k3y-4Lso-must-never-be-written";

	private static final String STORE_PASSWORD = "changeit";

	private final JsonMapper json = JsonMapper.builder().build();

	private TestDatabase database;

	private ArchiverDatabase archiver;

	private FakeWatcher watcher;

	private final List<WireMockServer> otherServers = new ArrayList<>();

	@TempDir
	Path reportDir;

	@TempDir
	Path workDir;

	@BeforeEach
	void setUp() {
		this.database = TestPostgres.newDatabase();
		this.archiver = ArchiverDatabase.createSchema(this.database.jdbc(), ArchiverVersion.V4_10);
		this.watcher = new FakeWatcher(SECRET_KEY).start();
	}

	@AfterEach
	void tearDown() {
		this.watcher.stop();
		this.otherServers.forEach(WireMockServer::stop);
	}

	@Test
	void reconcileWhenRunningWritesTheKeyNowhere(CapturedOutput output) throws Exception {
		// given a registry of every kind, and the job's own loggers at their most
		// talkative
		RegistryFixture registry = RegistryFixture.create(this.archiver, this.watcher, Mix.ofEach(3).live(10));
		// and answers that echo the request's headers, as a proxy's debug page may: their
		// text becomes evidence that is stored, logged and reported
		List<String> echoing = registry.entries()
			.stream()
			.filter((entry) -> entry.pointerClass() == PointerClass.LIVE)
			.map(Entry::watcherItemId)
			.limit(2)
			.toList();
		String echo = "<pre>GET /api/v1/watched-items\nX-API-Key: " + SECRET_KEY + "\n</pre>";
		this.watcher.notFoundUnconfirmed(echoing.get(0), echo);
		this.watcher.answer(echoing.get(1), aResponse().withStatus(503).withBody(echo));
		String[] verbose = { "--logging.level.io.cannobserv=TRACE", "--logging.level.org.springframework=DEBUG",
				"--logging.level.org.flywaydb=DEBUG", "--logging.level.com.zaxxer=DEBUG",
				"--logging.level.org.postgresql=DEBUG" };

		// when a run completes, a dry run completes, a run meets a revoked key, a run has
		// a wrong key
		Result applied = reconcile(SECRET_KEY, "--apply", "--chunk-size=7", verbose[0], verbose[1], verbose[2],
				verbose[3], verbose[4]);
		Result dryRun = reconcile(SECRET_KEY, "--chunk-size=7");
		this.watcher.revokeKeyAfter(3);
		Result revoked = reconcile(SECRET_KEY, "--apply", "--chunk-size=2", "--concurrency=1", verbose[0]);
		this.watcher.revokeKeyAfter(Integer.MAX_VALUE);
		Result rejected = reconcile(WRONG_KEY, "--apply", verbose[0]);

		// then the runs did what they do
		assertThat(applied.exitCode()).as(applied.out() + applied.err()).isZero();
		assertThat(dryRun.exitCode()).as(dryRun.out() + dryRun.err()).isZero();
		assertThat(revoked.exitCode()).as(revoked.out() + revoked.err()).isEqualTo(1);
		assertThat(rejected.exitCode()).as(rejected.out() + rejected.err()).isEqualTo(2);
		// and the key was sent, so there was something to leak
		assertThat(this.watcher.itemRequests()).isNotEmpty()
			.allSatisfy(
					(request) -> assertThat(request.getHeader(FakeWatcher.API_KEY_HEADER)).isIn(SECRET_KEY, WRONG_KEY));
		// the capture holds the job's logs, debug included, and the failure's stack trace
		String logs = output.getAll();
		assertThat(logs).contains("Cleared pointer of InfoItem").contains("Chunk committed").contains(" DEBUG ");
		assertThat(logs).contains("X-API-Key: [redacted]");
		assertThat(logs + revoked.out()).contains("401");
		assertThat(logs).doesNotContain(SECRET_KEY).doesNotContain(WRONG_KEY);
		for (Result result : List.of(applied, dryRun, revoked, rejected)) {
			assertThat(result.out() + result.err()).doesNotContain(SECRET_KEY).doesNotContain(WRONG_KEY);
		}
		List<Path> reports;
		try (var files = Files.walk(this.reportDir)) {
			reports = files.filter(Files::isRegularFile).toList();
		}
		// the completed, the dry and the failed run each wrote one
		assertThat(reports).filteredOn((report) -> report.getFileName().toString().matches("run-\\d+\\.json"))
			.hasSize(3);
		for (Path report : reports) {
			assertThat(Files.readString(report)).as(report.toString())
				.doesNotContain(SECRET_KEY)
				.doesNotContain(WRONG_KEY);
		}
		// nor in the job's tables: job parameters, exit messages, execution contexts,
		// audit, findings
		JdbcTemplate jdbc = this.database.jdbc();
		List<String> tables = jdbc.queryForList(
				"SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'",
				String.class, JOB_SCHEMA);
		assertThat(tables).contains("batch_job_execution_params", "batch_step_execution_context", "pointer_clear",
				"pointer_finding");
		long rowsSearched = 0;
		for (String table : tables) {
			rowsSearched += count(jdbc, "SELECT count(*) FROM " + JOB_SCHEMA + "." + table);
			assertThat(count(jdbc, "SELECT count(*) FROM " + JOB_SCHEMA + "." + table + " t WHERE t::text LIKE ?",
					"%" + SECRET_KEY + "%"))
				.as(table)
				.isZero();
			assertThat(count(jdbc, "SELECT count(*) FROM " + JOB_SCHEMA + "." + table + " t WHERE t::text LIKE ?",
					"%" + WRONG_KEY + "%"))
				.as(table)
				.isZero();
		}
		assertThat(rowsSearched).isGreaterThan(50);
	}

	@Test
	void reconcileWhenWatcherRedirectsALookupDoesNotFollowItAndKeepsThePointer() throws Exception {
		// given another server that would answer "gone" for anything, and lookups
		// redirected to it
		WireMockServer elsewhere = elsewhereAnsweringGone();
		RegistryFixture registry = RegistryFixture.create(this.archiver, this.watcher, Mix.none().live(6).gone(2));
		List<String> redirected = registry.ids(PointerClass.LIVE).subList(0, 4);
		List<Integer> statuses = List.of(301, 302, 307, 308);
		for (int i = 0; i < redirected.size(); i++) {
			String watchedId = registry.entry(redirected.get(i)).watcherItemId();
			this.watcher.server()
				.stubFor(get(urlPathEqualTo(FakeWatcher.itemPath(watchedId))).atPriority(1)
					.willReturn(redirect(statuses.get(i), elsewhere.baseUrl() + FakeWatcher.itemPath(watchedId))));
		}

		// when
		Result result = reconcile(SECRET_KEY, "--apply");

		// then nothing went elsewhere, the redirected pointers are kept and reported
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		assertThat(elsewhere.getAllServeEvents()).isEmpty();
		Map<String, Map<String, @Nullable Object>> after = this.archiver.snapshot();
		for (String id : redirected) {
			assertThat(after.get(id).get("watcher_item_id")).as(id).isEqualTo(registry.entry(id).watcherItemId());
			// never followed, whatever the round: one request in the first pass, one in
			// each of the recheck's four rounds (--max-attempts), as any transient answer
			assertThat(this.watcher.requestsFor(registry.entry(id).watcherItemId())).as(id).hasSize(5);
		}
		for (String id : registry.ids(PointerClass.GONE)) {
			assertThat(after.get(id).get("watcher_item_id")).as(id).isNull();
		}
		JsonNode report = onlyReport();
		assertThat(report.get("counts").get("transient").asLong()).isEqualTo(4);
		assertThat(report.get("counts").get("cleared").asLong()).isEqualTo(2);
		for (int i = 0; i < redirected.size(); i++) {
			JsonNode skipped = skipped(report, redirected.get(i));
			assertThat(skipped.get("verdict").asString()).isEqualTo(Outcome.TRANSIENT.jsonName());
			assertThat(skipped.get("reason").asString()).contains("HTTP " + statuses.get(i));
		}
	}

	@Test
	void reconcileWhenWatcherRedirectsEverythingExitsTwoAndSendsNothingElsewhere() {
		// given
		WireMockServer elsewhere = elsewhereAnsweringGone();
		RegistryFixture.create(this.archiver, this.watcher, Mix.none().live(2).gone(2));
		Map<String, Map<String, @Nullable Object>> before = this.archiver.snapshot();
		this.watcher.server()
			.stubFor(any(anyUrl()).atPriority(1).willReturn(redirect(302, elsewhere.baseUrl() + "/health")));

		// when
		Result result = reconcile(SECRET_KEY, "--apply");

		// then
		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.err().strip()).doesNotContain("\n").contains("HTTP 302");
		assertThat(elsewhere.getAllServeEvents()).isEmpty();
		assertThat(this.archiver.snapshot()).isEqualTo(before);
	}

	/**
	 * The trusting run is in a child JVM: the JDK's HTTP client trusts the JVM's default
	 * trust store, which is read once per JVM from {@code javax.net.ssl.trustStore} when
	 * {@code SSLContext.getDefault()} is first used. In the test JVM that may already
	 * have happened, and changing it would change every later test's trust. The child is
	 * started with its own trust store, as an operator would give one, and certificate
	 * and host name validation are left fully on. The refusing run can stay in-process:
	 * no default trust store knows a certificate made a moment ago.
	 */
	@Test
	void reconcileWhenWatcherIsHttpsTrustsOnlyTheConfiguredTrustStore() throws Exception {
		// given Watcher behind TLS with a certificate for localhost, made here
		Path keyStore = this.workDir.resolve("watcher.p12");
		Path trustStore = this.workDir.resolve("trust.p12");
		createCertificate(keyStore, trustStore);
		WireMockServer https = new WireMockServer(wireMockConfig().httpDisabled(true)
			.dynamicHttpsPort()
			.keystorePath(keyStore.toString())
			.keystorePassword(STORE_PASSWORD)
			.keyManagerPassword(STORE_PASSWORD)
			.keystoreType("PKCS12")
			.gzipDisabled(true));
		https.start();
		this.otherServers.add(https);
		stubWatcher(https);
		String liveId = Ulids.infoItem(1);
		String goneId = Ulids.infoItem(2);
		this.archiver.insertItem(liveId, Ulids.watchedItem(1));
		this.archiver.insertItem(goneId, Ulids.watchedItem(2));
		String baseUrl = "https://localhost:" + https.httpsPort();

		// when the JVM does not trust the certificate (this one's default trust store
		// cannot know it)
		Result untrusted = reconcile(SECRET_KEY, "--apply", "--watcher-base-url=" + baseUrl);

		// then it refuses to talk, and nothing was read or written
		assertThat(untrusted.exitCode()).as(untrusted.out() + untrusted.err()).isEqualTo(2);
		assertThat(untrusted.err().strip()).doesNotContain("\n")
			.contains("unreachable")
			.contains("SSLHandshakeException");
		assertThat(this.archiver.pointerOf(goneId)).isEqualTo(Ulids.watchedItem(2));
		assertThat(https.findAll(anyRequestedFor(anyUrl()))).isEmpty();

		// when it trusts it
		Child trusted = runChild("https-trusted", List.of("-Djavax.net.ssl.trustStore=" + trustStore,
				"-Djavax.net.ssl.trustStorePassword=" + STORE_PASSWORD, "-Djavax.net.ssl.trustStoreType=PKCS12"),
				baseUrl);

		// then the run completes over https with the key
		assertThat(trusted.exitCode()).as(trusted.output()).isZero();
		assertThat(this.archiver.pointerOf(goneId)).isNull();
		assertThat(this.archiver.pointerOf(liveId)).isEqualTo(Ulids.watchedItem(1));
		List<LoggedRequest> requests = https.findAll(anyRequestedFor(anyUrl()));
		assertThat(requests).extracting(LoggedRequest::getUrl)
			.contains("/health", FakeWatcher.itemPath(Ulids.watchedItem(1)),
					FakeWatcher.itemPath(Ulids.watchedItem(2)));
		assertThat(requests).allSatisfy((request) -> assertThat(request.getAbsoluteUrl()).startsWith(baseUrl + "/"));
		assertThat(requests).filteredOn((request) -> request.getUrl().startsWith("/api/"))
			.allSatisfy((request) -> assertThat(request.getHeader(FakeWatcher.API_KEY_HEADER)).isEqualTo(SECRET_KEY));
		assertThat(trusted.output()).doesNotContain(SECRET_KEY);
	}

	@Test
	void reconcileWhenRunAsRoleWithOnlyTheDocumentedPrivilegesClearsAndRestores() throws Exception {
		// given a role made by docs/least-privilege.sql, under a name of this database's
		// own
		String role = "reconciler_job_" + this.database.name();
		String script = Files.readString(Path.of("docs", "least-privilege.sql"));
		assertThat(script).contains("CREATE ROLE reconciler_job LOGIN;");
		this.database.jdbc().execute(script.replace("reconciler_job", role));
		this.database.jdbc().execute("ALTER ROLE " + role + " PASSWORD 'role-password'");
		JdbcTemplate asRole = new JdbcTemplate(
				new DriverManagerDataSource(this.database.jdbcUrl(), role, "role-password"));
		RegistryFixture registry = RegistryFixture.create(this.archiver, this.watcher,
				Mix.none().live(4).gone(4).archived(1).malformed(2).notFoundUnconfirmed(1).withoutPointer(1));
		Map<String, Map<String, @Nullable Object>> before = this.archiver.snapshot();
		String[] credentials = { "--spring.datasource.username=" + role, "--spring.datasource.password=role-password" };

		// when
		Result applied = reconcile(SECRET_KEY, "--apply", "--chunk-size=5", credentials[0], credentials[1]);

		// then
		assertThat(applied.exitCode()).as(applied.out() + applied.err()).isZero();
		Map<String, Map<String, @Nullable Object>> after = this.archiver.snapshot();
		Set<String> gone = Set.copyOf(registry.ids(PointerClass.GONE));
		after.forEach((id, row) -> {
			if (gone.contains(id)) {
				assertThat(row.get("watcher_item_id")).as(id).isNull();
			}
			else {
				assertThat(row).as(id).isEqualTo(before.get(id));
			}
		});
		assertThat(this.archiver.watchStatusSnapshot()).doesNotContainKeys(gone.toArray(String[]::new));
		assertThat(this.database.jdbc()
			.queryForObject("SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = ?", String.class,
					JOB_SCHEMA))
			.isEqualTo(role);
		long runId = onlyReport().get("runId").asLong();

		// when the same role undoes the run
		Result restored = ReconcilerRun.run("restore", "--run", String.valueOf(runId), "--apply",
				"--spring.datasource.url=" + this.database.jdbcUrl(), credentials[0], credentials[1]);

		// then
		assertThat(restored.exitCode()).as(restored.out() + restored.err()).isZero();
		for (String id : gone) {
			assertThat(this.archiver.pointerOf(id)).as(id).isEqualTo(registry.entry(id).watcherItemId());
		}
		// and the role really is that narrow
		assertThat(asRole.queryForObject("SELECT rolsuper OR rolcreatedb OR rolcreaterole OR rolbypassrls"
				+ " FROM pg_roles WHERE rolname = current_user", Boolean.class))
			.isFalse();
		for (String forbidden : List.of("SELECT name FROM information.info_items",
				"UPDATE information.info_items SET name = 'x'", "DELETE FROM information.info_items",
				"INSERT INTO information.info_items (info_item_id, name) VALUES ('X', 'x')",
				"SELECT status FROM information.watch_status",
				"INSERT INTO information.watch_status (info_item_id) VALUES ('X')", "CREATE SCHEMA elsewhere",
				"CREATE TABLE information.intruder (id int)")) {
			assertThatExceptionOfType(DataAccessException.class).as(forbidden)
				.isThrownBy(() -> asRole.execute(forbidden))
				.havingRootCause()
				.withMessageContaining("permission denied");
		}
	}

	static Stream<Arguments> malformedSecretSettings() {
		return Stream.of(
				arguments("a line break in the key", "--reconciler.watcher.api-key=wk-Line1-7Qz\nwk-Line2-8Rv"),
				arguments("a carriage return in the key", "--reconciler.watcher.api-key=wk-Cr1-4Tn\rwk-Cr2-5Ub"),
				arguments("a tab in the key", "--reconciler.watcher.api-key=wk-Tab1-2Hm\twk-Tab2-3Jk"),
				arguments("a NUL in the key", "--reconciler.watcher.api-key=wk-Nul1-6Pq\u0000wk-Nul2-9Xa"),
				arguments("an escape in the key", "--reconciler.watcher.api-key=wk-Esc1-1Ld\u001b[0mwk-Esc2-2Ke"),
				arguments("DEL in the key", "--reconciler.watcher.api-key=wk-Del1-2Wz\u007fwk-Del2-3Vy"),
				arguments("a C1 control in the key", "--reconciler.watcher.api-key=wk-Nel1-3Yc\u0085wk-Nel2-4Vb"),
				arguments("user and password in the URL",
						"--watcher-base-url=http://wk-User1-5Ta:wk-Pass1-6Sb@localhost:{port}"),
				arguments("a user in the URL", "--watcher-base-url=http://wk-User2-7Rc@localhost:{port}"),
				arguments("a query in the URL", "--watcher-base-url=http://localhost:{port}/?token=wk-Query1-8Qd"),
				arguments("a fragment in the URL", "--watcher-base-url=http://localhost:{port}/#wk-Frag1-9Pe"),
				arguments("a line break in the URL",
						"--watcher-base-url=http://localhost:{port}/wk-Ctl1-1Of\nwk-Ctl2-2Ng"),
				arguments("everything in the URL",
						"--watcher-base-url=http://wk-User3-3Mh:wk-Pass3-4Li@localhost:{port}/?x=wk-Query3-5Kj#wk-Frag3-6Jk"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformedSecretSettings")
	void reconcileWhenASecretSettingIsMalformedExitsTwoNamingTheVariableNeverTheValue(String label, String option,
			CapturedOutput output) throws Exception {
		// given a value whose every part is distinctive
		String setting = option.replace("{port}", String.valueOf(this.watcher.port()));
		List<String> secrets = new ArrayList<>();
		Matcher part = Pattern.compile("wk-[A-Za-z0-9]+-[A-Za-z0-9]+").matcher(setting);
		while (part.find()) {
			secrets.add(part.group());
		}
		assertThat(secrets).hasSizeGreaterThanOrEqualTo(1);
		String variable = setting.startsWith("--watcher-base-url") ? "WATCHER_BASE_URL" : "WATCHER_API_KEY";

		// when
		Result result = reconcile(SECRET_KEY, "--apply", setting);

		// then it is refused before anything is sent or written, in one line that names
		// the variable
		assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(2);
		assertThat(result.err().lines().toList()).singleElement()
			.satisfies((line) -> assertThat(line).startsWith("watcher-link-reconciler: ").contains(variable));
		assertThat(this.watcher.allRequests()).isEmpty();
		assertThat(count(this.database.jdbc(), "SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?",
				JOB_SCHEMA))
			.isZero();
		// and no part of the value appears anywhere
		List<String> everything = new ArrayList<>(List.of(result.out(), result.err(), output.getAll()));
		try (Stream<Path> files = Files.walk(this.reportDir)) {
			for (Path file : files.filter(Files::isRegularFile).toList()) {
				everything.add(Files.readString(file));
			}
		}
		for (String text : everything) {
			for (String secret : secrets) {
				assertThat(text).doesNotContain(secret);
			}
		}
	}

	private Result reconcile(String apiKey, String... options) {
		List<String> args = new ArrayList<>(List.of("reconcile"));
		args.addAll(List.of(this.database.springArgs()));
		args.add("--watcher-base-url=" + this.watcher.baseUrl());
		args.add("--reconciler.watcher.api-key=" + apiKey);
		args.add("--report-dir=" + this.reportDir);
		args.add("--initial-backoff=5ms");
		args.add("--max-backoff=20ms");
		args.add("--read-timeout=10s");
		args.addAll(List.of(options));
		return ReconcilerRun.run(args.toArray(String[]::new));
	}

	private WireMockServer elsewhereAnsweringGone() {
		WireMockServer elsewhere = new WireMockServer(wireMockConfig().dynamicPort().gzipDisabled(true));
		elsewhere.start();
		this.otherServers.add(elsewhere);
		elsewhere.stubFor(any(anyUrl()).willReturn(jsonResponse(404, WatcherBodies.WATCHED_ITEM_NOT_FOUND)));
		return elsewhere;
	}

	private static ResponseDefinitionBuilder redirect(int status, String location) {
		return aResponse().withStatus(status).withHeader("Location", location);
	}

	/**
	 * Watcher's answers: health, the key checked, item 1 live, every other valid id gone.
	 */
	private static void stubWatcher(WireMockServer server) {
		server.stubFor(get(urlPathEqualTo("/health")).willReturn(jsonResponse(200, WatcherBodies.HEALTH_OK)));
		server.stubFor(any(urlPathMatching("/api/.*")).atPriority(9)
			.willReturn(jsonResponse(401, WatcherBodies.INVALID_API_KEY)));
		server
			.stubFor(get(urlPathMatching(FakeWatcher.WATCHED_ITEMS_PATH + "/" + Ulids.PATTERN.pattern())).atPriority(8)
				.withHeader(FakeWatcher.API_KEY_HEADER, equalTo(SECRET_KEY))
				.willReturn(jsonResponse(404, WatcherBodies.WATCHED_ITEM_NOT_FOUND)));
		server.stubFor(get(urlPathEqualTo(FakeWatcher.itemPath(Ulids.watchedItem(1)))).atPriority(5)
			.withHeader(FakeWatcher.API_KEY_HEADER, equalTo(SECRET_KEY))
			.willReturn(jsonResponse(200, WatcherBodies.live(Ulids.watchedItem(1), Ulids.infoItem(1)))));
	}

	private static ResponseDefinitionBuilder jsonResponse(int status, String body) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
	}

	/**
	 * A key pair and self-signed certificate for {@code localhost} (keytool: the JDK has
	 * no public API to make one), and a trust store holding only that certificate.
	 */
	private static void createCertificate(Path keyStore, Path trustStore) throws Exception {
		Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
		Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "watcher", "-keyalg", "EC",
				"-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
				"-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass",
				STORE_PASSWORD, "-keypass", STORE_PASSWORD)
			.redirectErrorStream(true)
			.start();
		String keytoolOutput = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(keytoolOutput).isTrue();
		assertThat(process.exitValue()).as(keytoolOutput).isZero();
		KeyStore keys = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(keyStore)) {
			keys.load(in, STORE_PASSWORD.toCharArray());
		}
		Certificate certificate = keys.getCertificate("watcher");
		assertThat(certificate).isNotNull();
		KeyStore trust = KeyStore.getInstance("PKCS12");
		trust.load(null, null);
		trust.setCertificateEntry("watcher", certificate);
		try (OutputStream out = Files.newOutputStream(trustStore)) {
			trust.store(out, STORE_PASSWORD.toCharArray());
		}
	}

	/**
	 * {@code reconcile --apply} through {@code main} in a JVM of its own, with
	 * {@code jvmOptions}.
	 */
	private Child runChild(String name, List<String> jvmOptions, String baseUrl) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC", "-Xmx256m"));
		command.addAll(jvmOptions);
		command.add("-cp");
		command.add(applicationClasspath());
		command.add(WatcherReconcilerApplication.class.getName());
		command.add("reconcile");
		command.add("--apply");
		command.addAll(List.of(this.database.springArgs()));
		command.add("--watcher-base-url=" + baseUrl);
		command.add("--reconciler.watcher.api-key=" + SECRET_KEY);
		command.add("--report-dir=" + this.reportDir);
		Path log = this.workDir.resolve(name + ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		if (!process.waitFor(Duration.ofSeconds(90).toMillis(), TimeUnit.MILLISECONDS)) {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			throw new AssertionError("Child JVM " + name + " did not exit within 90 s:\n" + Files.readString(log));
		}
		return new Child(process.exitValue(), Files.readString(log));
	}

	/**
	 * This JVM's classpath without the test classes, whose configuration classes the
	 * application's component scan would otherwise pick up.
	 */
	private static String applicationClasspath() {
		Path testClasses = codeSource(SecurityIntegrationTests.class);
		List<String> entries = new ArrayList<>();
		entries.add(codeSource(WatcherReconcilerApplication.class).toString());
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			Path path = Path.of(entry).toAbsolutePath();
			if (!entry.isBlank() && !path.equals(testClasses) && !entries.contains(path.toString())) {
				entries.add(path.toString());
			}
		}
		return String.join(File.pathSeparator, entries);
	}

	private static Path codeSource(Class<?> type) {
		try {
			return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private JsonNode onlyReport() throws IOException {
		try (var files = Files.list(this.reportDir)) {
			List<Path> reports = files.filter((f) -> f.getFileName().toString().matches("run-\\d+\\.json")).toList();
			assertThat(reports).hasSize(1);
			return this.json.readTree(reports.get(0).toFile());
		}
	}

	private static JsonNode skipped(JsonNode report, String infoItemId) {
		for (JsonNode node : report.get("skipped")) {
			if (infoItemId.equals(node.get("infoItemId").asString())) {
				return node;
			}
		}
		throw new AssertionError("InfoItem " + infoItemId + " is not in the report's skipped list");
	}

	private static long count(JdbcTemplate jdbc, String sql, Object... args) {
		Long count = jdbc.queryForObject(sql, Long.class, args);
		return (count != null) ? count : 0;
	}

	/** What a child JVM returned and printed. */
	private record Child(int exitCode, String output) {
	}

}
