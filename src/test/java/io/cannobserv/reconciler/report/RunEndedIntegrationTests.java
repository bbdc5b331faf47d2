package io.cannobserv.reconciler.report;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.cannobserv.reconciler.run.ExitCode;
import io.cannobserv.reconciler.support.ArchiverTestBed;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The end of a run is one event: recording it may fail the command, as it always could;
 * any other listener that fails is logged, the ones after it still hear the event, and
 * the run's exit code stands.
 */
@ExtendWith(OutputCaptureExtension.class)
class RunEndedIntegrationTests {

	@RegisterExtension
	final ArchiverTestBed bed = new ArchiverTestBed();

	@TempDir
	Path reportDir;

	@BeforeEach
	void setUp() {
		RegistryFixture.create(this.bed.archiver(), this.bed.watcher(), Mix.none().live(3).gone(2));
		RunEndedTestListeners.heard.clear();
	}

	@Test
	void reconcileWhenAListenerOfTheRunsEndFailsKeepsTheExitCodeAndTellsTheOthers(CapturedOutput output) {
		// when
		Result result = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.reportDir, "--apply",
				"--spring.main.sources=" + RunEndedTestListeners.class.getName());

		// then
		assertThat(result.exitCode()).as(result.err()).isZero();
		assertThat(this.reportDir.resolve("run-1.json")).exists();
		assertThat(RunEndedTestListeners.heard).singleElement().satisfies((ended) -> {
			assertThat(ended.exitCode()).isEqualTo(ExitCode.COMPLETED);
			assertThat(ended.report().runId()).isEqualTo(1);
		});
		assertThat(output.getOut()).contains("A listener of the run's end failed")
			.contains("notification service unreachable");
	}

	@Test
	void reconcileWhenTheRunCannotBeRecordedExitsOneAndTellsNoOne() throws Exception {
		// given a report directory that is a file
		Path notADirectory = Files.createFile(this.reportDir.resolve("not-a-directory"));

		// when
		Result result = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), notADirectory, "--apply",
				"--spring.main.sources=" + RunEndedTestListeners.class.getName());

		// then
		assertThat(result.exitCode()).isEqualTo(1);
		assertThat(result.err().strip()).doesNotContain("\n").contains("run failed").contains("not-a-directory");
		assertThat(RunEndedTestListeners.heard).isEmpty();
	}

}
