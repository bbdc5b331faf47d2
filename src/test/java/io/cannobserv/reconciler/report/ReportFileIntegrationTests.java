package io.cannobserv.reconciler.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.cannobserv.reconciler.support.ArchiverDatabase;
import io.cannobserv.reconciler.support.ArchiverVersion;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.TestDatabase;
import io.cannobserv.reconciler.support.TestPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two databases, one report directory: each has a run 1. The second run's file never
 * silently replaces the first's: that is kept beside, named after its run's start.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReportFileIntegrationTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void writeWhenTheFileHoldsRunOneOfAnotherDatabaseKeepsItBesideAndSaysWhere(CapturedOutput output,
			@TempDir Path reports) throws Exception {
		// given run 1 of one database
		Result first = reconcileNewDatabase(reports, Mix.none().live(3).gone(1));
		assertThat(first.exitCode()).as(first.err()).isZero();
		String firstFile = Files.readString(reports.resolve("run-1.json"));
		String firstStart = this.json.readTree(firstFile).get("startedAt").asString();

		// when run 1 of another database writes to the same directory
		Result second = reconcileNewDatabase(reports, Mix.none().live(2));

		// then its report is run-1.json, and the first is kept, whole, beside it
		assertThat(second.exitCode()).as(second.err()).isZero();
		JsonNode current = this.json.readTree(Files.readString(reports.resolve("run-1.json")));
		assertThat(current.get("counts").get("read").asLong()).isEqualTo(2);
		Path aside = reports.resolve("run-1.started-" + firstStart.replaceAll("[^0-9TZ]", "") + ".json");
		assertThat(aside).hasContent(firstFile);
		try (Stream<Path> files = Files.list(reports)) {
			assertThat(files).hasSize(2);
		}
		assertThat(output.getAll()).contains("held the report of another run 1 (started " + firstStart)
			.contains("kept as " + aside.getFileName());

		// (a resumed run replacing its own file: SafetyBrakeIntegrationTests)
	}

	private static Result reconcileNewDatabase(Path reports, Mix mix) {
		TestDatabase database = TestPostgres.newDatabase();
		ArchiverDatabase archiver = ArchiverDatabase.createSchema(database.jdbc(), ArchiverVersion.V4_10);
		try (FakeWatcher watcher = new FakeWatcher().start()) {
			RegistryFixture.create(archiver, watcher, mix);
			return ReconcilerRun.reconcile(database, watcher, reports, List.of("--apply").toArray(String[]::new));
		}
	}

}
