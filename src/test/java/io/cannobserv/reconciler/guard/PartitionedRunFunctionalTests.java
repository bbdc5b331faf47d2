package io.cannobserv.reconciler.guard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.global.GlobalSettings;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.RowCallbackHandler;

import io.cannobserv.reconciler.support.ArchiverTestBed;
import io.cannobserv.reconciler.support.ChildJvm;
import io.cannobserv.reconciler.support.ChildJvms;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.ReportFiles;
import io.cannobserv.reconciler.support.TestDatabase;
import io.cannobserv.reconciler.support.WatcherBodies;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

/**
 * An Indexed Job's partitions, each a process of its own, started at the same instant:
 * the fake Watcher holds every process's health check (each is then past its run lock)
 * until all have asked, and answers them together, so that they migrate the job's schema
 * and create their runs in the same few milliseconds.
 */
class PartitionedRunFunctionalTests {

	private static final Logger logger = LoggerFactory.getLogger(PartitionedRunFunctionalTests.class);

	private static final String JOB_SCHEMA = "watcher_link_reconciler";

	private static final int PARTITIONS = 4;

	/** JVM starts on a loaded machine, then a run of a second or two. */
	private static final Duration RUN_BOUND = Duration.ofSeconds(120);

	/** A read timeout longer than any process waits at the gate. */
	private static final String[] RUN_OPTIONS = { "--apply", "--chunk-size=5", "--concurrency=2",
			"--max-requests-per-second=0", "--read-timeout=150s", "--partitions=" + PARTITIONS };

	@RegisterExtension
	final ArchiverTestBed bed = new ArchiverTestBed();

	@RegisterExtension
	final ChildJvms children = new ChildJvms();

	@TempDir
	Path reportDir;

	@AfterEach
	void tearDown() {
		this.bed.watcher().releaseHealthChecks();
	}

	@Test
	void reconcileWhenPartitionsStartTogetherEachRunsAndASecondProcessOfOnePartitionExitsFour() throws Exception {
		// given a database without the job's schema
		RegistryFixture.create(this.bed.archiver(), this.bed.watcher(), Mix.none().live(16).gone(8));

		// when the partitions, and a second process of one of them, start together:
		// first held at their health checks, so that they migrate the job's schema at
		// once; then held inside the transactions that create their runs, so that they
		// insert at once (under SERIALIZABLE, three of four failed each such round)
		startTogether(1, new HealthCheckGate());
		startTogether(2, new RunCreationGate(this.bed.database()));

		// then (each round asserts its own outcome)
		assertThat(this.bed.database()
			.jdbc()
			.queryForObject("SELECT count(*) FROM " + JOB_SCHEMA + ".batch_job_instance", Long.class))
			.isEqualTo(2 * PARTITIONS);
	}

	@Test
	void reconcileWhenFourPartitionsMeetAnEmptyWatcherTogetherTheyClearNoMoreThanTheNightsLimit() throws Exception {
		// given a Watcher of the wrong environment, empty: every pointer is the typed
		// 404,
		// 50 in each partition; each lookup takes a little while, so that the partitions'
		// chunks interleave
		RegistryFixture.create(this.bed.archiver(), this.bed.watcher(), Mix.none().gone(200));
		this.bed.watcher().server().updateGlobalSettings(GlobalSettings.builder().fixedDelay(10).build());
		int maxClears = 23;

		// when the four start at the same instant, with the share check off
		Path reports = Files.createDirectory(this.reportDir.resolve("night"));
		StartGate gate = new HealthCheckGate();
		List<ChildJvm> partitions = new ArrayList<>();
		for (int partition = 0; partition < PARTITIONS; partition++) {
			partitions.add(launch(reports, "partition-" + partition, partition, "--max-clears=" + maxClears,
					"--max-clear-fraction=1"));
		}
		awaitAtGate(gate, partitions, 0);
		gate.open();
		List<Integer> exitCodes = new ArrayList<>();
		for (ChildJvm partition : partitions) {
			exitCodes.add(partition.waitFor(RUN_BOUND));
		}

		// then together they cleared the most whole chunks within the limit (4 of 5
		// pointers), and each halted at its next chunk
		assertThat(exitCodes).as(() -> tails(partitions)).containsOnly(3);
		List<JsonNode> brakes = new ArrayList<>();
		long cleared = 0;
		for (ChildJvm partition : partitions) {
			JsonNode report = ReportFiles.only(reports.resolve(partition.name()));
			brakes.add(report.get("brake"));
			cleared += report.get("counts").get("cleared").asLong();
		}
		assertThat(cleared).as("cleared by the four together").isEqualTo(20);
		assertThat(this.bed.database()
			.jdbc()
			.queryForList("SELECT info_item_id FROM " + JOB_SCHEMA + ".pointer_clear", String.class))
			.doesNotHaveDuplicates()
			.hasSize(20);
		assertThat(brakes).allSatisfy((brake) -> {
			assertThat(brake.get("state").asString()).isEqualTo("tripped");
			assertThat(brake.get("message").asString())
				.startsWith("the 4 partitions of this night together would clear 25 pointers, more than "
						+ "--max-clears=" + maxClears);
			// the night's clears with the halted chunk: what lets it through
			assertThat(brake.get("override").asString()).isEqualTo("--max-clears=25");
		});
		assertThat(this.bed.archiver().snapshot().values().stream().filter((row) -> row.get("watcher_item_id") == null))
			.hasSize(20);
	}

