package io.cannobserv.reconciler.guard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.support.ArchiverDatabase.Item;
import io.cannobserv.reconciler.support.ArchiverTestBed;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.Ulids;
import io.cannobserv.reconciler.support.Ulids.InvalidPointer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Junk in the pointer column and junk on the command line: the first is reported and
 * never reaches Watcher, the second stops the process before it reads or writes anything,
 * with one line naming what to fix.
 */
@ExtendWith(OutputCaptureExtension.class)
class BadInputIntegrationTests {

	private static final String JOB_SCHEMA = "watcher_link_reconciler";

	/** The id preflight probes with: well-formed, never a WatchedItem. */
	private static final String PROBE_PATH = FakeWatcher.itemPath("00000000000000000000000000");

	private final JsonMapper json = JsonMapper.builder().build();

	@RegisterExtension
	final ArchiverTestBed bed = new ArchiverTestBed();

	@TempDir
	Path reportDir;

	@Test
	void reconcileWhenPointersAreNotUlidsReportsThemMalformedKeepsThemAndNeverSendsThem() throws Exception {
		// given every kind of junk, and one live and one gone pointer beside them
		List<InvalidPointer> invalid = Ulids.invalidPointers();
		List<Item> items = new ArrayList<>();
		Map<String, InvalidPointer> junkById = new HashMap<>();
		for (int i = 0; i < invalid.size(); i++) {
			String id = Ulids.infoItem(i + 1);
			junkById.put(id, invalid.get(i));
			items.add(new Item(id, invalid.get(i).value()));
		}
		String liveId = Ulids.infoItem(100);
		String goneId = Ulids.infoItem(101);
		items.add(new Item(liveId, Ulids.watchedItem(100)));
		items.add(new Item(goneId, Ulids.watchedItem(101)));
		this.bed.archiver().insertItems(items);
		this.bed.watcher().live(Ulids.watchedItem(100), liveId);
		this.bed.watcher().deleted(Ulids.watchedItem(101));
		Map<String, Map<String, @Nullable Object>> statusBefore = this.bed.archiver().watchStatusSnapshot();

		// when
		Result result = reconcile("--apply", "--chunk-size=4");

		// then every junk pointer is reported MALFORMED, with its exact value, and kept
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		JsonNode report = onlyReport();
		assertThat(report.get("counts").get("read").asLong()).isEqualTo(invalid.size() + 2);
		assertThat(report.get("counts").get("malformed").asLong()).isEqualTo(invalid.size());
		assertThat(report.get("counts").get("cleared").asLong()).isEqualTo(1);
		Map<String, JsonNode> skipped = new HashMap<>();
		report.get("skipped").forEach((node) -> skipped.put(node.get("infoItemId").asString(), node));
		assertThat(skipped.keySet()).isEqualTo(junkById.keySet());
		Map<String, Map<String, @Nullable Object>> after = this.bed.archiver().snapshot();
		junkById.forEach((id, junk) -> {
			JsonNode entry = skipped.get(id);
			assertThat(entry.get("verdict").asString()).as(junk.label()).isEqualTo(Outcome.MALFORMED.jsonName());
			assertThat(entry.get("watcherItemId").asString()).as(junk.label()).isEqualTo(junk.value());
			assertThat(entry.get("reason").asString()).as(junk.label()).contains("never sent");
			assertThat(after.get(id).get("watcher_item_id")).as(junk.label()).isEqualTo(junk.value());
			assertThat(this.bed.archiver().watchStatusSnapshot().get(id)).as(junk.label())
				.isEqualTo(statusBefore.get(id));
		});
		assertThat(after.get(liveId).get("watcher_item_id")).isEqualTo(Ulids.watchedItem(100));
		assertThat(after.get(goneId).get("watcher_item_id")).isNull();
		// and the journal proves that no request carried any of them
		Set<String> allowed = Set.of("/health", PROBE_PATH, FakeWatcher.itemPath(Ulids.watchedItem(100)),
				FakeWatcher.itemPath(Ulids.watchedItem(101)));
		List<String> urls = this.bed.watcher().allRequests().stream().map(LoggedRequest::getUrl).toList();
		assertThat(urls).containsAll(allowed);
		assertThat(urls).allSatisfy((url) -> assertThat(allowed).contains(url));
		for (InvalidPointer junk : invalid) {
			if (junk.value().isBlank()) {
				continue; // contained in every string; the allow-list above covers it
			}
			String encoded = URLEncoder.encode(junk.value(), StandardCharsets.UTF_8);
			assertThat(urls).as(junk.label())
				.noneMatch((url) -> url.contains(junk.value()) || url.contains(encoded)
						|| url.contains(junk.value().strip()));
		}
	}

