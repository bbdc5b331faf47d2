package io.cannobserv.reconciler.reconcile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.cannobserv.reconciler.support.ArchiverTestBed;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.RawHttpServer;
import io.cannobserv.reconciler.support.RawHttpServer.RawAnswer;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.RegistryFixture.PointerClass;
import io.cannobserv.reconciler.support.ReportFiles;
import io.cannobserv.reconciler.support.Ulids;
import io.cannobserv.reconciler.support.WatcherBodies;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.cannobserv.reconciler.support.RawHttpServer.RawAnswer.bytesThenClose;
import static io.cannobserv.reconciler.support.RawHttpServer.RawAnswer.head;
import static io.cannobserv.reconciler.support.RawHttpServer.RawAnswer.padding;
import static io.cannobserv.reconciler.support.RawHttpServer.RawAnswer.trickle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Whole runs meet answers that did not arrive whole, and lists that never end, among
 * Watcher's real answers (a raw socket server in front of the fake Watcher): a typed 404
 * cut short keeps its pointer and is reported transient, and a snapshot past its timeout
 * is given up at it, the run looking up every pointer by id and saying so.
 */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(180)
class AnswerFramingIntegrationTests {

	private static final String JOB_SCHEMA = "watcher_link_reconciler";

	private static final String TYPED = "{\"detail\":\"WatchedItem not found\"}";

	private static final String JSON = "Content-Type: application/json";

	private static final String SNAPSHOT_TARGET = FakeWatcher.WATCHED_ITEMS_PATH + "?include_archived=true";

	@RegisterExtension
	final ArchiverTestBed bed = new ArchiverTestBed();

	@TempDir
	Path reportDir;

	private RawHttpServer front;

	private final WireMockServer pushgateway = new WireMockServer(wireMockConfig().dynamicPort());

	@BeforeEach
	void setUp() {
		this.front = new RawHttpServer(this.bed.watcher().baseUrl());
		this.pushgateway.start();
		this.pushgateway.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
	}

	@AfterEach
	void tearDown() {
		this.front.close();
		this.pushgateway.stop();
	}

	@Test
	void reconcileWhenTypedNotFoundIsCutShortKeepsThePointerAndReportsItTransient(CapturedOutput output)
			throws Exception {
		// given a pointer whose WatchedItem's answer declares 40 bytes and closes after
		// Watcher's exact 34, beside a gone and a live pointer
		String cut = Ulids.infoItem(1);
		this.bed.archiver().insertItem(cut, Ulids.watchedItem(1));
		this.front.answer(FakeWatcher.itemPath(Ulids.watchedItem(1)),
				bytesThenClose(head(404, JSON, "Content-Length: 40") + TYPED));
		String gone = Ulids.infoItem(2);
		this.bed.archiver().insertItem(gone, Ulids.watchedItem(2));
		this.bed.watcher().deleted(Ulids.watchedItem(2));
		String live = Ulids.infoItem(3);
		this.bed.archiver().insertItem(live, Ulids.watchedItem(3));
		this.bed.watcher().live(Ulids.watchedItem(3), live);

		// when
		Result result = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.front.baseUrl(),
				this.reportDir, "--apply", "--max-attempts=2");

