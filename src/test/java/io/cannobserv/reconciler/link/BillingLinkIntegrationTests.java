package io.cannobserv.reconciler.link;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import io.cannobserv.reconciler.support.ChildJvm;
import io.cannobserv.reconciler.support.ChildJvms;
import io.cannobserv.reconciler.support.NeedsTool;
import io.cannobserv.reconciler.support.NeedsTool.Tool;
import io.cannobserv.reconciler.support.PrometheusText.Sample;
import io.cannobserv.reconciler.support.Pushgateway;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.TestDatabase;
import io.cannobserv.reconciler.support.TestPostgres;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped billing link ({@code links/billing-customers.yaml}) run through the whole
 * job by configuration alone: a table of its own ({@code billing.accounts}, a
 * {@code BIGINT} key, no {@code updated_at}, no side effect) and a Stripe-style customers
 * API speaking its real answers, near misses included. Dry run, apply and restore.
 */
class BillingLinkIntegrationTests {

	private static final String LINK = "--link-file=links/billing-customers.yaml";

	private static final String SECRET = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";

	private static final String LIVE = "cus_NffrFeUfNV2Hib";

	private static final String MISSING = "cus_MissingCustomer1";

	private static final String PURGED = "cus_PurgedCustomer01";

	private static final String DELETED = "cus_DeletedCustomer1";

	private static final String OTHER_CODE = "cus_OtherErrorCode01";

	private static final String PROXY = "cus_ProxyAnswered001";

	private static final String NOT_DELETED = "cus_DeletedFalse0001";

	private static final String TRANSIENT = "cus_Unavailable00001";

