package io.cannobserv.reconciler.metrics;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.global.GlobalSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cannobserv.reconciler.support.ArchiverDatabase;
import io.cannobserv.reconciler.support.ArchiverVersion;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.NeedsTool;
import io.cannobserv.reconciler.support.NeedsTool.Tool;
import io.cannobserv.reconciler.support.PrometheusText.Sample;
import io.cannobserv.reconciler.support.Pushgateway;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.RegistryFixture.PointerClass;
import io.cannobserv.reconciler.support.TestDatabase;
import io.cannobserv.reconciler.support.TestPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The figures a real Pushgateway holds after runs of every kind, read from its
 * {@code /metrics} as Prometheus scrapes them: the job pushes with {@code put}, which
 * replaces a whole group, so what each group keeps after a failure or after another
 * command is what operators' alerts see.
 */
@NeedsTool(Tool.PUSHGATEWAY)
class PushgatewayIntegrationTests {

	private static final Logger logger = LoggerFactory.getLogger(PushgatewayIntegrationTests.class);

	private static final String JOB = "watcher-link-reconciler";

	private static final Duration RUN_BOUND = Duration.ofSeconds(120);

	private static final String ARCHIVER_TABLE = "information.info_items(info_item_id,watcher_item_id)";

	private static Pushgateway gateway;

	private TestDatabase database;

	private FakeWatcher watcher;

	private RegistryFixture registry;

	@TempDir
	Path reportDir;

	@AfterAll
	static void stopGateway() {
		if (gateway != null) {
			gateway.close();
			gateway = null;
		}
	}

	@BeforeEach
	void setUp() {
		// started once, by the first test that runs
		if (gateway == null) {
			gateway = Pushgateway.startOrSkip();
		}
		gateway.wipe();
		this.database = TestPostgres.newDatabase();
		ArchiverDatabase archiver = ArchiverDatabase.createSchema(this.database.jdbc(), ArchiverVersion.V4_10);
		this.watcher = new FakeWatcher().start();
		this.registry = RegistryFixture.create(archiver, this.watcher, Mix.none().live(30).gone(2).transientAlways(1));
	}

	@AfterEach
	void tearDown() {
		if (this.watcher != null) {
			this.watcher.stop();
		}
	}

	@Test
	void reconcileWhenRunsFailAfterASuccessKeepsTheLastSuccessAndShowsEachFailure() {
		// given: a nightly apply run that completes
		Result success = reconcile("--apply");
		assertThat(success.exitCode()).as(success.err()).isZero();
		Map<String, String> nightly = group("reconcile", "apply", 0, 1);
		long lastSuccess = endedAtOfRun(1);
		assertThat(value(nightly, "reconciler_run_exit_code")).contains(0.0);
		assertThat(value(nightly, "reconciler_run_last_success_timestamp_seconds")).contains((double) lastSuccess);
		assertThat(value(nightly, "reconciler_run_pointers", "outcome", "cleared")).contains(2.0);

		// when: the next night Watcher rejects the key, so the run is refused before it
		// starts
		Result refused = reconcile("--apply", "--reconciler.watcher.api-key=revoked-key");

		// then: the group shows the refusal and still holds the last success
		assertThat(refused.exitCode()).as(refused.out()).isEqualTo(2);
		assertThat(value(nightly, "reconciler_run_exit_code")).contains(2.0);
		assertThat(value(nightly, "reconciler_run_last_success_timestamp_seconds")).contains((double) lastSuccess);
		// a refused run checked nothing: the previous night's counts are not presented as
		// its own
		assertThat(value(nightly, "reconciler_run_pointers", "outcome", "cleared")).isEmpty();

		// when: the night after, Watcher answers "deleted" for every pointer, and the
		// brake halts the run
		this.registry.entries()
			.stream()
			.filter((entry) -> entry.pointerClass() == PointerClass.LIVE)
			.forEach((entry) -> this.watcher.deleted(entry.watcherItemId()));
		Result braked = reconcile("--apply");

		// then: the group shows the brake and the exit code, and still the same last
		// success
		assertThat(braked.exitCode()).as(braked.err()).isEqualTo(3);
		assertThat(value(nightly, "reconciler_run_exit_code")).contains(3.0);
		assertThat(value(nightly, "reconciler_run_brake_tripped")).contains(1.0);
		assertThat(value(nightly, "reconciler_run_last_success_timestamp_seconds")).contains((double) lastSuccess);
		assertThat(value(nightly, "reconciler_run_pointers", "outcome", "cleared")).contains(0.0);
	}