	@Test
	void reconcileWhenOnePartitionIsAskedToWaitHoldsEveryPartitionOfTheNight() throws Exception {
		// given: two partitions of 80 live pointers each, Watcher answering each lookup
		// in 60 ms; a pointer well into partition 0's order answers its first lookup 429
		// with Retry-After: 4, once partition 1 has sent a few lookups of its own
		RegistryFixture.create(this.bed.archiver(), this.bed.watcher(), Mix.none().live(160));
		FakeWatcher watcher = this.bed.watcher();
		watcher.server().updateGlobalSettings(GlobalSettings.builder().fixedDelay(60).build());
		Map<String, Integer> partitionOf = partitionOfEachPointer(2);
		List<String> partitionZero = partitionOf.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() == 0)
			.map(Map.Entry::getKey)
			.sorted(Comparator.comparing(this::infoItemOf))
			.toList();
		String askedToWait = partitionZero.get(10);
		watcher.firstThen(askedToWait, aResponse().withStatus(429).withHeader("Retry-After", "4"),
				aResponse().withStatus(200)
					.withHeader("Content-Type", "application/json")
					.withBody(WatcherBodies.live(askedToWait, infoItemOf(askedToWait))));
		AtomicLong answeredAt = new AtomicLong();
		watcher.onFirstRequestFor(askedToWait, () -> {
			awaitLookups(partitionOf, 1, 3);
			answeredAt.set(System.currentTimeMillis());
		});

		// when the two start together
		Path reports = Files.createDirectory(this.reportDir.resolve("night"));
		StartGate gate = new HealthCheckGate();
		List<ChildJvm> partitions = new ArrayList<>();
		for (int partition = 0; partition < 2; partition++) {
			Path dir = Files.createDirectory(reports.resolve("partition-" + partition));
			ChildJvm child = this.children.start("hold-partition-" + partition,
					ChildJvm.reconcileArgs(this.bed.database(), watcher, dir, "--apply", "--chunk-size=5",
							"--concurrency=1", "--max-requests-per-second=0", "--read-timeout=150s", "--partitions=2",
							"--partition=" + partition));
			partitions.add(child);
		}
		awaitAtGate(gate, partitions, 0);
		gate.open();
		for (ChildJvm partition : partitions) {
			assertThat(partition.waitFor(RUN_BOUND)).as(() -> tails(partitions)).isZero();
		}

