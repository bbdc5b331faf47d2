package io.cannobserv.reconciler.reconcile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.JdbcTemplate;

import io.cannobserv.reconciler.support.ArchiverTestBed;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Entry;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.RegistryFixture.PointerClass;
import io.cannobserv.reconciler.support.ReportFiles;
import io.cannobserv.reconciler.support.Ulids;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which run a launch resumes: the unfinished run of its mode, partition and table however
 * many runs came after it, never one that splits the pointers otherwise, and a run on
 * another table as a run of its own.
 * <p>
 * The unfinished run here is one the safety brake halted (exit 3), which an operator
 * resumes with a looser limit.
 */
class ResumeIntegrationTests {

	private static final String JOB_SCHEMA = "watcher_link_reconciler";

	/**
	 * Chunks of 5 and a sample of 5: a Watcher that answers gone for more than half of
	 * the pointers trips the brake early.
	 */
	private static final String[] SMALL_SAMPLE = { "--chunk-size=5", "--brake-min-sample=5",
			"--max-requests-per-second=0" };

	private static final String OVERRIDE = "--max-clear-fraction=1";

	@RegisterExtension
	final ArchiverTestBed bed = new ArchiverTestBed();

	@TempDir
	Path reportDir;

	@Test
	void reconcileWhenManyRunsCameAfterAnUnfinishedApplyRunStillResumesIt() throws Exception {
		// given an apply run halted by the brake, then three weeks of nightly dry runs,
		// seven nights of three partitions
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(), Mix.none().gone(10));
		Result halted = reconcile(this.reportDir, "--apply");
		assertThat(halted.exitCode()).as(halted.out() + halted.err()).isEqualTo(3);
		long haltedRun = ReportFiles.only(this.reportDir).get("runId").asLong();
		Path dryRuns = Files.createDirectory(this.reportDir.resolve("dry-runs"));
		for (int night = 0; night < 7; night++) {
			for (int partition = 0; partition < 3; partition++) {
				Result dryRun = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), dryRuns,
						"--max-requests-per-second=0", "--partition=" + partition, "--partitions=3");
				assertThat(dryRun.exitCode()).as(dryRun.out() + dryRun.err()).isZero();
			}
		}

		// when the operator resumes the apply run with the override
		Result resumed = reconcile(this.reportDir, "--apply", OVERRIDE);

		// then it is the halted run that goes on, not a new one from the first pointer
		assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
		JsonNode report = ReportFiles.only(this.reportDir);
		assertThat(report.get("runId").asLong()).isEqualTo(haltedRun);
		assertThat(report.get("executions").asInt()).isEqualTo(2);
		assertThat(report.get("counts").get("cleared").asLong()).isEqualTo(10);
		assertThat(runIdsOfClears()).containsOnly(haltedRun);
		assertThat(jdbc().queryForObject("SELECT status FROM " + JOB_SCHEMA + ".batch_job_execution e JOIN "
				+ JOB_SCHEMA + ".batch_job_execution_params p USING (job_execution_id) WHERE p.parameter_name = 'mode' "
				+ "AND p.parameter_value = 'apply' ORDER BY e.job_execution_id DESC LIMIT 1", String.class))
			.isEqualTo("COMPLETED");
		for (Entry entry : registry.entries()) {
			assertThat(this.bed.archiver().pointerOf(entry.infoItemId())).as(entry.infoItemId()).isNull();
		}
	}

	@Test
	void reconcileWhenPartitionsChangedBeforeTheResumeRefusesAndSaysHowToProceed() throws Exception {
		// given an unfinished run of the whole registry
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().gone(12).live(8));
		assertThat(reconcile(this.reportDir, "--apply").exitCode()).isEqualTo(3);
		long unfinished = ReportFiles.only(this.reportDir).get("runId").asLong();
		int lookups = this.bed.watcher().itemRequests().size();
		Path partitioned = Files.createDirectory(this.reportDir.resolve("partitioned"));

		// when the same command runs split in two
		Result refused = reconcile(partitioned, "--apply", OVERRIDE, "--partition=1", "--partitions=2");

		// then it refuses, on one line that says how to go on, and reads nothing
		assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(2);
		assertThat(refused.err().lines()).singleElement()
			.asString()
			.contains("Run " + unfinished + " (apply, partition 0 of 1)")
			.contains("--partition=0 --partitions=1")
			.contains("--fresh");
		assertThat(this.bed.watcher().itemRequests()).as("the probe of preflight, nothing more").hasSize(lookups + 1);
		assertThat(partitioned).isEmptyDirectory();
		assertThat(jdbc().queryForObject("SELECT count(*) FROM " + JOB_SCHEMA + ".batch_job_instance", Long.class))
			.isOne();

		// when the operator abandons the unfinished run instead, then runs the other half
		Result fresh = reconcile(partitioned, "--apply", OVERRIDE, "--partition=1", "--partitions=2", "--fresh");
		Result otherHalf = reconcile(partitioned, "--apply", OVERRIDE, "--partition=0", "--partitions=2");

		// then the two halves check the registry
		assertThat(fresh.exitCode()).as(fresh.out() + fresh.err()).isZero();
		assertThat(otherHalf.exitCode()).as(otherHalf.out() + otherHalf.err()).isZero();
		assertThat(jdbc().queryForObject(
				"SELECT status FROM " + JOB_SCHEMA
						+ ".batch_job_execution WHERE job_instance_id = ? ORDER BY job_execution_id DESC LIMIT 1",
				String.class, unfinished))
			.isEqualTo("ABANDONED");
		assertThat(runIdsOfClears()).hasSizeGreaterThan(1);
		assertThat(jdbc().queryForList("SELECT info_item_id FROM " + JOB_SCHEMA + ".pointer_clear", String.class))
			.as("each gone pointer cleared once, by the abandoned run or one of the halves")
			.containsExactlyInAnyOrderElementsOf(registry.ids(PointerClass.GONE));
	}

	@Test
	void reconcileWhenTableChangedBeforeTheResumeRunsTheOtherTableAsARunOfItsOwn() throws Exception {
		// given an unfinished run on Archiver's table, and a table of another name, with
		// other column names, in another schema
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().gone(12).live(8));
		assertThat(reconcile(this.reportDir, "--apply").exitCode()).isEqualTo(3);
		JsonNode halted = ReportFiles.only(this.reportDir);
		long unfinished = halted.get("runId").asLong();
		// the report counts the halted chunk as judged; committed is what came before it
		long committed = halted.get("counts").get("read").asLong() - halted.get("brake").get("notWritten").asLong();
		List<String> copyGone = new ArrayList<>();
		jdbc().execute("CREATE SCHEMA copy");
		jdbc().execute("CREATE TABLE copy.linked_items (item_id VARCHAR(26) PRIMARY KEY, watcher_ref VARCHAR(50), "
				+ "updated_at TIMESTAMPTZ NOT NULL DEFAULT now())");
		for (int n = 1; n <= 9; n++) {
			String item = Ulids.of("01HZZC0PY", n);
			String watched = Ulids.of("01HZZC0PYW", n);
			if (n % 3 == 0) {
				copyGone.add(item);
			}
			else {
				this.bed.watcher().live(watched, item);
			}
			jdbc().update("INSERT INTO copy.linked_items (item_id, watcher_ref) VALUES (?, ?)", item, watched);
		}
		Path copyReports = Files.createDirectory(this.reportDir.resolve("copy"));

		// when a run is configured for the other table
		Result onCopy = reconcile(copyReports, "--apply", "--reconciler.archiver.schema=copy",
				"--reconciler.archiver.table=linked_items", "--reconciler.archiver.id-column=item_id",
				"--reconciler.archiver.pointer-column=watcher_ref");

		// then it reconciles that table, every row once, as a new run
		assertThat(onCopy.exitCode()).as(onCopy.out() + onCopy.err()).isZero();
		JsonNode copyReport = ReportFiles.only(copyReports);
		assertThat(copyReport.get("runId").asLong()).isNotEqualTo(unfinished);
		assertThat(copyReport.get("table").asString()).isEqualTo("copy.linked_items(item_id,watcher_ref)");
		assertThat(copyReport.get("counts").get("read").asLong()).isEqualTo(9);
		assertThat(jdbc().queryForList("SELECT item_id FROM copy.linked_items WHERE watcher_ref IS NULL", String.class))
			.containsExactlyInAnyOrderElementsOf(copyGone);

		// when Archiver's table is configured again
		Result resumed = reconcile(this.reportDir, "--apply", OVERRIDE);

		// then its unfinished run resumes where it stopped: at the chunk that tripped the
		// brake, whose pointers are asked about again
		assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
		JsonNode report = ReportFiles.only(this.reportDir);
		assertThat(report.get("runId").asLong()).isEqualTo(unfinished);
		assertThat(report.get("executions").asInt()).isEqualTo(2);
		assertThat(report.get("counts").get("read").asLong()).isEqualTo(registry.entries().size());
		for (int i = 0; i < registry.entries().size(); i++) {
			Entry entry = registry.entries().get(i);
			assertThat(this.bed.watcher().requestsFor(entry.watcherItemId())).as(entry.infoItemId())
				.hasSize((i >= committed && i < committed + 5) ? 2 : 1);
		}
		assertThat(jdbc().queryForList("SELECT info_item_id FROM " + JOB_SCHEMA + ".pointer_clear WHERE run_id = ?",
				String.class, unfinished))
			.containsExactlyInAnyOrderElementsOf(registry.ids(PointerClass.GONE));
	}

	/** Reconcile in chunks of 5, with the brake judging from 5 pointers on. */
	private Result reconcile(Path reports, String... options) {
		String[] all = Stream.concat(Stream.of(SMALL_SAMPLE), Stream.of(options)).toArray(String[]::new);
		return ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), reports, all);
	}

	private List<Long> runIdsOfClears() {
		return jdbc().queryForList("SELECT DISTINCT run_id FROM " + JOB_SCHEMA + ".pointer_clear", Long.class);
	}

	private JdbcTemplate jdbc() {
		return this.bed.database().jdbc();
	}

}
