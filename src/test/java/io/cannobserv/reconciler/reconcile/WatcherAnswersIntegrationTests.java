package io.cannobserv.reconciler.reconcile;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.RowCallbackHandler;

import io.cannobserv.reconciler.support.ArchiverTestBed;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RequestRate;
import io.cannobserv.reconciler.support.Ulids;
import io.cannobserv.reconciler.support.WatcherBodies;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.cannobserv.reconciler.support.AnswerBytes.binary;
import static io.cannobserv.reconciler.support.AnswerBytes.gzip;
import static io.cannobserv.reconciler.support.AnswerBytes.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever Watcher, or a proxy in front of it, answers, the run goes on: every pointer
 * gets a verdict, and the evidence it stores, logs and prints is safe text.
 */
@ExtendWith(OutputCaptureExtension.class)
class WatcherAnswersIntegrationTests {

	private static final String JOB_SCHEMA = "watcher_link_reconciler";

	private final JsonMapper json = JsonMapper.builder().build();

	@RegisterExtension
	final ArchiverTestBed bed = new ArchiverTestBed();

	@TempDir
	Path reportDir;

	@Test
	void reconcileWhenAnswersHoldAnyBytesCompletesAndKeepsTheirEvidenceAsSafeText(CapturedOutput output)
			throws Exception {
		// given a pointer for each kind of answer that cannot be stored as it is, and a
		// gone and a live pointer after them
		String typed = WatcherBodies.WATCHED_ITEM_NOT_FOUND;
		Map<String, ResponseDefinitionBuilder> answers = new LinkedHashMap<>();
		answers.put("404 in UTF-16", answer(404, "application/json", typed.getBytes(StandardCharsets.UTF_16LE)));
		answers.put("404 compressed, served raw",
				answer(404, "application/json", gzip(typed)).withHeader("Content-Encoding", "gzip"));
		answers.put("404 with terminal escapes", answer(404, "text/plain", utf8("\u001b[31mgone\u001b[0m\u0000")));
		answers.put("404 invalid UTF-8", answer(404, "text/html", new byte[] { '<', (byte) 0xC3, '(', (byte) 0xFF }));
		answers.put("404 larger than the body limit", answer(404, "text/plain", binary((1 << 20) + 10)));
		answers.put("503 binary", answer(503, "text/html", binary(2048)));
		answers.put("200 binary", answer(200, "application/json", binary(1024)));
		answers.put("200 linking back to an id with a NUL",
				answer(200, "application/json", utf8(WatcherBodies.live(Ulids.watchedItem(8), Ulids.infoItem(8))
					.replace("\"" + Ulids.infoItem(8) + "\"", "\"" + Ulids.infoItem(8) + "\\u0000\\u001b\""))));
		List<String> hostile = new ArrayList<>();
		int n = 0;
		for (ResponseDefinitionBuilder answer : answers.values()) {
			n++;
			this.bed.archiver().insertItem(Ulids.infoItem(n), Ulids.watchedItem(n));
			this.bed.watcher()
				.server()
				.stubFor(get(urlPathEqualTo(FakeWatcher.itemPath(Ulids.watchedItem(n)))).atPriority(1)
					.willReturn(answer));
			hostile.add(Ulids.infoItem(n));
		}
		String gone = Ulids.infoItem(20);
		String live = Ulids.infoItem(21);
		this.bed.archiver().insertItem(gone, Ulids.watchedItem(20));
		this.bed.archiver().insertItem(live, Ulids.watchedItem(21));
		this.bed.watcher().deleted(Ulids.watchedItem(20));
		this.bed.watcher().live(Ulids.watchedItem(21), live);

		// when
		Result result = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.reportDir, "--apply",
				"--chunk-size=4");

