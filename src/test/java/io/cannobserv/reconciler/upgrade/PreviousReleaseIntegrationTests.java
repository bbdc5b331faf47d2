package io.cannobserv.reconciler.upgrade;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.support.ArchiverTestBed;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.RegistryFixture.PointerClass;
import io.cannobserv.reconciler.support.ReportSchema;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database that release 0.1.0 left behind: its run history (the counts as eleven
 * columns, no table in a run's identity) and an apply run it left unfinished after two
 * chunks (the counts in the step's execution context, under the keys 0.1.0 wrote). This
 * release migrates the schema, reads the old history unchanged and resumes the old run
 * with its counts.
 */
class PreviousReleaseIntegrationTests {

	/** The registry 0.1.0's run was made on (see unfinished-run.sql). */
	private static final Mix MIX = Mix.none()
		.live(10)
		.archived(2)
		.gone(8)
		.notFoundUnconfirmed(2)
		.mismatched(1)
		.malformed(2)
		.transientAlways(1);

	private static final String ARCHIVER_TABLE = "information.info_items(info_item_id,watcher_item_id)";

	private final JsonMapper json = JsonMapper.builder().build();

	@RegisterExtension
	final ArchiverTestBed bed = new ArchiverTestBed();

	@TempDir
	Path reportDir;

	private RegistryFixture registry;

	@BeforeEach
	void setUp() throws Exception {
		this.registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(), MIX);
		PreviousRelease.load(this.bed.database());
	}

	@Test
	void reportWhenHistoryWasWrittenByThePreviousReleaseShowsTheSameRun() {
		// when
		List<String> args = new ArrayList<>(List.of("report", "--run", "1", "--format=json"));
		args.addAll(List.of(this.bed.database().springArgs()));
		Result result = ReconcilerRun.run(args.toArray(String[]::new));

		// then: 0.1.0's own report file, plus the table its run was made on (and 0 of any
		// outcome added since; how 0.1.0 asked Watcher: per item, no re-link, no
		// snapshot)
		assertThat(result.exitCode()).as(result.err()).isZero();
		ObjectNode expected = (ObjectNode) this.json.readTree(PreviousRelease.resource("run-1.json"));
		JsonNode countsOf010 = expected.get("counts").deepCopy();
		// what this release's document adds: its version, the time worked (not recorded
		// by 0.1.0), the brake's limit, override and halted chunk (none), and verdicts
		// named as the counts name them
		expected.put("schemaVersion", 2);
		expected.putNull("workedMillis");
		ObjectNode brake = (ObjectNode) expected.get("brake");
		brake.putNull("limit");
		brake.putNull("override");
		brake.put("notWritten", 0);
		expected.get("skipped")
			.forEach((skipped) -> ((ObjectNode) skipped).put("verdict",
					Outcome.valueOf(skipped.get("verdict").asString()).jsonName()));
		expected.put("table", ARCHIVER_TABLE);
		expected.put("strategy", "per-item");
		expected.put("relink", false);
		expected.putNull("snapshot");
		expected.putArray("relinked");
		expected.putArray("wouldRelink");
		for (Outcome outcome : Outcome.values()) {
			if (!countsOf010.has(outcome.jsonName())) {
				((ObjectNode) expected.get("counts")).put(outcome.jsonName(), 0);
			}
		}
		assertThat(this.json.readTree(result.out())).isEqualTo(expected);
		ReportSchema.assertValid(result.out());
		// and every human format still renders it
		for (String format : List.of("text", "markdown", "html")) {
			List<String> rendered = new ArrayList<>(List.of("report", "--run", "1", "--format=" + format));
			rendered.addAll(List.of(this.bed.database().springArgs()));
			Result human = ReconcilerRun.run(rendered.toArray(String[]::new));
			assertThat(human.exitCode()).as(format + ": " + human.err()).isZero();
			assertThat(human.out()).as(format).contains("not recorded").doesNotContain("null");
		}
		Map<String, Object> migrated = this.bed.database()
			.jdbc()
			.queryForMap("SELECT counts::text AS counts, archiver_table FROM " + PreviousRelease.JOB_SCHEMA
					+ ".reconcile_run WHERE run_id = 1");
		assertThat(this.json.readTree((String) migrated.get("counts"))).isEqualTo(countsOf010);
		assertThat(migrated.get("archiver_table")).isEqualTo(ARCHIVER_TABLE);
	}

	@Test
	void reconcileWhenThePreviousReleaseLeftARunUnfinishedResumesItWithItsCounts() throws Exception {
		// given 0.1.0's run: 8 pointers read and committed, 1 of them gone and cleared

		// when
		Result result = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.reportDir, "--apply",
				"--chunk-size=4", "--concurrency=1");

		// then the same run, counted across both releases' executions as one run
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		JsonNode report = this.json.readTree(Files.readString(this.reportDir.resolve("run-1.json")));
		assertThat(report.get("runId").asLong()).isEqualTo(1);
		assertThat(report.get("executions").asInt()).isEqualTo(2);
		assertThat(report.get("table").asString()).isEqualTo(ARCHIVER_TABLE);
		JsonNode counts = report.get("counts");
		assertThat(counts.get("read").asLong()).isEqualTo(MIX.total());
		assertThat(counts.get("live").asLong()).isEqualTo(MIX.live());
		assertThat(counts.get("archived").asLong()).isEqualTo(MIX.archived());
		assertThat(counts.get("gone").asLong()).isEqualTo(MIX.gone());
		assertThat(counts.get("cleared").asLong()).isEqualTo(MIX.gone());
		assertThat(counts.get("notFoundUnconfirmed").asLong()).isEqualTo(MIX.notFoundUnconfirmed());
		assertThat(counts.get("malformed").asLong()).isEqualTo(MIX.malformed());
		assertThat(counts.get("mismatched").asLong()).isEqualTo(MIX.mismatched());
		assertThat(counts.get("transient").asLong()).isEqualTo(MIX.transientAlways());
		// every gone pointer cleared once, the one 0.1.0 cleared included, and nothing
		// else
		List<String> cleared = this.bed.database()
			.jdbc()
			.queryForList("SELECT info_item_id FROM " + PreviousRelease.JOB_SCHEMA
					+ ".pointer_clear WHERE run_id = 1 ORDER BY info_item_id", String.class);
		assertThat(cleared).containsExactlyElementsOf(this.registry.ids(PointerClass.GONE));
		for (var entry : this.registry.entries()) {
			String pointer = this.bed.archiver().pointerOf(entry.infoItemId());
			if (entry.pointerClass() == PointerClass.GONE) {
				assertThat(pointer).as(entry.infoItemId()).isNull();
			}
			else {
				assertThat(pointer).as(entry.infoItemId()).isEqualTo(entry.watcherItemId());
			}
		}
	}

	@Test
	void restoreWhenTheClearWasRecordedByThePreviousReleasePutsItBackWhileTheRowIsAsTheClearLeftIt() {
		// given 0.1.0's run cleared one pointer, and the row is as that clear left it
		String cleared = this.registry.ids(PointerClass.GONE).get(0);
		assertThat(this.bed.archiver().pointerOf(cleared)).isNull();

		// when
		Result result = restore("--apply");

		// then
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		assertThat(result.out()).contains("restored 1, left alone 0, superseded 0");
		assertThat(this.bed.archiver().pointerOf(cleared)).isEqualTo(this.registry.entry(cleared).watcherItemId());
	}

	@Test
	void restoreWhenTheClearWasRecordedByThePreviousReleaseLeavesARowChangedSinceAsItIs() {
		// given 0.1.0's run cleared one pointer, and Archiver changed the row since
		String cleared = this.registry.ids(PointerClass.GONE).get(0);
		this.bed.database()
			.jdbc()
			.update("UPDATE information.info_items SET name = 'renamed', updated_at = now() WHERE info_item_id = ?",
					cleared);
		Map<String, Object> before = this.bed.database()
			.jdbc()
			.queryForMap("SELECT * FROM information.info_items WHERE info_item_id = ?", cleared);

		// when
		Result result = restore("--apply");

		// then
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		assertThat(result.out()).contains("restored 0, left alone 0, superseded 1")
			.contains(cleared + " -> " + this.registry.entry(cleared).watcherItemId()
					+ "  superseded: changed in Archiver since the clear");
		assertThat(this.bed.database()
			.jdbc()
			.queryForMap("SELECT * FROM information.info_items WHERE info_item_id = ?", cleared)).isEqualTo(before);
	}

	/** {@code restore} of 0.1.0's run. */
	private Result restore(String... options) {
		List<String> args = new ArrayList<>(List.of("restore", "--run", "1"));
		args.addAll(List.of(this.bed.database().springArgs()));
		args.addAll(List.of(options));
		return ReconcilerRun.run(args.toArray(String[]::new));
	}

}
