package io.cannobserv.reconciler.guard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.cannobserv.reconciler.support.ArchiverTestBed;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One kind of run at a time on a registry: the partitions of a partitioned run share its
 * lock, which a single run takes alone. A run under way is held at its health check (past
 * its locks) by the fake Watcher while another starts.
 */
class RunLocksIntegrationTests {

	private static final Duration BOUND = Duration.ofSeconds(90);

	private final ExecutorService runs = Executors.newCachedThreadPool();

	@RegisterExtension
	final ArchiverTestBed bed = new ArchiverTestBed();

	@TempDir
	Path reportDir;

	@BeforeEach
	void setUp() {
		RegistryFixture.create(this.bed.archiver(), this.bed.watcher(), Mix.none().live(6).gone(4));
		this.bed.watcher().holdHealthChecks();
	}

	@AfterEach
	void tearDown() throws InterruptedException {
		this.bed.watcher().releaseHealthChecks();
		this.runs.shutdown();
		this.runs.awaitTermination(BOUND.toSeconds(), TimeUnit.SECONDS);
	}

	@Test
	void reconcileWhenAPartitionedRunIsUnderWayASingleRunExitsFourAndItsOtherPartitionRuns() throws Exception {
		// given partition 0 of 2 under way
		Future<Result> partition0 = start("partition-0", "--apply", "--partitions=2", "--partition=0");
		awaitHeld(1);

		// when
		Future<Result> single = start("single", "--apply");

		// then
		Result refused = awaitRefusal(single, 1);
		assertThat(refused.exitCode()).as(refused.err()).isEqualTo(4);
		assertThat(refused.err().strip()).doesNotContain("\n")
			.contains("Another run holds the lock")
			.contains("the partitions of a partitioned run")
			.contains("Never run the single and the partitioned run at the same time");
		assertThat(this.reportDir.resolve("single")).isEmptyDirectory();

		// and when the other partition starts, it joins the first
		Future<Result> partition1 = start("partition-1", "--apply", "--partitions=2", "--partition=1");
		awaitHeld(2);
		this.bed.watcher().releaseHealthChecks();
		assertCompleted(partition0);
		assertCompleted(partition1);
		assertThat(this.bed.archiver().snapshot().values().stream().filter((row) -> row.get("watcher_item_id") == null))
			.hasSize(4);
	}

	@Test
	void reconcileWhenASingleRunIsUnderWayAPartitionExitsFour() throws Exception {
		// given a single dry run under way
		Future<Result> single = start("single");
		awaitHeld(1);

		// when
		Future<Result> partition = start("partition-2", "--apply", "--partitions=4", "--partition=2");

		// then
		Result refused = awaitRefusal(partition, 1);
		assertThat(refused.exitCode()).as(refused.err()).isEqualTo(4);
		assertThat(refused.err().strip()).doesNotContain("\n")
			.contains("a single (unpartitioned) run")
			.contains("partition 2 of 4, read and wrote nothing")
			.contains("Never run the single and the partitioned run at the same time");
		assertThat(this.reportDir.resolve("partition-2")).isEmptyDirectory();
		this.bed.watcher().releaseHealthChecks();
		assertCompleted(single);
		assertThat(this.bed.watcher().itemRequests()).as("only the single run looked pointers up").hasSize(1 + 10);
	}

	@Test
	void reconcileWhenASingleRunLeftRunningByADeadProcessAPartitionAbandonsItWithFresh() throws Exception {
		// given a single run halted by the brake, then marked running as a process killed
		// mid-run leaves it
		this.bed.watcher().releaseHealthChecks();
		Result halted = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(),
				Files.createDirectory(this.reportDir.resolve("single")), "--apply", "--max-clears=1");
		assertThat(halted.exitCode()).as(halted.err()).isEqualTo(3);
		this.bed.database()
			.jdbc()
			.update("UPDATE watcher_link_reconciler.batch_job_execution SET status = 'STARTED', end_time = NULL");
		this.bed.database()
			.jdbc()
			.update("UPDATE watcher_link_reconciler.batch_step_execution SET status = 'STARTED', end_time = NULL");

		// when a partition starts with --fresh: it holds the registry's lock shared, and
		// the single run's process, which would hold it alone, is gone
		Result partition = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(),
				Files.createDirectory(this.reportDir.resolve("partition-0")), "--apply", "--partitions=2",
				"--partition=0", "--fresh", "--max-requests-per-second=0");

		// then
		assertThat(partition.exitCode()).as(partition.err()).isZero();
		assertThat(this.bed.database()
			.jdbc()
			.queryForList("SELECT status FROM watcher_link_reconciler.batch_job_execution ORDER BY job_execution_id",
					String.class))
			.containsExactly("ABANDONED", "COMPLETED");
	}

	private Future<Result> start(String name, String... options) throws Exception {
		Path reports = Files.createDirectory(this.reportDir.resolve(name));
		List<String> args = new ArrayList<>(List.of(options));
		args.add("--max-requests-per-second=0");
		return this.runs.submit(() -> ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), reports,
				args.toArray(String[]::new)));
	}

	private void awaitHeld(int held) throws InterruptedException {
		long deadline = System.nanoTime() + BOUND.toNanos();
		while (this.bed.watcher().heldHealthChecks() < held) {
			assertThat(System.nanoTime()).as("%d runs held within %s", held, BOUND).isLessThan(deadline);
			Thread.sleep(20);
		}
	}

	/**
	 * The result of a run that must leave before its health check, while {@code held}
	 * others wait at theirs.
	 */
	private Result awaitRefusal(Future<Result> run, int held) throws Exception {
		long deadline = System.nanoTime() + BOUND.toNanos();
		while (!run.isDone()) {
			assertThat(this.bed.watcher().heldHealthChecks()).as("the second run passed its locks").isEqualTo(held);
			assertThat(System.nanoTime()).as("refused within %s", BOUND).isLessThan(deadline);
			Thread.sleep(20);
		}
		return run.get();
	}

	private static void assertCompleted(Future<Result> run) throws Exception {
		Result result = run.get(BOUND.toSeconds(), TimeUnit.SECONDS);
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
	}

}
