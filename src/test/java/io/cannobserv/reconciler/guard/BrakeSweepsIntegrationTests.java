package io.cannobserv.reconciler.guard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import io.cannobserv.reconciler.support.ArchiverTestBed;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.RegistryFixture.PointerClass;
import io.cannobserv.reconciler.support.ReportFiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which runs make one night for the safety brake: the partitions of a night share its
 * figures however late one of them starts, a partition resumed on a later night stays in
 * its own night, and a single run is a night of its own. Watcher answers the typed 404
 * for every pointer, as an empty Watcher of the wrong environment would.
 */
class BrakeSweepsIntegrationTests {

	private static final String JOB_SCHEMA = "watcher_link_reconciler";

	@RegisterExtension
	final ArchiverTestBed bed = new ArchiverTestBed();

	@TempDir
	Path reportDir;

	@Test
	void reconcileWhenAPartitionStartsAfterAnotherHaltedItIsJudgedOnTheNightsFigures() throws Exception {
		// given partition 0 of 4 halted by the share check: chunk 4 reached the sample of
		// 20 with every pointer gone, so chunks 1 to 3 were cleared
		RegistryFixture.create(this.bed.archiver(), this.bed.watcher(), Mix.none().gone(200));
		Run first = partition(0);
		assertThat(first.result().exitCode()).as(first.result().err()).isEqualTo(3);
		assertThat(first.cleared()).isEqualTo(15);

		// when partition 1 starts later the same night
		Run late = partition(1);

		// then its first chunk brings the night to the sample, all gone: it clears
		// nothing
		assertThat(late.result().exitCode()).as(late.result().err()).isEqualTo(3);
		assertThat(late.cleared()).isZero();
		assertThat(late.report().get("brake").get("message").asString())
			.startsWith("20 of 20 pointers checked by the 4 partitions of this night (100%) are gone, above "
					+ "--max-clear-fraction=0.5 after a sample of 20");
		assertThat(late.report().get("brake").get("override").asString()).isEqualTo("--max-clear-fraction=1");
		assertThat(sweepOf(late)).isEqualTo(sweepOf(first));
		assertThat(clears()).isEqualTo(15);
	}

	@Test
	void reconcileWhenAPartitionResumesOnALaterNightItStaysInItsNightWhileANewPartitionStartsANewOne()
			throws Exception {
		// given partition 0 halted last night, 15 cleared
		RegistryFixture.create(this.bed.archiver(), this.bed.watcher(), Mix.none().gone(200));
		Run halted = partition(0);
		assertThat(halted.cleared()).isEqualTo(15);
		this.bed.database()
			.jdbc()
			.update("UPDATE " + JOB_SCHEMA + ".brake_sweep SET opened_at = opened_at - interval '1 day'");

		// when tonight it resumes, and partition 2 starts, each allowed 30 clears a night
		Run resumed = partition(0, "--max-clear-fraction=1", "--max-clears=30");
		Run tonight = partition(2, "--max-clear-fraction=1", "--max-clears=30");

		// then the resumed run finished last night's 30 (15 more), while partition 2 had
		// tonight's 30 to itself
		assertThat(resumed.report().get("runId").asLong()).isEqualTo(halted.report().get("runId").asLong());
		assertThat(resumed.result().exitCode()).as(resumed.result().err()).isEqualTo(3);
		assertThat(resumed.cleared()).as("cleared by the run, both nights").isEqualTo(30);
		assertThat(sweepOf(resumed)).isEqualTo(sweepOf(halted));
		assertThat(tonight.result().exitCode()).as(tonight.result().err()).isEqualTo(3);
		assertThat(tonight.cleared()).isEqualTo(30);
		assertThat(sweepOf(tonight)).isNotEqualTo(sweepOf(halted));
		assertThat(clears()).isEqualTo(60);
	}

	@Test
	void reconcileWhenSingleRunsFollowEachOtherEachIsANightOfItsOwn() throws Exception {
		// given a night that cleared the most it may
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().live(40).gone(10));
		Run first = run("single-1", "--max-clears=10");
		assertThat(first.result().exitCode()).as(first.result().err()).isZero();
		assertThat(first.cleared()).isEqualTo(10);

		// when ten more WatchedItems are deleted before the next night
		registry.entries()
			.stream()
			.filter((entry) -> entry.pointerClass() == PointerClass.LIVE)
			.limit(10)
			.forEach((entry) -> this.bed.watcher().deleted(String.valueOf(entry.watcherItemId())));
		Run next = run("single-2", "--max-clears=10");

		// then
		assertThat(next.result().exitCode()).as(next.result().err()).isZero();
		assertThat(next.cleared()).isEqualTo(10);
		assertThat(sweepOf(next)).isNotEqualTo(sweepOf(first));
	}

	private Run partition(int partition, String... options) throws Exception {
		List<String> args = new ArrayList<>(List.of("--partitions=4", "--partition=" + partition));
		args.addAll(List.of(options));
		return run("partition-" + partition, args.toArray(String[]::new));
	}

	private Run run(String name, String... options) throws Exception {
		Path reports = this.reportDir.resolve(name);
		Files.createDirectories(reports);
		List<String> args = new ArrayList<>(
				List.of("--apply", "--chunk-size=5", "--max-requests-per-second=0", "--read-timeout=10s"));
		args.addAll(List.of(options));
		Result result = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), reports,
				args.toArray(String[]::new));
		// a resumed run rewrites its run's report
		return new Run(result, ReportFiles.only(reports));
	}

	private long sweepOf(Run run) {
		Long sweep = this.bed.database()
			.jdbc()
			.queryForObject("SELECT sweep_id FROM " + JOB_SCHEMA + ".brake_sweep_run WHERE run_id = ?", Long.class,
					run.report().get("runId").asLong());
		return (sweep != null) ? sweep : -1;
	}

	private long clears() {
		Long clears = this.bed.database()
			.jdbc()
			.queryForObject("SELECT count(*) FROM " + JOB_SCHEMA + ".pointer_clear", Long.class);
		return (clears != null) ? clears : 0;
	}

	private record Run(Result result, JsonNode report) {

		long cleared() {
			return this.report.get("counts").get("cleared").asLong();
		}

	}

}
