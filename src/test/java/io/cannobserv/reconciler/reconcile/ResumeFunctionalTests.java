package io.cannobserv.reconciler.reconcile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.global.GlobalSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import io.cannobserv.reconciler.support.ArchiverTestBed;
import io.cannobserv.reconciler.support.ChildJvm;
import io.cannobserv.reconciler.support.ChildJvms;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Entry;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.RegistryFixture.PointerClass;
import io.cannobserv.reconciler.support.ReportFiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run stopped with SIGTERM (a pod being replaced) and run again, in child JVMs, with
 * what may have changed in between: whatever the chunk size, and whichever step was
 * stopped, the resumed run checks each pointer once and reports what the whole run found.
 */
class ResumeFunctionalTests {

	private static final String JOB_SCHEMA = "watcher_link_reconciler";

	/** The unknown id of preflight's authenticated probe: not a pointer. */
	private static final String PROBE_ID = "00000000000000000000000000";

	/** A JVM start plus a run of a few seconds, with room for a slow machine. */
	private static final Duration RUN_BOUND = Duration.ofSeconds(90);

	/** The chunk in flight, the report, the exit. */
	private static final Duration SIGTERM_BOUND = Duration.ofSeconds(20);

	@RegisterExtension
	final ArchiverTestBed bed = new ArchiverTestBed();

	@RegisterExtension
	final ChildJvms children = new ChildJvms();

	@TempDir
	Path reportDir;

	@Test
	void reconcileWhenResumedWithAnotherChunkSizeChecksEveryPointerOnce() throws Exception {
		// given a run stopped mid-way with chunks of 10
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().live(120).gone(60).archived(10).notFoundUnconfirmed(10));
		answerAfter(40);
		ChildJvm stopped = launch("chunks-of-10", "--apply", "--chunk-size=10");
		awaitUntil(stopped, () -> lookups() > 0);
		Thread.sleep(1000);
		stopped.sigterm();
		assertThat(stopped.waitFor(SIGTERM_BOUND)).as(stopped.tail(20)).isEqualTo(1);
		JsonNode stoppedReport = ReportFiles.only(this.reportDir);
		long read = stoppedReport.get("counts").get("read").asLong();
		assertThat(read).as("stopped mid-run").isPositive().isLessThan(registry.entries().size());
		// a size that does not divide what was read: a reader counting pages would
		// skip the remainder
		int chunkSize = IntStream.of(7, 9, 11, 13).filter((size) -> read % size != 0).findFirst().getAsInt();

		// when a ConfigMap changed the chunk size between the two nights
		ChildJvm resumed = launch("chunks-of-" + chunkSize, "--apply", "--chunk-size=" + chunkSize);