	static Stream<BadOption> badOptions() {
		return Stream.of(
				new BadOption("negative chunk size", "reconcile", List.of("--chunk-size=-5"),
						"--chunk-size must be between 1 and 10000, was -5"),
				new BadOption("negative chunk size as two words", "reconcile", List.of("--chunk-size", "-5"),
						"--chunk-size must be between 1 and 10000, was -5"),
				new BadOption("chunk size without value", "reconcile", List.of("--chunk-size"), "--chunk-size"),
				new BadOption("fraction above 1", "reconcile", List.of("--max-clear-fraction=1.5"),
						"--max-clear-fraction must be between 0 and 1"),
				new BadOption("negative fraction", "reconcile", List.of("--max-clear-fraction=-0.1"),
						"--max-clear-fraction must be between 0 and 1"),
				new BadOption("fraction not a number", "reconcile", List.of("--max-clear-fraction=half"),
						"--max-clear-fraction needs a fraction from 0 to 1 (e.g. --max-clear-fraction=0.5), not 'half'"),
				new BadOption("negative cap", "reconcile", List.of("--max-clears=-1"), "--max-clears"),
				new BadOption("empty sample", "reconcile", List.of("--brake-min-sample=0"), "--brake-min-sample"),
				new BadOption("unknown command", "reconsile", List.of(), "Unknown command 'reconsile'"),
				new BadOption("unknown option", "reconcile", List.of("--max-clear-fraktion=1"),
						"Unknown option --max-clear-fraktion"),
				new BadOption("malformed URL", "reconcile", List.of("--watcher-base-url=not-a-url"),
						"WATCHER_BASE_URL (--watcher-base-url) must be an http(s) URL"),
				new BadOption("URL with the API prefix", "reconcile",
						List.of("--watcher-base-url=http://localhost:1/api/v1"), "without the /api/v1 suffix"),
				new BadOption("partition out of range", "reconcile", List.of("--partition=4", "--partitions=4"),
						"--partition must be between 0 and --partitions minus 1 (3), was 4"),
				new BadOption("run id not a number", "restore", List.of("--run", "abc"),
						"--run needs a run id (a number, as in the report's runId), not 'abc'"),
				new BadOption("empty key", "reconcile", List.of("--reconciler.watcher.api-key="),
						"WATCHER_API_KEY is not set"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badOptions")
	void commandWhenOptionIsBadExitsTwoWithOneLineNamingItAndTouchesNothing(BadOption bad, CapturedOutput output)
			throws Exception {
		// given
		List<String> args = new ArrayList<>(List.of(bad.command()));
		args.addAll(List.of(this.bed.database().springArgs()));
		args.add("--watcher-base-url=" + this.bed.watcher().baseUrl());
		args.add("--reconciler.watcher.api-key=" + this.bed.watcher().apiKey());
		args.add("--report-dir=" + this.reportDir);
		// the bad option last: a repeated option replaces the earlier one
		args.addAll(bad.options());

		// when
		Result result = ReconcilerRun.run(args.toArray(String[]::new));

		// then
		assertNotStarted(result, bad.named(), output);
	}

	@Test
	void reconcileWhenKeyIsNotConfiguredAtAllExitsTwoNamingTheVariable(CapturedOutput output) throws Exception {
		// given no api-key property and no WATCHER_API_KEY (application.properties falls
		// back to it)
		assumeTrue(System.getenv("WATCHER_API_KEY") == null, "WATCHER_API_KEY is set in this JVM's environment");
		List<String> args = new ArrayList<>(List.of("reconcile"));
		args.addAll(List.of(this.bed.database().springArgs()));
		args.add("--watcher-base-url=" + this.bed.watcher().baseUrl());
		args.add("--report-dir=" + this.reportDir);

		// when
		Result result = ReconcilerRun.run(args.toArray(String[]::new));

		// then
		assertNotStarted(result, "WATCHER_API_KEY is not set", output);
	}

	private void assertNotStarted(Result result, String named, CapturedOutput output) throws Exception {
		assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(2);
		assertThat(result.err().lines().toList()).singleElement()
			.satisfies((line) -> assertThat(line).startsWith("watcher-link-reconciler: ").contains(named));
		assertThat(result.out()).isEmpty();
		// no stack trace for the operator to dig the reason out of
		assertThat(output.getAll()).doesNotContain("\tat ").doesNotContain("Caused by:");
		// nothing read, nothing written
		assertThat(this.bed.watcher().itemRequests()).isEmpty();
		assertThat(this.bed.database()
			.jdbc()
			.queryForObject("SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?", Integer.class,
					JOB_SCHEMA))
			.isZero();
		try (var files = Files.list(this.reportDir)) {
			assertThat(files).isEmpty();
		}
	}

	private JsonNode onlyReport() throws Exception {
		try (var files = Files.list(this.reportDir)) {
			List<Path> reports = files.filter((f) -> f.getFileName().toString().matches("run-\\d+\\.json")).toList();
			assertThat(reports).hasSize(1);
			return this.json.readTree(reports.get(0).toFile());
		}
	}

	/**
	 * A command line that must not start.
	 *
	 * @param label the case, for the test name
	 * @param command the command word
	 * @param options the bad options, after valid database and Watcher settings
	 * @param named what the one error line must name
	 */
	record BadOption(String label, String command, List<String> options, String named) {

		@Override
		public String toString() {
			return this.label;
		}

	}

	/**
	 * {@code reconcile} through the command line, with a read timeout that a loaded build
	 * machine cannot trip: nothing here is about timeouts.
	 */
	private Result reconcile(String... options) {
		List<String> args = new ArrayList<>(List.of(options));
		args.add("--read-timeout=10s");
		return ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.reportDir,
				args.toArray(String[]::new));
	}

}