	@Test
	void reconcileWhenARunFailsMidWayAfterASuccessKeepsTheLastSuccessAndShowsExitOne() {
		// given: a nightly apply run that completes
		Result success = reconcile("--apply");
		assertThat(success.exitCode()).as(success.err()).isZero();
		Map<String, String> nightly = group("reconcile", "apply", 0, 1);
		long lastSuccess = endedAtOfRun(1);

		// when: the next night the key is revoked a few lookups into the run
		this.watcher.revokeKeyAfter(3);
		Result failed = reconcile("--apply", "--chunk-size=2", "--concurrency=1");

		// then: the group shows the failure and still holds the last success
		assertThat(failed.exitCode()).as(failed.err()).isEqualTo(1);
		assertThat(value(nightly, "reconciler_run_exit_code")).contains(1.0);
		assertThat(value(nightly, "reconciler_run_last_success_timestamp_seconds")).contains((double) lastSuccess);
	}

	@Test
	void reconcileWhenDryRunReportAndRestoreRunAfterTheNightlyRunLeavesItsGroupAlone() {
		// given: the nightly apply run
		Result nightly = reconcile("--apply");
		assertThat(nightly.exitCode()).as(nightly.err()).isZero();
		Map<String, String> apply = group("reconcile", "apply", 0, 1);
		List<Sample> before = gateway.group(apply);

		// when: an operator runs a dry run, a report and a restore dry run from the same
		// configuration
		assertThat(reconcile().exitCode()).isZero();
		assertThat(command("report").exitCode()).isZero();
		assertThat(command("restore", "--run=1").exitCode()).isZero();

		// then: the dry run has a group of its own, report and restore push none (only a
		// run is measured), and the nightly run's group is exactly as it was
		assertThat(withoutPushTimes(gateway.group(apply))).isEqualTo(withoutPushTimes(before));
		assertThat(value(apply, "reconciler_run_pointers", "outcome", "cleared")).contains(2.0);
		Map<String, String> dryRun = group("reconcile", "dry-run", 0, 1);
		assertThat(value(dryRun, "reconciler_run_pointers", "outcome", "wouldClear")).contains(0.0);
		assertThat(value(dryRun, "reconciler_run_pointers", "outcome", "live")).contains(30.0);
		assertThat(value(dryRun, "reconciler_run_exit_code")).contains(0.0);
		assertThat(gateway.group(group("report", "dry-run", 0, 1))).isEmpty();
		assertThat(gateway.group(group("restore", "dry-run", 0, 1))).isEmpty();
	}

	@Test
	void reconcileWhenPartitionZeroOfFourRunsKeepsTheSingleRunGroupApart() {
		// given: the single run
		Result single = reconcile("--apply");
		assertThat(single.exitCode()).as(single.err()).isZero();

		// when: partition 0 of 4 runs on the same database
		Result partition = reconcile("--apply", "--partition=0", "--partitions=4");
		assertThat(partition.exitCode()).as(partition.err()).isZero();

		// then: two groups, each with its own run's figures
		Map<String, String> singleGroup = group("reconcile", "apply", 0, 1);
		Map<String, String> partitionGroup = group("reconcile", "apply", 0, 4);
		assertThat(value(singleGroup, "reconciler_run_pointers", "outcome", "read")).contains(33.0);
		Optional<Double> partitionRead = value(partitionGroup, "reconciler_run_pointers", "outcome", "read");
		assertThat(partitionRead).hasValueSatisfying((read) -> assertThat(read).isPositive().isLessThan(33.0));
		assertThat(value(partitionGroup, "reconciler_run_last_success_timestamp_seconds"))
			.contains((double) endedAtOfRun(2));
		assertThat(value(singleGroup, "reconciler_run_last_success_timestamp_seconds"))
			.contains((double) endedAtOfRun(1));
	}

	@Test
	void reconcileWhileItWorksShowsItsProgressAndOnceEndedItsFinalStateWithoutARunningFlag() throws Exception {
		// given: last night's run completed (it cleared the 2 gone pointers); tonight
		// Watcher takes 150 ms per answer, asked one pointer at a time, so that the run
		// works for several seconds
		Result lastNight = reconcile("--apply");
		assertThat(lastNight.exitCode()).as(lastNight.err()).isZero();
		this.watcher.server().updateGlobalSettings(GlobalSettings.builder().fixedDelay(150).build());
		Map<String, String> nightly = group("reconcile", "apply", 0, 1);

		// when: it runs, pushing its progress every half second
		CompletableFuture<Result> running = CompletableFuture.supplyAsync(() -> reconcile("--apply", "--chunk-size=3",
				"--concurrency=1", "--reconciler.progress-interval=500ms"));
		try {
			assertProgressThenFinalState(nightly, running);
		}
		finally {
			// never leave the run working in this JVM past its test
			running.exceptionally((failure) -> null).get(RUN_BOUND.toSeconds(), TimeUnit.SECONDS);
		}
	}

