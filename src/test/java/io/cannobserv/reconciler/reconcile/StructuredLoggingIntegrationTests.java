package io.cannobserv.reconciler.reconcile;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.cannobserv.reconciler.support.ArchiverDatabase;
import io.cannobserv.reconciler.support.ArchiverVersion;
import io.cannobserv.reconciler.support.ExpectedBuild;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.TestDatabase;
import io.cannobserv.reconciler.support.TestPostgres;
import io.cannobserv.reconciler.version.BuildVersion;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code kubernetes} profile logs for machines: one JSON object per line, every line
 * of the run carries its id, and every line the build's version and commit.
 */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLoggingIntegrationTests {

	private final JsonMapper json = JsonMapper.builder().build();

	private FakeWatcher watcher;

	@TempDir
	Path reportDir;

	@BeforeEach
	void startWatcher() {
		this.watcher = new FakeWatcher().start();
	}

	@AfterEach
	void stopWatcher() {
		this.watcher.stop();
	}

	@Test
	void reconcileWhenKubernetesProfileLogsJsonLinesCarryingTheRunId(CapturedOutput output) {
		TestDatabase database = TestPostgres.newDatabase();
		ArchiverDatabase archiver = ArchiverDatabase.createSchema(database.jdbc(), ArchiverVersion.V4_10);
		RegistryFixture registry = RegistryFixture.create(archiver, this.watcher, Mix.none().live(3).gone(2));

		Result result = ReconcilerRun.reconcile(database, this.watcher, this.reportDir, "--apply",
				"--spring.profiles.active=kubernetes");

		assertThat(result.exitCode()).as(result.err()).isZero();
		List<JsonNode> lines = output.getOut()
			.lines()
			.filter((line) -> line.startsWith("{"))
			.map(this.json::readTree)
			.filter((line) -> line.has("@timestamp"))
			.toList();
		List<JsonNode> runLines = lines.stream()
			.filter((line) -> line.path("message").asString("").contains("Chunk committed")
					|| line.path("message").asString("").contains("Cleared pointer"))
			.toList();
		// one chunk line and a line per clear, each with the run id
		assertThat(runLines).hasSize(1 + registry.ids(RegistryFixture.PointerClass.GONE).size());
		assertThat(runLines).allSatisfy((line) -> assertThat(line.path("runId").asString()).isEqualTo("1"));
		// and every line names the build, as ECS's service.version
		assertThat(lines).allSatisfy((line) -> assertThat(line.path("service").path("version").asString())
			.isEqualTo(BuildVersion.current().label())
			.startsWith(ExpectedBuild.version()));
	}

}