	@RegisterExtension
	static WireMockExtension api = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().gzipDisabled(true))
		.build();

	@RegisterExtension
	final ChildJvms children = new ChildJvms();

	@TempDir
	Path reports;

	private TestDatabase database;

	private JdbcTemplate billing;

	@BeforeEach
	void billingDatabaseAndCustomersApi() {
		this.database = TestPostgres.newDatabase();
		this.billing = this.database.jdbc();
		this.billing.execute("CREATE SCHEMA billing");
		this.billing.execute("CREATE TABLE billing.accounts (account_id BIGINT PRIMARY KEY, stripe_customer_id TEXT)");
		Map<Long, String> accounts = Map.of(1L, LIVE, 2L, MISSING, 3L, PURGED, 4L, DELETED, 5L, OTHER_CODE, 6L, PROXY,
				7L, NOT_DELETED, 8L, TRANSIENT, 9L, "not-a-customer", 10L, "");
		accounts.forEach((account, customer) -> this.billing.update("INSERT INTO billing.accounts VALUES (?, ?)",
				account, customer.isEmpty() ? null : customer));
		// ids 11 to 120: live, so that a run crosses pages and the keyset orders numbers
		for (long account = 11; account <= 120; account++) {
			String customer = String.format("cus_Live%012d", account);
			this.billing.update("INSERT INTO billing.accounts VALUES (?, ?)", account, customer);
		}
		api.resetAll();
		for (long account = 11; account <= 120; account++) {
			String customer = String.format("cus_Live%012d", account);
			answer(customer, json(200, live(customer)));
		}
		answer(LIVE, json(200, live(LIVE)));
		answer(MISSING, json(404, resourceMissing(MISSING)));
		answer(PURGED, json(404, resourceMissing(PURGED)));
		answer(DELETED, json(200, "{\"id\":\"" + DELETED + "\",\"object\":\"customer\",\"deleted\":true}"));
		answer(OTHER_CODE, json(404, resourceMissing(OTHER_CODE).replace("resource_missing", "parameter_unknown")));
		answer(PROXY,
				aResponse().withStatus(404)
					.withHeader("Content-Type", "text/html")
					.withBody("<html><body><h1>404 Not Found</h1></body></html>"));
		answer(NOT_DELETED, json(200, "{\"id\":\"" + NOT_DELETED + "\",\"object\":\"customer\",\"deleted\":false}"));
		answer(TRANSIENT, json(503, "{\"error\":{\"type\":\"api_error\"}}"));
		// preflight's probe: an id of the link's form no customer has
		answer("cus_00000000000000", json(404, resourceMissing("cus_00000000000000")));
	}

	@Test
	void dryRunClearsNothingAndNamesWhatItWouldClear() {
		// when
		Result result = billingRun("reconcile");

		// then
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		assertThat(pointers()).containsEntry(2L, MISSING).containsEntry(3L, PURGED).containsEntry(4L, DELETED);
		assertThat(result.out()).contains("would clear 3");
		api.verify(anyRequestedFor(anyUrl()).withHeader("X-API-Key", absent()));
		api.verify(anyRequestedFor(anyUrl()).withHeader("Authorization", equalTo("Bearer " + SECRET)));
	}

	@Test
	void applyClearsOnlyTheCustomersTheApiProvesGoneAndRestorePutsThemBack() {
		// when
		Result applied = billingRun("reconcile", "--apply", "--chunk-size=25");

		// then only the three gone answers cleared; every near miss kept
		assertThat(applied.exitCode()).as(applied.out() + applied.err()).isZero();
		Map<Long, String> after = pointers();
		assertThat(after.get(2L)).isNull();
		assertThat(after.get(3L)).isNull();
		assertThat(after.get(4L)).isNull();
		assertThat(after).containsEntry(1L, LIVE)
			.containsEntry(5L, OTHER_CODE)
			.containsEntry(6L, PROXY)
			.containsEntry(7L, NOT_DELETED)
			.containsEntry(8L, TRANSIENT)
			.containsEntry(9L, "not-a-customer")
			.containsEntry(120L, "cus_Live000000000120");
		assertThat(this.billing.queryForList(
				"SELECT info_item_id FROM watcher_link_reconciler.pointer_clear WHERE archiver_table = ? ORDER BY 1",
				String.class, "billing.accounts(account_id,stripe_customer_id)"))
			.containsExactly("2", "3", "4");
		// and its summary speaks of the link's table and API, in the link file's words
		assertThat(applied.out())
			.contains("unconfirmed 404 (2): Kept: a 404 without the customers API's body with /error/code "
					+ "\"resource_missing\" is no proof of deletion. Something between the job and the customers API "
					+ "answers 404")
			.contains("malformed (1): Kept, never sent to the customers API: the pointer is not a customer id. "
					+ "Correct or empty it in billing.")
			.contains("cleared (3): If the customers API was wrong")
			.doesNotContain("Watcher", "WatchedItem", "InfoItem", "Archiver", "ULID");

		// when the run is undone
		long run = this.billing.queryForObject("SELECT max(run_id) FROM watcher_link_reconciler.pointer_clear",
				Long.class);
		Result restored = billingRun("restore", "--run=" + run, "--apply");

		// then every pointer is back
		assertThat(restored.exitCode()).as(restored.out() + restored.err()).isZero();
		assertThat(pointers()).containsEntry(2L, MISSING).containsEntry(3L, PURGED).containsEntry(4L, DELETED);
	}

	@Test
	@NeedsTool(Tool.PUSHGATEWAY)
	void applyPushesItsFiguresToAPushgatewayGroupOfItsOwnTable() {
		try (Pushgateway gateway = Pushgateway.startOrSkip()) {
			// when
			Result applied = billingRun("reconcile", "--apply",
					"--management.prometheus.metrics.export.pushgateway.enabled=true",
					"--management.prometheus.metrics.export.pushgateway.address=" + gateway.address());

			// then the run's figures are in the group of the billing table, not the
			// built-in
			// link's
			assertThat(applied.exitCode()).as(applied.out() + applied.err()).isZero();
			Map<String, String> group = new LinkedHashMap<>();
			group.put("job", "watcher-link-reconciler");
			group.put("command", "reconcile");
			group.put("mode", "apply");
			group.put("partition", "0");
			group.put("partitions", "1");
			group.put("table", "billing.accounts(account_id,stripe_customer_id)");
			List<Sample> samples = gateway.group(group);
			assertThat(value(samples, "reconciler_run_exit_code", null)).isEqualTo(0.0);
			assertThat(value(samples, "reconciler_run_pointers", "read")).isEqualTo(119.0);
			assertThat(value(samples, "reconciler_run_pointers", "gone")).isEqualTo(3.0);
			assertThat(value(samples, "reconciler_run_pointers", "cleared")).isEqualTo(3.0);
			assertThat(value(samples, "reconciler_run_pointers", "notFoundUnconfirmed")).isEqualTo(2.0);
			assertThat(gateway.metrics()).filteredOn((sample) -> sample.name().startsWith("reconciler_run_"))
				.allSatisfy((sample) -> assertThat(sample.labels()).containsEntry("table",
						"billing.accounts(account_id,stripe_customer_id)"));
		}
	}

	private static double value(List<Sample> samples, String name, @Nullable String outcome) {
		return samples.stream()
			.filter((sample) -> sample.name().equals(name))
			.filter((sample) -> outcome == null || outcome.equals(sample.labels().get("outcome")))
			.map(Sample::value)
			.findFirst()
			.orElseThrow(() -> new AssertionError(name + " " + outcome + " not in " + samples));
	}

	@Test
	void reportOfABillingRunSpeaksTheLinksWordsInEveryFormat() {
		// given
		Result applied = billingRun("reconcile", "--apply");
		assertThat(applied.exitCode()).as(applied.out() + applied.err()).isZero();

		// when
		Result html = billingRun("report", "--run=1", "--format=html");
		Result markdown = billingRun("report", "--run=1", "--format=markdown");

		// then
		assertThat(html.exitCode()).as(html.out() + html.err()).isZero();
		assertThat(html.out()).contains("<th>Account</th>", "<th>The customers API's answer</th>")
			.doesNotContain("WatchedItem", "InfoItem", "Archiver", "ULID", "Watcher&#39;s");
		assertThat(markdown.exitCode()).as(markdown.out() + markdown.err()).isZero();
		assertThat(markdown.out()).contains("| Account | Pointer | Verdict | The customers API's answer |")
			.doesNotContain("WatchedItem", "InfoItem", "Archiver", "ULID", "Watcher's");
	}

	@Test
	void applyWhenAnAccountIsReLinkedAfterItsClearRestoreLeavesIt() {
		// given a run that cleared account 2, which billing then linked to a new customer
		assertThat(billingRun("reconcile", "--apply").exitCode()).isZero();
		this.billing.update("UPDATE billing.accounts SET stripe_customer_id = ? WHERE account_id = 2", LIVE);
		long run = this.billing.queryForObject("SELECT max(run_id) FROM watcher_link_reconciler.pointer_clear",
				Long.class);

		// when
		Result restored = billingRun("restore", "--run=" + run, "--apply");

		// then the new link stands; the others are put back
		assertThat(restored.exitCode()).as(restored.out() + restored.err()).isZero();
		assertThat(pointers()).containsEntry(2L, LIVE).containsEntry(3L, PURGED).containsEntry(4L, DELETED);
	}

	@Test
	void pruneKeepsARunRestoreCouldStillUndoUntilItIsUndone() throws InterruptedException {
		// given an applied run whose clears restore could still undo
		assertThat(billingRun("reconcile", "--apply").exitCode()).isZero();
		Thread.sleep(1_100);
		String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();

		// when
		Result kept = billingRun("prune", "--apply", "--older-than=" + now);

		// then its clears stay, for restore
		assertThat(kept.exitCode()).as(kept.out() + kept.err()).isZero();
		assertThat(clears()).isEqualTo(3);

		assertThat(kept.out()).contains("table billing.accounts(account_id,stripe_customer_id)")
			.contains("3 clear(s) or re-link(s) that restore could still put back (restore --run 1)");

		// when the run is undone, nothing is left to put back
		assertThat(billingRun("restore", "--run=1", "--apply").exitCode()).isZero();
		Result after = billingRun("prune", "--older-than=" + now);
		assertThat(after.exitCode()).as(after.out() + after.err()).isZero();
		assertThat(after.out()).contains("run 1 (apply").doesNotContain("restore could still put back");
	}

	@Test
	void applyWhenKilledMidRunResumesAndClearsEachGoneCustomerOnce() throws Exception {
		// given an API slow enough, one request at a time, that a kill lands mid-run
		api.setGlobalFixedDelay(40);
		ChildJvm killed = this.children.start("billing-sigkill", billingArgs("reconcile", "--apply", "--chunk-size=10",
				"--concurrency=1", "--fixed-concurrency", "--max-requests-per-second=1000"));
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (customerLookups() < 40 && killed.isAlive() && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(killed.isAlive()).as(killed.tail(20)).isTrue();

		// when it is killed, then run again
		killed.kill9();
		api.setGlobalFixedDelay(0);
		Result resumed = billingRun("reconcile", "--apply", "--chunk-size=10");

		// then the next run resumed it and every gone customer was cleared exactly once
		assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
		assertThat(this.billing.queryForList(
				"SELECT info_item_id FROM watcher_link_reconciler.pointer_clear" + " ORDER BY info_item_id",
				String.class))
			.containsExactly("2", "3", "4");
		assertThat(this.billing.queryForObject("SELECT count(*) FROM watcher_link_reconciler.batch_job_execution",
				Integer.class))
			.as("the second run resumed the first: two executions of one run")
			.isEqualTo(2);
		assertThat(pointers()).containsEntry(1L, LIVE).containsEntry(120L, "cus_Live000000000120");
	}

	@Test
	void applyWhenTheApiSaysMostCustomersAreGoneTripsTheBrakeAndClearsNothing() {
		// given an API that answers resource_missing for every customer: a wiped test
		// account
		api.stubFor(get(urlPathMatching("/v1/customers/cus_Live.*")).atPriority(1)
			.willReturn(json(404, resourceMissing("cus_Live000000000011"))));

		// when
		Result result = billingRun("reconcile", "--apply");

		// then the brake halts the run before its chunk is written
		assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(3);
		assertThat(result.out()).contains("HALTED", "once the pointers above are really gone in the customers API");
		assertThat(pointers()).containsEntry(2L, MISSING).containsEntry(11L, "cus_Live000000000011");
		assertThat(this.billing.queryForObject("SELECT count(*) FROM watcher_link_reconciler.pointer_clear",
				Integer.class))
			.isZero();
	}

	@Test
	void reconcileWhenTheLinkFileIsMissingRefusesInOneLineNamingIt() {
		// when
		List<String> args = billingArgs("reconcile");
		args.replaceAll((arg) -> arg.equals(LINK) ? "--link-file=links/nothing.yaml" : arg);
		Result result = ReconcilerRun.run(args.toArray(String[]::new));

		// then
		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.err())
			.isEqualTo("watcher-link-reconciler: cannot start: --link-file=links/nothing.yaml cannot"
					+ " be read (NoSuchFileException links/nothing.yaml): give the path of a link file, see"
					+ " docs/reference/link-file.md\n");
		api.verify(0, anyRequestedFor(anyUrl()));
	}

	@Test
	void reconcileWhenTheLinkFileIsWrongRefusesInOneLineNamingTheKey() throws IOException {
		// given
		Path file = this.reports.resolve("broken.yaml");
		Files.writeString(file, Files.readString(Path.of("links/billing-customers.yaml"))
			.replace("pointer: stripe_customer_id", "pointer: Stripe"));

		// when
		List<String> args = billingArgs("reconcile");
		args.replaceAll((arg) -> arg.equals(LINK) ? "--link-file=" + file : arg);
		Result result = ReconcilerRun.run(args.toArray(String[]::new));

		// then
		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.err()).isEqualTo("watcher-link-reconciler: cannot start: --link-file=" + file
				+ ": link.source.pointer: 'Stripe' is not a plain lower-case PostgreSQL identifier (letters, digits,"
				+ " underscores)\n");
	}

	@Test
	void reconcileWithTheSnapshotStrategyIsRefusedForALinkWithoutAList() {
		// when
		Result result = billingRun("reconcile", "--strategy=snapshot");

		// then
		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.err()).contains("--strategy=snapshot")
			.contains("billing-customers")
			.doesNotContain("Exception")
			.doesNotContain("\tat ");
	}

	@Test
	void reconcileWithRelinkIsRefusedForALinkWithoutABackLinkSearch() {
		// when
		Result result = billingRun("reconcile", "--relink");

		// then
		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.err()).contains("--relink").contains("the customers API").doesNotContain("\tat ");
	}

	@Test
	void reconcileWhenTheApiRejectsTheKeyIsRefusedInTheLinksWords() {
		// given an API that refuses the secret key
		api.stubFor(get(urlPathMatching("/v1/customers/.*")).atPriority(1)
			.willReturn(json(401, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Invalid API Key\"}}")));

		// when
		Result result = billingRun("reconcile", "--apply");

		// then
		assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(2);
		assertThat(result.err()).contains("The customers API at " + api.baseUrl() + " rejected the API key (HTTP 401 ")
			.contains("set WATCHER_API_KEY to a key the customers API accepts")
			.doesNotContain("Watcher at", "\tat ");
		assertThat(pointers()).containsEntry(2L, MISSING).containsEntry(4L, DELETED);
	}

	@Test
	void reconcileWhenAProxyAnswersTheProbeIsRefusedInTheLinksWords() {
		// given a proxy in front of the API that answers 404 for any path
		answer("cus_00000000000000",
				aResponse().withStatus(404)
					.withHeader("Content-Type", "text/html")
					.withBody("<html><body><h1>404 Not Found</h1></body></html>"));

		// when
		Result result = billingRun("reconcile", "--apply");

		// then
		assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(2);
		assertThat(result.err())
			.contains("The customers API at " + api.baseUrl()
					+ " did not answer an unknown id with one of its gone answers (got HTTP 404 ")
			.contains("check WATCHER_BASE_URL and any proxy in front of the customers API")
			.doesNotContain("Watcher at", "\tat ");
		assertThat(pointers()).containsEntry(2L, MISSING).containsEntry(4L, DELETED);
	}

	private Result billingRun(String command, String... options) {
		return ReconcilerRun.run(billingArgs(command, options).toArray(String[]::new));
	}

	private List<String> billingArgs(String command, String... options) {
		List<String> args = new ArrayList<>(List.of(command, LINK));
		args.addAll(List.of(this.database.springArgs()));
		args.add("--watcher-base-url=" + api.baseUrl());
		args.add("--reconciler.watcher.api-key=" + SECRET);
		args.add("--report-dir=" + this.reports);
		args.add("--initial-backoff=5ms");
		args.add("--max-backoff=20ms");
		args.addAll(List.of(options));
		return args;
	}

	private int clears() {
		return this.billing.queryForObject("SELECT count(*) FROM watcher_link_reconciler.pointer_clear", Integer.class);
	}

	private static int customerLookups() {
		return api.countRequestsMatching(getRequestedFor(urlPathMatching("/v1/customers/.*")).build()).getCount();
	}

	private Map<Long, String> pointers() {
		Map<Long, String> pointers = new HashMap<>();
		this.billing.query("SELECT account_id, stripe_customer_id FROM billing.accounts",
				(RowCallbackHandler) (rs) -> pointers.put(rs.getLong(1), rs.getString(2)));
		return pointers;
	}

	private static void answer(String customer, ResponseDefinitionBuilder answer) {
		api.stubFor(get(urlPathEqualTo("/v1/customers/" + customer)).willReturn(answer));
	}

	private static String live(String customer) {
		return "{\"id\":\"" + customer + "\",\"object\":\"customer\",\"balance\":0,\"created\":1680893993,"
				+ "\"email\":\"jennyrosen@example.com\",\"livemode\":false,\"metadata\":{},\"name\":\"Jenny Rosen\"}";
	}

	private static String resourceMissing(String customer) {
		return "{\"error\":{\"code\":\"resource_missing\","
				+ "\"doc_url\":\"https://stripe.com/docs/error-codes/resource-missing\",\"message\":\"No such customer: '"
				+ customer + "'\",\"param\":\"id\",\"type\":\"invalid_request_error\"}}";
	}

	private static ResponseDefinitionBuilder json(int status, String body) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
	}

}