	private void assertProgressThenFinalState(Map<String, String> nightly, CompletableFuture<Result> running)
			throws Exception {
		List<Sample> midRun = awaitScrape(nightly, running,
				(samples) -> valueIn(samples, "reconciler_run_running").filter((flag) -> flag == 1.0).isPresent()
						&& valueIn(samples, "reconciler_run_progress_pointers", "outcome", "read")
							.filter((read) -> read >= 3 && read < 31)
							.isPresent());
		logger.info("Scraped while the run worked:\n{}", describe(midRun));

		// then: the scrape taken while it worked shows how far it had got
		assertThat(valueIn(midRun, "reconciler_run_progress_total_pointers")).contains(31.0);
		assertThat(valueIn(midRun, "reconciler_run_progress_pointers", "outcome", "live"))
			.hasValueSatisfying((live) -> assertThat(live).isPositive().isLessThanOrEqualTo(30.0));
		assertThat(valueIn(midRun, "reconciler_run_progress_last_commit_timestamp_seconds"))
			.hasValueSatisfying((at) -> assertThat(at).isCloseTo(Instant.now().getEpochSecond(), within(30.0)));
		// and the final figures are still last night's, its last success included, until
		// this run's end replaces them
		assertThat(valueIn(midRun, "reconciler_run_pointers", "outcome", "read")).contains(33.0);
		assertThat(valueIn(midRun, "reconciler_run_exit_code")).contains(0.0);
		assertThat(valueIn(midRun, "reconciler_run_last_success_timestamp_seconds")).contains((double) endedAtOfRun(1));

		// and once it has ended: the final state, the progress at its end, and no running
		// flag left behind, then or a moment later
		Result result = running.get(RUN_BOUND.toSeconds(), TimeUnit.SECONDS);
		assertThat(result.exitCode()).as(result.err()).isZero();
		for (int look = 0; look < 2; look++) {
			assertThat(value(nightly, "reconciler_run_running")).contains(0.0);
			assertThat(value(nightly, "reconciler_run_exit_code")).contains(0.0);
			assertThat(value(nightly, "reconciler_run_pointers", "outcome", "read")).contains(31.0);
			assertThat(value(nightly, "reconciler_run_progress_pointers", "outcome", "read")).contains(31.0);
			assertThat(value(nightly, "reconciler_run_progress_total_pointers")).contains(31.0);
			assertThat(value(nightly, "reconciler_run_last_success_timestamp_seconds"))
				.contains((double) endedAtOfRun(2));
			Thread.sleep(1000);
		}
		logger.info("Scraped after the run ended:\n{}", describe(gateway.group(nightly)));
	}

	@Test
	void reconcileWhenTwoTablesShareAJobKeepsAGroupAndALastSuccessForEach() {
		// given: a second table of pointers beside Archiver's, reconciled under the same
		// job
		this.database.jdbc()
			.execute("CREATE TABLE information.info_items_copy (LIKE information.info_items INCLUDING ALL)");
		this.database.jdbc().execute("INSERT INTO information.info_items_copy SELECT * FROM information.info_items");
		Result first = reconcile("--apply");
		assertThat(first.exitCode()).as(first.err()).isZero();

		// when: the same kind of run on the other table completes, then fails the next
		// night
		Result copy = reconcile("--apply", "--reconciler.archiver.table=info_items_copy");
		assertThat(copy.exitCode()).as(copy.err()).isZero();
		Result refused = reconcile("--apply", "--reconciler.archiver.table=info_items_copy",
				"--reconciler.watcher.api-key=revoked-key");
		assertThat(refused.exitCode()).as(refused.out()).isEqualTo(2);

		// then: each table has a group of its own, with its own exit code and last
		// success
		Map<String, String> archiver = withTable(group("reconcile", "apply", 0, 1), ARCHIVER_TABLE);
		Map<String, String> copied = withTable(group("reconcile", "apply", 0, 1),
				"information.info_items_copy(info_item_id,watcher_item_id)");
		assertThat(value(archiver, "reconciler_run_exit_code")).contains(0.0);
		assertThat(value(archiver, "reconciler_run_last_success_timestamp_seconds")).contains((double) endedAtOfRun(1));
		assertThat(value(archiver, "reconciler_run_pointers", "outcome", "read")).contains(33.0);
		assertThat(value(copied, "reconciler_run_exit_code")).contains(2.0);
		assertThat(value(copied, "reconciler_run_last_success_timestamp_seconds")).contains((double) endedAtOfRun(2));
	}

