package io.cannobserv.reconciler.reconcile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cannobserv.reconciler.support.ArchiverTestBed;
import io.cannobserv.reconciler.support.ChildJvm;
import io.cannobserv.reconciler.support.ChildJvms;
import io.cannobserv.reconciler.support.Ulids;
import io.cannobserv.reconciler.support.WatcherBodies;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Watcher that trickles its answers cannot hold a run, nor the stop of one: in a real
 * process, SIGTERM ends the run within the request deadline, in the first pass or in the
 * recheck, and the next run picks up every pointer.
 */
class WatcherDeadlineFunctionalTests {

	private static final int POINTERS = 40;

	/** A JVM start plus a run of a few seconds, with room for a slow machine. */
	private static final Duration RUN_BOUND = Duration.ofSeconds(90);

	/**
	 * SIGTERM's wait: the requests in flight up to their deadline, then the chunk's
	 * commit, the report and the exit, with room for a slow machine.
	 */
	private static final Duration SIGTERM_BOUND = Duration.ofSeconds(25);

	private final JsonMapper json = JsonMapper.builder().build();

	@RegisterExtension
	final ArchiverTestBed bed = new ArchiverTestBed();

	@RegisterExtension
	final ChildJvms children = new ChildJvms();

	@TempDir
	Path reportDir;

	@Test
	void reconcileWhenSigtermWhileAnswersDripStopsWithinTheDeadlineThenTheNextRunChecksEveryPointer() throws Exception {
		// given pointers whose answers trickle in for a minute, each gap far under the
		// read timeout
		for (int i = 1; i <= POINTERS; i++) {
			this.bed.archiver().insertItem(Ulids.infoItem(i), Ulids.watchedItem(i));
			this.bed.watcher().answer(Ulids.watchedItem(i), trickle(i));
		}
		ChildJvm stopped = launch("drip-sigterm");
		awaitLookups(stopped, 0);

		// when, then the run stops, resumable, without waiting for the trickle
		JsonNode stoppedReport = stopWithSigterm(stopped);

		// and the next run, once Watcher answers again, checks every pointer, none
		// skipped,
		// none cleared
		resumeWithEveryItemLive("drip-resume", POINTERS, stoppedReport);
		for (int i = 1; i <= POINTERS; i++) {
			assertThat(this.bed.archiver().pointerOf(Ulids.infoItem(i))).isEqualTo(Ulids.watchedItem(i));
		}
	}

	@Test
	void reconcileWhenSigtermWhileRecheckAnswersDripStopsWithinTheDeadlineThenTheNextRunRechecksEveryPointer()
			throws Exception {
		// given pointers that fail once, then whose answers trickle in for a minute: the
		// recheck's patient lookups meet the trickle
		int pointers = 20;
		for (int i = 1; i <= pointers; i++) {
			this.bed.archiver().insertItem(Ulids.infoItem(i), Ulids.watchedItem(i));
			this.bed.watcher()
				.firstThen(Ulids.watchedItem(i), aResponse().withStatus(503).withBody("Service Unavailable"),
						trickle(i));
		}
		ChildJvm stopped = launch("recheck-drip-sigterm");
		awaitLookups(stopped, pointers);

		// when, then the run stops during its recheck without waiting for the trickle
		JsonNode stoppedReport = stopWithSigterm(stopped);
		assertThat(stoppedReport.get("counts").get("read").asLong()).isEqualTo(pointers);

		// and the next run asks again every pointer the stop left unasked
		resumeWithEveryItemLive("recheck-drip-resume", pointers, stoppedReport);
	}

	/** The WatchedItem, in 120 pieces over a minute. */
	private static ResponseDefinitionBuilder trickle(int n) {
		return aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withBody(WatcherBodies.live(Ulids.watchedItem(n), Ulids.infoItem(n)))
			.withChunkedDribbleDelay(120, 60_000);
	}

	/** SIGTERM: the process exits 1 within the bound, and its run is STOPPED. */
	private JsonNode stopWithSigterm(ChildJvm child) throws Exception {
		Thread.sleep(500);
		long signalled = System.nanoTime();
		child.sigterm();
		int exitCode = child.waitFor(SIGTERM_BOUND);
		Duration stopTook = Duration.ofNanos(System.nanoTime() - signalled);
		assertThat(exitCode).as(child.tail(30)).isEqualTo(1);
		assertThat(stopTook).isLessThan(SIGTERM_BOUND);
		JsonNode report = onlyReport();
		assertThat(report.get("status").asString()).isEqualTo("STOPPED");
		return report;
	}

	/**
	 * Watcher answers at once that every item is live, and the run is resumed: it
	 * completes, every pointer live, none transient.
	 */
	private void resumeWithEveryItemLive(String name, int pointers, JsonNode stoppedReport) throws Exception {
		this.bed.watcher().reset();
		for (int i = 1; i <= pointers; i++) {
			this.bed.watcher().live(Ulids.watchedItem(i), Ulids.infoItem(i));
		}
		ChildJvm resumed = launch(name);
		assertThat(resumed.waitFor(RUN_BOUND)).as(resumed.tail(30)).isZero();
		JsonNode report = onlyReport();
		assertThat(report.get("runId").asLong()).isEqualTo(stoppedReport.get("runId").asLong());
		assertThat(report.get("status").asString()).isEqualTo("COMPLETED");
		assertThat(report.get("counts").get("read").asLong()).isEqualTo(pointers);
		assertThat(report.get("counts").get("live").asLong()).isEqualTo(pointers);
		assertThat(report.get("counts").get("transient").asLong()).isZero();
		assertThat(report.get("skipped")).isEmpty();
	}

	private ChildJvm launch(String name) {
		ChildJvm child = this.children.start(name, ChildJvm.reconcileArgs(this.bed.database(), this.bed.watcher(),
				this.reportDir, "--apply", "--chunk-size=10", "--concurrency=2", "--request-timeout=3s"));
		return child;
	}

	/** Wait until more than {@code count} lookups of the child have reached Watcher. */
	private void awaitLookups(ChildJvm child, int count) throws InterruptedException {
		long deadline = System.nanoTime() + RUN_BOUND.toNanos();
		while (System.nanoTime() < deadline) {
			if (this.bed.watcher()
				.itemRequests()
				.stream()
				.filter((request) -> request.getUrl().contains(Ulids.WATCHED_ITEM_PREFIX))
				.count() > count) {
				return;
			}
			assertThat(child.isAlive()).as(child.tail(30)).isTrue();
			Thread.sleep(50);
		}
		throw new AssertionError("No lookup within " + RUN_BOUND + " from " + child + ":\n" + child.tail(30));
	}

	private JsonNode onlyReport() throws Exception {
		try (Stream<Path> files = Files.list(this.reportDir)) {
			List<Path> reports = files.filter((f) -> f.getFileName().toString().matches("run-\\d+\\.json")).toList();
			assertThat(reports).hasSize(1);
			return this.json.readTree(reports.get(0).toFile());
		}
	}

}
