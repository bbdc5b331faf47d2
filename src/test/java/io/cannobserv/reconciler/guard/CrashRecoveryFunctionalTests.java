package io.cannobserv.reconciler.guard;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.global.GlobalSettings;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;

import io.cannobserv.reconciler.support.ArchiverDatabase;
import io.cannobserv.reconciler.support.ArchiverTestBed;
import io.cannobserv.reconciler.support.ArchiverVersion;
import io.cannobserv.reconciler.support.ChildJvm;
import io.cannobserv.reconciler.support.ChildJvms;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Entry;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.RegistryFixture.PointerClass;
import io.cannobserv.reconciler.support.TestDatabase;
import io.cannobserv.reconciler.support.TestPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

/**
 * The failures a nightly Kubernetes job meets, on the real application in child JVMs: a
 * CronJob started twice, SIGKILL at random points, SIGTERM, the database restarting, and
 * an Indexed Job's partitions running side by side. Whatever happens, every gone pointer
 * is cleared exactly once and nothing else changes.
 * <p>
 * Watcher answers every request after a fixed latency, so that a run lasts a few seconds
 * and a signal lands in the middle of it.
 */
class CrashRecoveryFunctionalTests {

	private static final Logger logger = LoggerFactory.getLogger(CrashRecoveryFunctionalTests.class);

	private static final String JOB_SCHEMA = "watcher_link_reconciler";

	/** The unknown id of preflight's authenticated probe: not a pointer. */
	private static final String PROBE_ID = "00000000000000000000000000";

	/** A JVM start plus a run of a few seconds, with room for a slow machine. */
	private static final Duration RUN_BOUND = Duration.ofSeconds(90);

	/**
	 * How long SIGTERM may take to stop a run: the chunk in flight, the report, the exit.
	 */
	private static final Duration SIGTERM_BOUND = Duration.ofSeconds(15);

	private static final String[] RUN_OPTIONS = { "--apply", "--chunk-size=10", "--concurrency=4",
			"--max-requests-per-second=0" };

	private final JsonMapper json = JsonMapper.builder().build();

	@RegisterExtension
	final ArchiverTestBed bed = new ArchiverTestBed();

	@RegisterExtension
	final ChildJvms children = new ChildJvms();

	@TempDir
	Path reportDir;

	@Test
	void reconcileWhenTwoProcessesStartTogetherOneRunsAndTheOtherExitsFour() throws Exception {
		// given: the test holds a row lock that stalls the first clear, so whichever
		// process takes
		// the run lock still holds it when the other tries, however far apart the two
		// JVMs start
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().live(120).gone(60));
		answerAfter(20);
		Path firstReports = Files.createDirectory(this.reportDir.resolve("first"));
		Path secondReports = Files.createDirectory(this.reportDir.resolve("second"));
		ChildJvm first;
		ChildJvm second;
		ChildJvm loser;
		try (Connection gate = this.bed.database().dataSource().getConnection()) {
			gate.setAutoCommit(false);
			lockRow(gate, registry.ids(PointerClass.GONE).get(0));

			// when
			first = launch("lock-first", firstReports, "--concurrency=2");
			second = launch("lock-second", secondReports, "--concurrency=2");
			loser = firstToExit(first, second);
			gate.rollback();
		}
		ChildJvm winner = (loser == first) ? second : first;
		int loserExit = loser.waitFor(Duration.ZERO);
		int winnerExit = winner.waitFor(RUN_BOUND);