	/**
	 * Scrapes the gateway until the group's samples satisfy {@code wanted}, and returns
	 * them; fails when the run ends first.
	 */
	private static List<Sample> awaitScrape(Map<String, String> group, CompletableFuture<Result> run,
			Predicate<List<Sample>> wanted) throws InterruptedException {
		long deadline = System.nanoTime() + RUN_BOUND.toNanos();
		while (System.nanoTime() < deadline) {
			List<Sample> samples = gateway.group(group);
			if (wanted.test(samples)) {
				return samples;
			}
			assertThat(run).as(() -> "the run ended before a scrape showed it working: " + run.join()).isNotDone();
			Thread.sleep(50);
		}
		throw new AssertionError("No scrape showed the run working within " + RUN_BOUND);
	}

	private static Optional<Double> valueIn(List<Sample> samples, String name, String... labels) {
		return samples.stream().filter((sample) -> sample.name().equals(name)).filter((sample) -> {
			for (int i = 0; i < labels.length; i += 2) {
				if (!labels[i + 1].equals(sample.labels().get(labels[i]))) {
					return false;
				}
			}
			return true;
		}).map(Sample::value).findFirst();
	}

	private static String describe(List<Sample> samples) {
		return samples.stream()
			.filter((sample) -> sample.name().startsWith("reconciler_run_"))
			.map((sample) -> sample.name() + sample.labels() + " " + sample.value())
			.sorted()
			.collect(Collectors.joining("\n"));
	}

	private static Map<String, String> withTable(Map<String, String> group, String table) {
		Map<String, String> key = new LinkedHashMap<>(group);
		key.put("table", table);
		return key;
	}

	private Result reconcile(String... options) {
		List<String> args = new ArrayList<>(List.of(options));
		args.addAll(pushTo(gateway));
		return ReconcilerRun.reconcile(this.database, this.watcher, this.reportDir, args.toArray(String[]::new));
	}

	private Result command(String command, String... options) {
		List<String> args = new ArrayList<>(List.of(command));
		args.addAll(List.of(this.database.springArgs()));
		args.addAll(List.of(options));
		args.addAll(pushTo(gateway));
		return ReconcilerRun.run(args.toArray(String[]::new));
	}

	private static List<String> pushTo(Pushgateway gateway) {
		return List.of("--management.prometheus.metrics.export.pushgateway.enabled=true",
				"--management.prometheus.metrics.export.pushgateway.address=" + gateway.address());
	}

	private static Map<String, String> group(String command, String mode, int partition, int partitions) {
		Map<String, String> key = new LinkedHashMap<>();
		key.put("job", JOB);
		key.put("command", command);
		key.put("mode", mode);
		key.put("partition", String.valueOf(partition));
		key.put("partitions", String.valueOf(partitions));
		return key;
	}

	/** The value of {@code name} in the group, with {@code labels} given as pairs. */
	private static Optional<Double> value(Map<String, String> group, String name, String... labels) {
		Map<String, String> wanted = new LinkedHashMap<>(group);
		for (int i = 0; i < labels.length; i += 2) {
			wanted.put(labels[i], labels[i + 1]);
		}
		List<Sample> samples = gateway.group(wanted).stream().filter((sample) -> sample.name().equals(name)).toList();
		assertThat(samples).as("%s%s", name, wanted).hasSizeLessThanOrEqualTo(1);
		return samples.stream().findFirst().map(Sample::value);
	}

	private static List<Sample> withoutPushTimes(List<Sample> samples) {
		return samples.stream().filter((sample) -> !sample.name().startsWith("push_")).toList();
	}

	/** When the run ended, as the job's own history recorded it, in whole seconds. */
	private long endedAtOfRun(long runId) {
		Long seconds = this.database.jdbc()
			.queryForObject(
					"SELECT floor(extract(epoch FROM ended_at))::bigint FROM watcher_link_reconciler.reconcile_run"
							+ " WHERE run_id = ?",
					Long.class, runId);
		assertThat(seconds).as("run %d in the history", runId).isNotNull();
		return seconds;
	}

}
