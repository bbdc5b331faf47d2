package io.cannobserv.reconciler.reconcile;

import java.nio.file.Files;
import java.nio.file.Path;
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
import io.cannobserv.reconciler.support.ReportFiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which run a launch resumes: the unfinished run of its mode, partition and table however
 * many runs came after it.
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