		// then
		assertThat(loserExit).as(loser.tail(20)).isEqualTo(4);
		assertThat(winnerExit).as(winner.tail(20)).isZero();
		Path winnerReports = (winner == first) ? firstReports : secondReports;
		Path loserReports = (winner == first) ? secondReports : firstReports;
		assertThat(errorLines(loser)).singleElement(STRING).contains("Another run holds the lock");
		assertThat(loserReports).isEmptyDirectory();
		JsonNode report = onlyReport(winnerReports);
		assertThat(report.get("status").asString()).as(winner.tail(20)).isEqualTo("COMPLETED");
		assertThat(report.get("counts").get("read").asLong()).isEqualTo(registry.entries().size());
		// no pointer classified twice: each WatchedItem was asked for exactly once, by
		// one process
		for (Entry entry : registry.entries()) {
			assertThat(this.bed.watcher().requestsFor(entry.watcherItemId())).as(entry.infoItemId()).hasSize(1);
		}
		assertThat(lookups()).hasSize(registry.entries().size());
		// no pointer cleared twice
		assertThat(clearedIdsWithDuplicates()).doesNotHaveDuplicates()
			.containsExactlyInAnyOrderElementsOf(registry.ids(PointerClass.GONE));
	}

	@Test
	void reconcileWhenKilledAtRandomPointsResumesUntilEveryGonePointerIsClearedOnce() throws Exception {
		// given: Watcher's latency makes the lookups, and a trigger makes the clears,
		// take time,
		// so that kills land mid-read, mid-lookup and mid-write
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none()
					.live(120)
					.gone(60)
					.archived(10)
					.mismatched(10)
					.notFoundUnconfirmed(10)
					.malformed(10)
					.withoutPointer(10));
		answerAfter(40);
		slowDownUpdates(20);
		Map<String, Map<String, @Nullable Object>> before = this.bed.archiver().snapshot();
		Map<String, Map<String, @Nullable Object>> statusBefore = this.bed.archiver().watchStatusSnapshot();
		Random random = new Random(20261126L);
		int maxKills = 3;

		// when: killed at a random point after its first lookup and relaunched, at most
		// maxKills
		// times, then left to complete
		int kills = 0;
		Integer exitCode = null;
		ChildJvm last = null;
		for (int attempt = 1; exitCode == null; attempt++) {
			int lookupsBefore = lookups().size();
			last = launch("sigkill-" + attempt, this.reportDir);
			if (kills == maxKills || !awaitLookupsBeyond(lookupsBefore, last)) {
				exitCode = last.waitFor(RUN_BOUND);
				break;
			}
			long delay = 500 + random.nextInt(2500);
			Thread.sleep(delay);
			// a run that completed is not killed while it writes its report and exits
			if (last.isAlive() && !lastExecutionCompleted()) {
				last.kill9();
				kills++;
				logger.info("Attempt {}: SIGKILL {} {} ms after its first lookup", attempt, last, delay);
			}
			else {
				exitCode = last.waitFor(RUN_BOUND);
			}
		}

		// then
		assertThat(exitCode).as(String.valueOf(last)).isZero();
		List<String> cleared = clearedIdsWithDuplicates();
		Set<String> gone = Set.copyOf(registry.ids(PointerClass.GONE));
		assertThat(cleared).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(gone);
		assertThat(this.bed.database()
			.jdbc()
			.queryForList("SELECT DISTINCT run_id FROM " + JOB_SCHEMA + ".pointer_clear", Long.class))
			.as("a resumed run keeps its run id")
			.hasSize(1);
		assertOnlyGonePointersCleared(registry, before, statusBefore);
		JsonNode report = onlyReport(this.reportDir);
		assertThat(report.get("status").asString()).isEqualTo("COMPLETED");
		assertThat(report.get("executions").asInt()).as("every killed attempt was resumed by the next")
			.isGreaterThan(1)
			.isEqualTo(kills + 1);
		JsonNode counts = report.get("counts");
		long pointers = registry.entries().stream().filter((e) -> e.watcherItemId() != null).count();
		long nulledPointers = this.bed.database()
			.jdbc()
			.queryForObject("SELECT count(*) FROM information.info_items WHERE watcher_item_id IS NULL", Long.class)
				- registry.mix().withoutPointer();
		assertThat(counts.get("read").asLong()).isEqualTo(pointers);
		assertThat(counts.get("gone").asLong()).isEqualTo(gone.size());
		assertThat(counts.get("cleared").asLong()).isEqualTo(cleared.size()).isEqualTo(nulledPointers);
		assertThat(counts.get("live").asLong()).isEqualTo(registry.mix().live());
		assertThat(counts.get("archived").asLong()).isEqualTo(registry.mix().archived());
		assertThat(counts.get("mismatched").asLong()).isEqualTo(registry.mix().mismatched());
		assertThat(counts.get("notFoundUnconfirmed").asLong()).isEqualTo(registry.mix().notFoundUnconfirmed());
		assertThat(counts.get("malformed").asLong()).isEqualTo(registry.mix().malformed());
		assertThat(counts.get("transient").asLong()).isZero();
		assertThat(counts.get("changedConcurrently").asLong()).isZero();
		assertThat(ids(report.get("cleared"))).isEqualTo(gone);
		assertThat(report.get("skipped"))
			.hasSize(registry.mix().mismatched() + registry.mix().notFoundUnconfirmed() + registry.mix().malformed());
	}

	@Test
	void reconcileWhenSigtermMidRunExitsOneStoppedThenNextRunResumesAndCompletes() throws Exception {
		// given
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().live(160).gone(80));
		answerAfter(40);
		ChildJvm stopped = launch("sigterm", this.reportDir);
		assertThat(awaitLookupsBeyond(0, stopped)).as(stopped.tail(20)).isTrue();
		Thread.sleep(1000);

		// when
		long signalled = System.nanoTime();
		stopped.sigterm();
		int exitCode = stopped.waitFor(SIGTERM_BOUND);
		Duration stopTook = Duration.ofNanos(System.nanoTime() - signalled);

		// then
		logger.info("SIGTERM: exit {} after {} ms", exitCode, stopTook.toMillis());
		assertThat(exitCode).as(stopped.tail(20)).isEqualTo(1);
		assertThat(stopped.output()).contains("SIGTERM: stopping run");
		JsonNode stoppedReport = onlyReport(this.reportDir);
		assertThat(stoppedReport.get("status").asString()).isEqualTo("STOPPED");
		assertThat(stoppedReport.get("exitCode").asInt()).isEqualTo(1);
		long readBeforeStop = stoppedReport.get("counts").get("read").asLong();
		assertThat(readBeforeStop).as("stopped mid-run").isPositive().isLessThan(registry.entries().size());
		assertThat(stoppedReport.get("counts").get("cleared").asLong()).isEqualTo(clearedIdsWithDuplicates().size());

		ChildJvm resumed = launch("sigterm-resume", this.reportDir);
		assertThat(resumed.waitFor(RUN_BOUND)).as(resumed.tail(20)).isZero();
		JsonNode report = onlyReport(this.reportDir);
		assertThat(report.get("runId").asLong()).isEqualTo(stoppedReport.get("runId").asLong());
		assertThat(report.get("status").asString()).isEqualTo("COMPLETED");
		assertThat(report.get("executions").asInt()).isEqualTo(2);
		assertThat(report.get("counts").get("read").asLong()).isEqualTo(registry.entries().size());
		assertThat(report.get("counts").get("cleared").asLong()).isEqualTo(registry.mix().gone());
		assertThat(clearedIdsWithDuplicates()).doesNotHaveDuplicates()
			.containsExactlyInAnyOrderElementsOf(registry.ids(PointerClass.GONE));
		for (String id : registry.ids(PointerClass.LIVE)) {
			assertThat(this.bed.archiver().pointerOf(id)).as(id).isEqualTo(registry.entry(id).watcherItemId());
		}
		// the chunk in flight committed before the stop, and the resume started right
		// after it
		for (Entry entry : registry.entries()) {
			assertThat(this.bed.watcher().requestsFor(entry.watcherItemId())).as(entry.infoItemId()).hasSize(1);
		}
	}

	@Test
	void reconcileWhenDatabaseRestartsMidRunExitsOneThenNextRunCompletes(@TempDir Path serverDir) throws Exception {
		// given: a server of its own, since this test stops it
		int port = freePort();
		Path dataDir = serverDir.resolve("data");
		EmbeddedPostgres server = startServer(port, dataDir);
		try {
			new JdbcTemplate(server.getPostgresDatabase()).execute("CREATE DATABASE archiver");
			this.bed
				.moveTo(new TestDatabase("jdbc:postgresql://localhost:" + port + "/archiver", "postgres", "postgres"));
			RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
					Mix.none().live(160).gone(80));
			answerAfter(40);
			ChildJvm failed = launch("db-restart", this.reportDir);
			assertThat(awaitLookupsBeyond(0, failed)).as(failed.tail(20)).isTrue();
			Thread.sleep(1000);

			// when
			server.close();
			logger.info("Database stopped under {}", failed);
			Thread.sleep(2000);
			server = startServer(port, dataDir);
			logger.info("Database started again");
			int exitCode = failed.waitFor(Duration.ofSeconds(60));

			// then
			assertThat(exitCode).as(failed.tail(30)).isEqualTo(1);
			List<String> reports = reportFiles(this.reportDir);
			if (reports.isEmpty()) {
				assertThat(errorLines(failed)).singleElement(STRING).contains("run failed");
			}
			else {
				// UNKNOWN: the chunk under way could not even be rolled back; resumable
				// all the same
				JsonNode failedReport = onlyReport(this.reportDir);
				assertThat(failedReport.get("status").asString()).isIn("FAILED", "UNKNOWN");
				assertThat(failedReport.get("exitCode").asInt()).isEqualTo(1);
			}
			ChildJvm resumed = launch("db-restart-resume", this.reportDir);
			assertThat(resumed.waitFor(RUN_BOUND)).as(resumed.tail(30)).isZero();
			assertThat(clearedIdsWithDuplicates()).doesNotHaveDuplicates()
				.containsExactlyInAnyOrderElementsOf(registry.ids(PointerClass.GONE));
			for (String id : registry.ids(PointerClass.LIVE)) {
				assertThat(this.bed.archiver().pointerOf(id)).as(id).isEqualTo(registry.entry(id).watcherItemId());
			}
			JsonNode report = onlyReport(this.reportDir);
			assertThat(report.get("status").asString()).isEqualTo("COMPLETED");
			assertThat(report.get("executions").asInt()).as("resumed, not started anew").isEqualTo(2);
			assertThat(report.get("counts").get("read").asLong()).isEqualTo(registry.entries().size());
			assertThat(report.get("counts").get("cleared").asLong()).isEqualTo(registry.mix().gone());
		}
		finally {
			server.close();
		}
	}

	@Test
	void reconcileWhenFourPartitionsRunTogetherChecksEachPointerOnceAndClearsWhatOneRunClears() throws Exception {
		// given
		Mix mix = Mix.none().live(120).gone(60).archived(10).malformed(10);
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(), mix);
		answerAfter(30);
		Set<String> clearedByOneRun = clearedByOneFullRun(mix);

		// when
		List<ChildJvm> partitions = new ArrayList<>();
		List<Path> partitionReports = new ArrayList<>();
		for (int partition = 0; partition < 4; partition++) {
			Path reports = Files.createDirectory(this.reportDir.resolve("partition-" + partition));
			partitionReports.add(reports);
			// not the brake's test (PartitionedRunFunctionalTests and
			// BrakeSweepsIntegrationTests
			// judge its night): with chunks of 10 from four partitions committing in any
			// order,
			// the night's first 20 checked can be more than half gone where the mix is a
			// third
			partitions.add(launch("partition-" + partition, reports, "--partition=" + partition, "--partitions=4",
					"--max-clear-fraction=1"));
		}
		List<Integer> exitCodes = new ArrayList<>();
		for (ChildJvm partition : partitions) {
			exitCodes.add(partition.waitFor(RUN_BOUND));
		}

		// then
		assertThat(exitCodes).as(() -> partitions.stream().map((p) -> p.tail(10)).collect(Collectors.joining("\n")))
			.containsOnly(0);
		long read = 0;
		Set<String> clearedByPartitions = new HashSet<>();
		for (int partition = 0; partition < 4; partition++) {
			JsonNode report = onlyReport(partitionReports.get(partition));
			assertThat(report.get("partition").asInt()).isEqualTo(partition);
			assertThat(report.get("partitions").asInt()).isEqualTo(4);
			assertThat(report.get("status").asString()).isEqualTo("COMPLETED");
			assertThat(report.get("counts").get("read").asLong()).as("partition %d has pointers", partition)
				.isPositive();
			read += report.get("counts").get("read").asLong();
			Set<String> cleared = ids(report.get("cleared"));
			assertThat(clearedByPartitions).as("partitions are disjoint").doesNotContainAnyElementsOf(cleared);
			clearedByPartitions.addAll(cleared);
		}
		long pointers = registry.entries().stream().filter((e) -> e.watcherItemId() != null).count();
		assertThat(read).isEqualTo(pointers);
		// each pointer classified exactly once: each WatchedItem asked for once, by one
		// partition
		List<Entry> sent = registry.entries()
			.stream()
			.filter((e) -> e.pointerClass() != PointerClass.MALFORMED)
			.toList();
		for (Entry entry : sent) {
			assertThat(this.bed.watcher().requestsFor(entry.watcherItemId())).as(entry.infoItemId()).hasSize(1);
		}
		assertThat(lookups()).hasSize(sent.size());
		assertThat(clearedByOneRun).isNotEmpty();
		assertThat(clearedByPartitions).isEqualTo(clearedByOneRun);
		assertThat(clearedIdsWithDuplicates()).doesNotHaveDuplicates()
			.containsExactlyInAnyOrderElementsOf(clearedByOneRun);
	}

	/**
	 * The same registry in a database of its own, reconciled by one unpartitioned run in
	 * this JVM.
	 */
	private Set<String> clearedByOneFullRun(Mix mix) throws IOException {
		TestDatabase single = TestPostgres.newDatabase();
		ArchiverDatabase singleArchiver = ArchiverDatabase.createSchema(single.jdbc(), ArchiverVersion.V4_10);
		try (FakeWatcher singleWatcher = new FakeWatcher().start()) {
			RegistryFixture.create(singleArchiver, singleWatcher, mix);
			Result result = ReconcilerRun.reconcile(single, singleWatcher,
					Files.createDirectory(this.reportDir.resolve("single")), "--apply");
			assertThat(result.exitCode()).as(result.err()).isZero();
		}
		return Set.copyOf(
				single.jdbc().queryForList("SELECT info_item_id FROM " + JOB_SCHEMA + ".pointer_clear", String.class));
	}

	private ChildJvm launch(String name, Path reportDir, String... options) {
		String[] all = Stream.concat(Stream.of(RUN_OPTIONS), Stream.of(options)).toArray(String[]::new);
		ChildJvm child = this.children.start(name,
				ChildJvm.reconcileArgs(this.bed.database(), this.bed.watcher(), reportDir, all));
		return child;
	}

	/**
	 * Every answer of the fake Watcher, health and probe included, comes after
	 * {@code millis}.
	 */
	private void answerAfter(int millis) {
		this.bed.watcher().server().updateGlobalSettings(GlobalSettings.builder().fixedDelay(millis).build());
	}

	/**
	 * Every update of an InfoItem, the job's compare-and-set included, takes
	 * {@code millis} longer.
	 */
	private void slowDownUpdates(int millis) {
		JdbcTemplate jdbc = this.bed.database().jdbc();
		jdbc.execute("CREATE FUNCTION information.slow_update() RETURNS trigger LANGUAGE plpgsql AS "
				+ "$$ BEGIN PERFORM pg_sleep(" + (millis / 1000.0) + "); RETURN NEW; END $$");
		jdbc.execute("CREATE TRIGGER slow_update BEFORE UPDATE ON information.info_items FOR EACH ROW "
				+ "EXECUTE FUNCTION information.slow_update()");
	}

	private boolean lastExecutionCompleted() {
		List<String> statuses = this.bed.database()
			.jdbc()
			.queryForList(
					"SELECT status FROM " + JOB_SCHEMA + ".batch_job_execution ORDER BY job_execution_id DESC LIMIT 1",
					String.class);
		return statuses.equals(List.of("COMPLETED"));
	}

	/**
	 * Locks an InfoItem's row until {@code connection}'s transaction ends: its clear
	 * waits.
	 */
	private static void lockRow(Connection connection, String infoItemId) throws SQLException {
		try (PreparedStatement statement = connection
			.prepareStatement("SELECT info_item_id FROM information.info_items WHERE info_item_id = ? FOR UPDATE")) {
			statement.setString(1, infoItemId);
			statement.executeQuery().close();
		}
	}

	private static ChildJvm firstToExit(ChildJvm... children) throws InterruptedException {
		long deadline = System.nanoTime() + RUN_BOUND.toNanos();
		while (System.nanoTime() < deadline) {
			for (ChildJvm child : children) {
				if (!child.isAlive()) {
					return child;
				}
			}
			Thread.sleep(20);
		}
		throw new AssertionError("None of " + List.of(children) + " exited within " + RUN_BOUND);
	}

	/** Lookups of WatchedItems, oldest first, without preflight's probe. */
	private List<LoggedRequest> lookups() {
		return this.bed.watcher().itemRequests().stream().filter((r) -> !r.getUrl().endsWith("/" + PROBE_ID)).toList();
	}

	/**
	 * Wait until Watcher has seen more than {@code count} lookups, i.e. the child's run
	 * is under way.
	 * @return {@code false} when the child exited first
	 */
	private boolean awaitLookupsBeyond(int count, ChildJvm child) throws InterruptedException {
		long deadline = System.nanoTime() + RUN_BOUND.toNanos();
		while (System.nanoTime() < deadline) {
			if (lookups().size() > count) {
				return true;
			}
			if (!child.isAlive()) {
				return false;
			}
			Thread.sleep(50);
		}
		throw new AssertionError("No lookup within " + RUN_BOUND + " from " + child + ":\n" + child.tail(30));
	}

	private void assertOnlyGonePointersCleared(RegistryFixture registry,
			Map<String, Map<String, @Nullable Object>> before,
			Map<String, Map<String, @Nullable Object>> statusBefore) {
		Map<String, Map<String, @Nullable Object>> after = this.bed.archiver().snapshot();
		Map<String, Map<String, @Nullable Object>> statusAfter = this.bed.archiver().watchStatusSnapshot();
		assertThat(after.keySet()).isEqualTo(before.keySet());
		for (Entry entry : registry.entries()) {
			String id = entry.infoItemId();
			if (entry.pointerClass() == PointerClass.GONE) {
				assertThat(after.get(id).get("watcher_item_id")).as(id).isNull();
				Map<String, @Nullable Object> rest = new HashMap<>(after.get(id));
				Map<String, @Nullable Object> restBefore = new HashMap<>(before.get(id));
				List.of("watcher_item_id", "updated_at").forEach((column) -> {
					rest.remove(column);
					restBefore.remove(column);
				});
				assertThat(rest).as(id).isEqualTo(restBefore);
				assertThat(statusAfter).as(id).doesNotContainKey(id);
			}
			else {
				assertThat(after.get(id)).as(id).isEqualTo(before.get(id));
				assertThat(statusAfter.get(id)).as(id).isEqualTo(statusBefore.get(id));
			}
		}
	}

	/** Every InfoItem id in the audit, once per audit row. */
	private List<String> clearedIdsWithDuplicates() {
		return this.bed.database()
			.jdbc()
			.queryForList("SELECT info_item_id FROM " + JOB_SCHEMA + ".pointer_clear", String.class);
	}

	/**
	 * The lines the application itself prints on failure,
	 * {@code watcher-link-reconciler: ...}.
	 */
	private static List<String> errorLines(ChildJvm child) {
		return child.output().lines().filter((line) -> line.startsWith("watcher-link-reconciler: ")).toList();
	}

	private static List<String> reportFiles(Path directory) throws IOException {
		try (Stream<Path> files = Files.list(directory)) {
			return files.map((f) -> f.getFileName().toString()).filter((f) -> f.matches("run-\\d+\\.json")).toList();
		}
	}

	private JsonNode onlyReport(Path directory) throws IOException {
		List<String> reports = reportFiles(directory);
		assertThat(reports).as("reports in %s", directory).hasSize(1);
		return this.json.readTree(directory.resolve(reports.get(0)).toFile());
	}

	private static Set<String> ids(JsonNode items) {
		return Set.copyOf(items.findValuesAsString("infoItemId"));
	}

	private static EmbeddedPostgres startServer(int port, Path dataDir) throws IOException {
		Path log = ChildJvm.outputDirectory().resolve("restarted-postgres.log");
		return EmbeddedPostgres.builder()
			.setPort(port)
			.setDataDirectory(dataDir)
			.setCleanDataDirectory(false)
			.setRegisterShutdownHook(false)
			.setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.setPGStartupWait(Duration.ofSeconds(60))
			.start();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