		// then
		assertThat(resumed.waitFor(RUN_BOUND)).as(resumed.tail(20)).isZero();
		JsonNode report = ReportFiles.only(this.reportDir);
		assertThat(report.get("runId").asLong()).isEqualTo(stoppedReport.get("runId").asLong());
		assertThat(report.get("status").asString()).isEqualTo("COMPLETED");
		assertThat(report.get("executions").asInt()).isEqualTo(2);
		for (Entry entry : registry.entries()) {
			assertThat(this.bed.watcher().requestsFor(entry.watcherItemId())).as("lookups of %s", entry.infoItemId())
				.hasSize(1);
		}
		JsonNode counts = report.get("counts");
		assertThat(counts.get("read").asLong()).isEqualTo(registry.entries().size());
		assertThat(counts.get("live").asLong()).isEqualTo(registry.mix().live());
		assertThat(counts.get("archived").asLong()).isEqualTo(registry.mix().archived());
		assertThat(counts.get("notFoundUnconfirmed").asLong()).isEqualTo(registry.mix().notFoundUnconfirmed());
		assertThat(counts.get("gone").asLong()).isEqualTo(registry.mix().gone());
		assertThat(counts.get("cleared").asLong()).isEqualTo(registry.mix().gone());
		assertThat(report.get("skipped")).hasSize(registry.mix().notFoundUnconfirmed());
		assertThat(clearedIdsWithDuplicates()).containsExactlyInAnyOrderElementsOf(registry.ids(PointerClass.GONE));
		for (String id : registry.ids(PointerClass.GONE)) {
			assertThat(this.bed.archiver().pointerOf(id)).as(id).isNull();
		}
	}

	@Test
	void reconcileWhenDryRunThatWouldTripIsStoppedDuringRecheckStillReportsWouldTripWhenResumed() throws Exception {
		// given a dry run whose first pass finds the brake would trip (17 of 28 definite
		// answers gone, at its fourth chunk), and whose recheck turns the first pass's 12
		// transient pointers into live ones: from its first chunk on, the share is back
		// to 50 %, so the recheck finds nothing of the kind itself
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().live(11).gone(21).flakyThenLive(12));
		answerAfter(150);
		ChildJvm stopped = launch("dry-run", "--chunk-size=10", "--concurrency=2");
		List<String> recovering = registry.entries()
			.stream()
			.filter((entry) -> entry.pointerClass() == PointerClass.FLAKY_THEN_LIVE)
			.map(Entry::watcherItemId)
			.toList();
		awaitUntil(stopped, () -> recovering.stream().anyMatch((id) -> this.bed.watcher().requestsFor(id).size() > 1));

		// when stopped during the recheck, then resumed
		stopped.sigterm();
		assertThat(stopped.waitFor(SIGTERM_BOUND)).as(stopped.tail(20)).isEqualTo(1);
		JsonNode stoppedReport = ReportFiles.only(this.reportDir);
		assertThat(stoppedReport.get("status").asString()).isEqualTo("STOPPED");
		assertThat(stoppedReport.get("brake").get("state").asString()).isEqualTo("would-trip");
		String finding = stoppedReport.get("brake").get("message").asString();
		ChildJvm resumed = launch("dry-run-resumed", "--chunk-size=10", "--concurrency=2");

		// then the run's report, its history and so its metrics still say the brake
		// would have tripped
		assertThat(resumed.waitFor(RUN_BOUND)).as(resumed.tail(20)).isZero();
		JsonNode report = ReportFiles.only(this.reportDir);
		assertThat(report.get("runId").asLong()).isEqualTo(stoppedReport.get("runId").asLong());
		assertThat(report.get("status").asString()).isEqualTo("COMPLETED");
		assertThat(report.get("executions").asInt()).isEqualTo(2);
		assertThat(report.get("counts").get("live").asLong()).isEqualTo(11 + 12);
		assertThat(report.get("counts").get("wouldClear").asLong()).isEqualTo(21);
		assertThat(report.get("counts").get("transient").asLong()).isZero();
		assertThat(report.get("brake").get("state").asString()).isEqualTo("would-trip");
		assertThat(report.get("brake").get("message").asString()).isEqualTo(finding)
			.startsWith("17 of 28 checked pointers (61%) are gone");
		assertThat(this.bed.database()
			.jdbc()
			.queryForObject("SELECT brake_state FROM " + JOB_SCHEMA + ".reconcile_run WHERE run_id = ?", String.class,
					report.get("runId").asLong()))
			.isEqualTo("would-trip");
		assertThat(this.bed.archiver().snapshot()).allSatisfy((id, row) -> assertThat(row.get("watcher_item_id")).as(id)
			.isEqualTo(registry.entry(id).watcherItemId()));
	}

	private ChildJvm launch(String name, String... options) {
		String[] all = Stream.concat(Stream.of("--concurrency=4", "--max-requests-per-second=0"), Stream.of(options))
			.toArray(String[]::new);
		ChildJvm child = this.children.start("resume-" + name,
				ChildJvm.reconcileArgs(this.bed.database(), this.bed.watcher(), this.reportDir, all));
		return child;
	}

	/**
	 * Every answer of the fake Watcher, health and probe included, comes after
	 * {@code millis}.
	 */
	private void answerAfter(int millis) {
		this.bed.watcher().server().updateGlobalSettings(GlobalSettings.builder().fixedDelay(millis).build());
	}

	/** Lookups of WatchedItems so far, without preflight's probe. */
	private long lookups() {
		return this.bed.watcher().itemRequests().stream().filter((r) -> !r.getUrl().endsWith("/" + PROBE_ID)).count();
	}

	private static void awaitUntil(ChildJvm child, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + RUN_BOUND.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(child.isAlive()).as("%s exited early:\n%s", child, child.tail(30)).isTrue();
			assertThat(System.nanoTime()).as("waited %s for %s", RUN_BOUND, child).isLessThan(deadline);
			Thread.sleep(20);
		}
	}

	/** Every InfoItem id in the audit, once per audit row. */
	private List<String> clearedIdsWithDuplicates() {
		return this.bed.database()
			.jdbc()
			.queryForList("SELECT info_item_id FROM " + JOB_SCHEMA + ".pointer_clear", String.class);
	}

}