		// then the pointer is kept, transient, and nothing says it was cleared
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		assertThat(this.bed.archiver().pointerOf(cut)).isEqualTo(Ulids.watchedItem(1));
		assertThat(this.bed.archiver().pointerOf(gone)).isNull();
		String evidence = "HTTP 404 answer cut short: 34 of 40 bytes (Content-Length); what arrived: " + TYPED;
		JsonNode report = ReportFiles.only(this.reportDir);
		JsonNode counts = report.get("counts");
		assertThat(counts.get("read").asLong()).isEqualTo(3);
		assertThat(counts.get("transient").asLong()).isEqualTo(1);
		assertThat(counts.get("gone").asLong()).isEqualTo(1);
		assertThat(counts.get("cleared").asLong()).isEqualTo(1);
		assertThat(counts.get("live").asLong()).isEqualTo(1);
		assertThat(report.get("skipped")).hasSize(1);
		assertThat(report.get("skipped").get(0).get("infoItemId").asString()).isEqualTo(cut);
		assertThat(report.get("skipped").get(0).get("reason").asString()).startsWith(evidence);
		List<String> audited = this.bed.database()
			.jdbc()
			.queryForList("SELECT info_item_id FROM " + JOB_SCHEMA + ".pointer_clear", String.class);
		assertThat(audited).containsExactly(gone);
		assertThat(this.bed.database()
			.jdbc()
			.queryForObject("SELECT evidence FROM " + JOB_SCHEMA + ".pointer_finding WHERE info_item_id = ?",
					String.class, cut))
			.startsWith(evidence);
		assertThat(output.getAll()).contains("answer cut short: 34 of 40 bytes (Content-Length)");
		// asked again before it was given up
		assertThat(this.front.requests(FakeWatcher.itemPath(Ulids.watchedItem(1))).size()).isGreaterThanOrEqualTo(2);
	}

	static Stream<Arguments> endlessLists() {
		String list = "[" + WatcherBodies.live(Ulids.watchedItem(90), null) + "]";
		return Stream.of(
				arguments("a byte every 50 ms",
						trickle(head(200, JSON, "Content-Length: " + list.length()), list, 1, Duration.ofMillis(50))),
				arguments("white space every 100 ms, forever", padding(head(200, JSON, "Transfer-Encoding: chunked"),
						"[", Duration.ofMillis(100), Duration.ofSeconds(120))));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("endlessLists")
	void reconcileWhenSnapshotNeverEndsGivesItUpAtItsTimeoutAndLooksUpEveryPointer(String label, RawAnswer list,
			CapturedOutput output) throws Exception {
		// given
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().live(6).gone(2));
		this.front.answer(SNAPSHOT_TARGET, list);

		// when
		Result result = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.front.baseUrl(),
				this.reportDir, "--apply", "--strategy=snapshot", "--snapshot-timeout=2s",
				"--management.prometheus.metrics.export.pushgateway.enabled=true",
				"--management.prometheus.metrics.export.pushgateway.address=localhost:" + this.pushgateway.port(),
				"--management.prometheus.metrics.export.pushgateway.format=text");

		// then given up within a second or two of its timeout, and said so
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		String reason = "not taken within 2s (--snapshot-timeout), after 0 WatchedItems";
		JsonNode report = ReportFiles.only(this.reportDir);
		JsonNode snapshot = report.get("snapshot");
		assertThat(snapshot.get("used").asBoolean()).isFalse();
		assertThat(snapshot.get("reason").asString()).isEqualTo(reason);
		assertThat(snapshot.get("millis").asLong()).isBetween(2000L, 4000L);
		assertThat(snapshot.get("requests").asInt()).isEqualTo(1);
		assertThat(result.out()).contains("strategy snapshot, NOT USED (").contains(reason);
		assertThat(output.getAll())
			.contains("Snapshot of Watcher's list not used: " + reason + "; every pointer is looked up by id");
		String markdown = ReconcilerRun
			.run(Stream.concat(Stream.of("report", "--run", report.get("runId").asString(), "--format", "markdown"),
					Stream.of(this.bed.database().springArgs()))
				.toArray(String[]::new))
			.out();
		assertThat(markdown).contains("**Snapshot not used:** ").contains(reason);
		List<LoggedRequest> pushes = this.pushgateway.findAll(anyRequestedFor(anyUrl()));
		assertThat(pushes.get(pushes.size() - 1).getBodyAsString())
			.contains("reconciler_run_snapshot_fallback{command=\"reconcile\",mode=\"apply\",partition=\"0\","
					+ "partitions=\"1\",table=\"information.info_items(info_item_id,watcher_item_id)\"} 1.0");
		// and every pointer was looked up by id, as with the per-item strategy
		assertThat(report.get("counts").get("fromSnapshot").asLong()).isZero();
		assertThat(report.get("counts").get("live").asLong()).isEqualTo(6);
		assertThat(report.get("counts").get("cleared").asLong()).isEqualTo(2);
		for (String id : registry.ids(PointerClass.GONE)) {
			assertThat(this.bed.archiver().pointerOf(id)).isNull();
		}
	}

}