		// then: from about a second after partition 0 was asked to wait (the other
		// partition reads the night's hold once a second) until the hold's end,
		// partition 1 sent nothing; it worked before and after
		assertThat(answeredAt.get()).as("partition 0 was asked to wait").isPositive();
		List<LoggedRequest> lookups = watcher.server()
			.findAll(getRequestedFor(urlPathMatching(FakeWatcher.WATCHED_ITEMS_PATH + "/.+")));
		List<Long> partitionOne = lookups.stream()
			.filter((request) -> partitionOf.getOrDefault(lastSegment(request.getUrl()), -1) == 1)
			.map((request) -> request.getLoggedDate().getTime() - answeredAt.get())
			.sorted()
			.toList();
		logger.info("Partition 1's lookups, in ms after partition 0 got 429 with Retry-After: 4: {}", partitionOne);
		assertThat(partitionOne).as("partition 1 during the hold").noneMatch((at) -> at > 2000 && at < 3700);
		assertThat(partitionOne).as("partition 1 before").anyMatch((at) -> at < 0);
		assertThat(partitionOne).as("partition 1 after").anyMatch((at) -> at >= 3700);
		assertThat(partitions.get(1).output())
			.contains("Watcher asked partition 0 of this night to wait (HTTP 429 with Retry-After)");
	}

	/** Which of {@code partitions} each pointer belongs to, by its WatchedItem. */
	private Map<String, Integer> partitionOfEachPointer(int partitions) {
		Map<String, Integer> partitionOf = new HashMap<>();
		this.bed.database()
			.jdbc()
			.query("SELECT watcher_item_id, mod(mod(hashtextextended(info_item_id, 0), ?) + ?, ?)::int"
					+ " FROM information.info_items WHERE watcher_item_id IS NOT NULL",
					(RowCallbackHandler) (rs) -> partitionOf.put(rs.getString(1), rs.getInt(2)), partitions, partitions,
					partitions);
		return partitionOf;
	}

	private String infoItemOf(String watchedItemId) {
		return this.bed.database()
			.jdbc()
			.queryForObject("SELECT info_item_id FROM information.info_items WHERE watcher_item_id = ?", String.class,
					watchedItemId);
	}

	/** Waits, inside the fake Watcher, until a partition has sent that many lookups. */
	private void awaitLookups(Map<String, Integer> partitionOf, int partition, int count) {
		long deadline = System.nanoTime() + RUN_BOUND.toNanos();
		while (System.nanoTime() < deadline) {
			long sent = this.bed.watcher()
				.server()
				.findAll(getRequestedFor(urlPathMatching(FakeWatcher.WATCHED_ITEMS_PATH + "/.+")))
				.stream()
				.filter((request) -> partitionOf.getOrDefault(lastSegment(request.getUrl()), -1) == partition)
				.count();
			if (sent >= count) {
				return;
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private static String lastSegment(String url) {
		String path = (url.indexOf('?') >= 0) ? url.substring(0, url.indexOf('?')) : url;
		return path.substring(path.lastIndexOf('/') + 1);
	}

	/**
	 * Start every partition and a second process of one of them, hold them at
	 * {@code gate} until all but that second one wait there, then let them go: each
	 * partition must complete, and exactly one process of the doubled partition must
	 * leave with exit code 4, having done nothing.
	 */
	private void startTogether(int round, StartGate gate) throws Exception {
		long pointers = pointers(this.bed.database());
		int twin = round % PARTITIONS;
		Path roundDir = Files.createDirectory(this.reportDir.resolve("round-" + round));
		List<ChildJvm> processes = new ArrayList<>();
		for (int partition = 0; partition < PARTITIONS; partition++) {
			processes.add(launch(roundDir, "round-" + round + "-partition-" + partition, partition));
		}
		processes.add(launch(roundDir, "round-" + round + "-partition-" + twin + "-again", twin));
		ChildJvm loser = awaitAtGate(gate, processes, 1).get(0);
		gate.open();
		List<ChildJvm> runners = new ArrayList<>(processes);
		runners.remove(loser);
		List<Integer> exitCodes = new ArrayList<>();
		for (ChildJvm runner : runners) {
			exitCodes.add(runner.waitFor(RUN_BOUND));
		}
		logger.info("Round {}: {} partitions started together, exit codes {}", round, PARTITIONS, exitCodes);
		assertThat(exitCodes).as(() -> tails(runners)).containsOnly(0);
		assertThat(loser.waitFor(Duration.ZERO)).as(loser.tail(20)).isEqualTo(4);
		assertThat(loser.name()).contains("partition-" + twin);
		assertThat(errorLines(loser)).as(loser.tail(20))
			.singleElement(STRING)
			.contains("Another process runs partition " + twin + " of " + PARTITIONS);
		long read = 0;
		for (ChildJvm runner : runners) {
			JsonNode report = ReportFiles.only(roundDir.resolve(runner.name()));
			assertThat(report.get("status").asString()).isEqualTo("COMPLETED");
			read += report.get("counts").get("read").asLong();
		}
		assertThat(read).as("round %d: every pointer read once", round).isEqualTo(pointers);
		assertThat(roundDir.resolve(loser.name())).isEmptyDirectory();
	}

	private ChildJvm launch(Path roundDir, String name, int partition, String... extraOptions) throws IOException {
		String[] options = Stream
			.of(Stream.of(RUN_OPTIONS), Stream.of("--partition=" + partition), Stream.of(extraOptions))
			.flatMap((option) -> option)
			.toArray(String[]::new);
		Path reports = Files.createDirectory(roundDir.resolve(name));
		ChildJvm child = this.children.start(name,
				ChildJvm.reconcileArgs(this.bed.database(), this.bed.watcher(), reports, options));
		return child;
	}

	/**
	 * Wait until {@code exiting} processes have exited and all others wait at the gate.
	 * @return those that exited
	 */
	private List<ChildJvm> awaitAtGate(StartGate gate, List<ChildJvm> all, int exiting) throws Exception {
		long deadline = System.nanoTime() + RUN_BOUND.toNanos();
		while (System.nanoTime() < deadline) {
			List<ChildJvm> exited = all.stream().filter((child) -> !child.isAlive()).toList();
			assertThat(exited).as(() -> "exited before the gate opened:\n" + tails(exited))
				.hasSizeLessThanOrEqualTo(exiting);
			if (exited.size() == exiting && gate.waiting() == all.size() - exiting) {
				return exited;
			}
			Thread.sleep(50);
		}
		throw new AssertionError("Not all processes at the gate within " + RUN_BOUND + ":\n" + tails(all));
	}

	/** Where the processes of a round wait until every one has arrived. */
	private interface StartGate {

		/** How many processes wait. */
		int waiting() throws Exception;

		/** Let them all go on at once. */
		void open() throws Exception;

	}

	/**
	 * Holds each process in its preflight (past its run lock), before it migrates the
	 * job's schema.
	 */
	private final class HealthCheckGate implements StartGate {

		HealthCheckGate() {
			PartitionedRunFunctionalTests.this.bed.watcher().holdHealthChecks();
		}

		@Override
		public int waiting() {
			return PartitionedRunFunctionalTests.this.bed.watcher().heldHealthChecks();
		}

		@Override
		public void open() {
			PartitionedRunFunctionalTests.this.bed.watcher().releaseHealthChecks();
		}

	}

	/**
	 * Holds each process inside the transaction that creates its run, at its insert: a
	 * transaction of the test locks the table of job instances against writes (reads go
	 * on), so each has read what it reads before it waits.
	 */
	private static final class RunCreationGate implements StartGate {

		private static final String TABLE = JOB_SCHEMA + ".batch_job_instance";

		private final TestDatabase database;

		private final Connection lock;

		RunCreationGate(TestDatabase database) throws SQLException {
			this.database = database;
			this.lock = database.dataSource().getConnection();
			this.lock.setAutoCommit(false);
			try (Statement statement = this.lock.createStatement()) {
				statement.execute("LOCK TABLE " + TABLE + " IN EXCLUSIVE MODE");
			}
		}

		@Override
		public int waiting() {
			Integer waiting = this.database.jdbc()
				.queryForObject(
						"SELECT count(DISTINCT pid) FROM pg_locks WHERE relation = to_regclass(?) " + "AND NOT granted",
						Integer.class, TABLE);
			return (waiting != null) ? waiting : 0;
		}

		@Override
		public void open() throws SQLException {
			this.lock.rollback();
			this.lock.close();
		}

	}

	private static long pointers(TestDatabase database) {
		Long count = database.jdbc()
			.queryForObject("SELECT count(*) FROM information.info_items WHERE watcher_item_id IS NOT NULL",
					Long.class);
		return (count != null) ? count : 0;
	}

	private static String tails(List<ChildJvm> children) {
		return children.stream().map((child) -> child + ":\n" + child.tail(15)).collect(Collectors.joining("\n"));
	}

	/**
	 * The lines the application itself prints on failure,
	 * {@code watcher-link-reconciler: ...}.
	 */
	private static List<String> errorLines(ChildJvm child) {
		return child.output().lines().filter((line) -> line.startsWith("watcher-link-reconciler: ")).toList();
	}

}