		// then the run completed, and every pointer has its verdict
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		JsonNode report = onlyReport();
		JsonNode counts = report.get("counts");
		assertThat(counts.get("read").asLong()).isEqualTo(hostile.size() + 2);
		// the compressed 404 is no evidence (the job asks for no Content-Encoding):
		// transient
		assertThat(counts.get("notFoundUnconfirmed").asLong()).isEqualTo(3);
		assertThat(counts.get("transient").asLong()).isEqualTo(4);
		assertThat(counts.get("mismatched").asLong()).isEqualTo(1);
		assertThat(counts.get("cleared").asLong()).isEqualTo(1);
		assertThat(counts.get("live").asLong()).isEqualTo(1);
		assertThat(this.bed.archiver().pointerOf(gone)).isNull();
		for (String id : hostile) {
			assertThat(this.bed.archiver().pointerOf(id)).as(id).isNotNull();
		}
		// the evidence is stored, escaped, and the report says the same
		Map<String, String> stored = new LinkedHashMap<>();
		this.bed.database()
			.jdbc()
			.query("SELECT info_item_id, evidence FROM " + JOB_SCHEMA + ".pointer_finding",
					(RowCallbackHandler) (row) -> stored.put(row.getString(1), row.getString(2)));
		assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(hostile);
		stored.values().forEach(WatcherAnswersIntegrationTests::assertSafeText);
		assertThat(stored.get(Ulids.infoItem(1))).startsWith("HTTP 404 {\\u0000\"\\u0000d\\u0000");
		assertThat(stored.get(Ulids.infoItem(3))).isEqualTo("HTTP 404 \\u001b[31mgone\\u001b[0m\\u0000");
		assertThat(stored.get(Ulids.infoItem(8))).endsWith(Ulids.infoItem(8) + "\\u0000\\u001b");
		for (JsonNode skipped : report.get("skipped")) {
			assertThat(skipped.get("reason").asString()).isEqualTo(stored.get(skipped.get("infoItemId").asString()));
		}
		// and whatever shows it, shows it escaped
		assertThat(result.out()).contains("\\u001b[31mgone\\u001b[0m\\u0000");
		assertSafeOutput(result.out() + result.err());
		assertSafeOutput(output.getAll());
		long runId = report.get("runId").asLong();
		for (String format : List.of("text", "json", "markdown", "html")) {
			Result shown = ReconcilerRun.run(
					Stream
						.concat(Stream.of("report", "--run", String.valueOf(runId), "--format", format),
								Stream.of(this.bed.database().springArgs()))
						.toArray(String[]::new));
			assertThat(shown.exitCode()).as(format + ": " + shown.err()).isZero();
			// Markdown writes [ as \[
			assertThat(shown.out()).as(format).contains("u001b").contains("31mgone").doesNotContain("\u0000");
			assertSafeOutput(shown.out());
		}
	}

	@Test
	void reconcileWhenAnswersTrickleInPastTheDeadlineReportsThemTransientAndGoesOn() throws Exception {
		// given two pointers whose answers come in 40 pieces over 20 s, each gap (500 ms)
		// under the read timeout, beside live and gone ones
		for (int i = 1; i <= 2; i++) {
			this.bed.archiver().insertItem(Ulids.infoItem(i), Ulids.watchedItem(i));
			this.bed.watcher()
				.server()
				.stubFor(get(urlPathEqualTo(FakeWatcher.itemPath(Ulids.watchedItem(i)))).atPriority(1)
					.willReturn(answer(200, "application/json",
							utf8(WatcherBodies.live(Ulids.watchedItem(i), Ulids.infoItem(i))))
						.withChunkedDribbleDelay(40, 20_000)));
		}
		for (int i = 3; i <= 6; i++) {
			this.bed.archiver().insertItem(Ulids.infoItem(i), Ulids.watchedItem(i));
			this.bed.watcher().live(Ulids.watchedItem(i), Ulids.infoItem(i));
		}
		this.bed.archiver().insertItem(Ulids.infoItem(7), Ulids.watchedItem(7));
		this.bed.watcher().deleted(Ulids.watchedItem(7));

		// when
		long start = System.nanoTime();
		Result result = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.reportDir, "--apply",
				"--chunk-size=4", "--read-timeout=2s", "--request-timeout=1s", "--max-attempts=2");
		Duration took = Duration.ofNanos(System.nanoTime() - start);

		// then the trickles were given up, the rest of the run went on
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		JsonNode report = onlyReport();
		JsonNode counts = report.get("counts");
		assertThat(counts.get("read").asLong()).isEqualTo(7);
		assertThat(counts.get("transient").asLong()).isEqualTo(2);
		assertThat(counts.get("live").asLong()).isEqualTo(4);
		assertThat(counts.get("cleared").asLong()).isEqualTo(1);
		assertThat(this.bed.archiver().pointerOf(Ulids.infoItem(1))).isEqualTo(Ulids.watchedItem(1));
		assertThat(report.get("skipped").findValuesAsString("reason")).hasSize(2)
			.allSatisfy((reason) -> assertThat(reason)
				.isEqualTo("SocketTimeoutException: no complete answer within 1s (--request-timeout) (1 attempt); "
						+ "still transient after recheck round 2 of 2"));
		assertThat(took).isLessThan(Duration.ofSeconds(15));
	}

	@Test
	void reconcileWhenWatcherAsksToSlowDownHoldsEveryRequestForIt() throws Exception {
		// given twelve pointers, asked two at a time; a proxy throttles the third once
		for (int i = 1; i <= 12; i++) {
			this.bed.archiver().insertItem(Ulids.infoItem(i), Ulids.watchedItem(i));
			this.bed.watcher().live(Ulids.watchedItem(i), Ulids.infoItem(i));
		}
		this.bed.watcher()
			.firstThen(Ulids.watchedItem(3),
					aResponse().withStatus(429).withHeader("Retry-After", "2").withBody("Too Many Requests"),
					answer(200, "application/json", utf8(WatcherBodies.live(Ulids.watchedItem(3), Ulids.infoItem(3)))));

		// when
		Result result = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.reportDir,
				"--chunk-size=12", "--concurrency=2", "--max-requests-per-second=0", "--max-retry-after=10s");

		// then the run completed, the throttled pointer asked again in the recheck
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		JsonNode counts = onlyReport().get("counts");
		assertThat(counts.get("live").asLong()).isEqualTo(12);
		assertThat(counts.get("transient").asLong()).isZero();
		// and no request but the one already in flight was sent during the two seconds
		long throttledAt = RequestRate.arrivals(this.bed.watcher().requestsFor(Ulids.watchedItem(3))).get(0);
		List<Long> during = RequestRate.arrivals(this.bed.watcher().itemRequests())
			.stream()
			.filter((at) -> at > throttledAt + 100 && at < throttledAt + 1900)
			.toList();
		assertThat(during).isEmpty();
	}

	@Test
	void reconcileWhenRecheckThreadsQueueForTheConcurrencyLimitKeepsTheRateCap() throws Exception {
		// given 40 pointers that fail once, so that the recheck asks about all of them at
		// once, 2 in flight at a time; the first answers of the recheck are slow, so that
		// its threads queue
		int cap = 10;
		for (int i = 1; i <= 40; i++) {
			this.bed.archiver().insertItem(Ulids.infoItem(i), Ulids.watchedItem(i));
			this.bed.watcher()
				.firstThen(Ulids.watchedItem(i), aResponse().withStatus(503).withBody("Service Unavailable"),
						answer(200, "application/json",
								utf8(WatcherBodies.live(Ulids.watchedItem(i), Ulids.infoItem(i))))
							.withFixedDelay((i <= 6) ? 1500 : 0));
		}

		// when
		Result result = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.reportDir,
				"--chunk-size=40", "--concurrency=2", "--max-requests-per-second=" + cap, "--max-attempts=2");

		// then every pointer was rechecked, and no second at Watcher saw more than the
		// cap (two more: the fake Watcher's threads log an arrival late on a loaded
		// machine; before the recheck's threads were paced, 33 arrived in one second)
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		assertThat(onlyReport().get("counts").get("live").asLong()).isEqualTo(40);
		List<LoggedRequest> lookups = this.bed.watcher()
			.itemRequests()
			.stream()
			.filter((request) -> request.getUrl().contains(Ulids.WATCHED_ITEM_PREFIX))
			.toList();
		assertThat(lookups).hasSize(80);
		assertThat(RequestRate.mostInAnySecond(lookups)).isLessThanOrEqualTo(cap + 2);
	}

	/**
	 * Text with nothing a terminal, a log shipper or PostgreSQL would take for more than
	 * a character: no control, format or separator characters but line breaks and tabs.
	 */
	static void assertSafeOutput(String text) {
		assertThat(text.codePoints().filter((c) -> c != '\n' && c != '\r' && c != '\t' && !isSafe(c)))
			.as("unsafe characters in:\n%s", text)
			.isEmpty();
	}

	static void assertSafeText(String evidence) {
		assertThat(evidence.length()).as(evidence).isLessThanOrEqualTo(500);
		assertThat(evidence.codePoints().filter((c) -> !isSafe(c))).as(evidence).isEmpty();
	}

	private static boolean isSafe(int codePoint) {
		int type = Character.getType(codePoint);
		return type != Character.CONTROL && type != Character.FORMAT && type != Character.LINE_SEPARATOR
				&& type != Character.PARAGRAPH_SEPARATOR && type != Character.SURROGATE;
	}

	private JsonNode onlyReport() throws Exception {
		try (Stream<Path> files = Files.list(this.reportDir)) {
			List<Path> reports = files.filter((f) -> f.getFileName().toString().matches("run-\\d+\\.json")).toList();
			assertThat(reports).hasSize(1);
			return this.json.readTree(reports.get(0).toFile());
		}
	}

	private static ResponseDefinitionBuilder answer(int status, String contentType, byte[] body) {
		return aResponse().withStatus(status).withHeader("Content-Type", contentType).withBody(body);
	}

}
