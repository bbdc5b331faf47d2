package io.cannobserv.reconciler.demo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.cannobserv.reconciler.demo.DemoRegistryApplication.Demo;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo as a newcomer meets it, on a small registry: no warning that is not its own,
 * its run's report in three formats where it says, and, kept, a database that the
 * {@code export} lines it prints reach, where {@code report} and {@code restore} work.
 */
@ExtendWith(OutputCaptureExtension.class)
class DemoRegistryApplicationTests {

	private static final Pattern EXPORT = Pattern.compile("(?m)^  export ([A-Z_]+)=(\\S+)$");

	@Test
	void demoWhenRunLeavesItsReportsAndAKeptDatabaseThatReportAndRestoreReach(CapturedOutput output,
			@TempDir Path dir) {
		// given
		Mix registry = Mix.none().live(20).archived(2).gone(4).notFoundUnconfirmed(1).transientAlways(1).malformed(1);
		Path reports = dir.resolve("reports");
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();

		// when
		try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
				PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
				Demo demo = Demo.run(registry, reports, outStream, errStream)) {
			demo.printKept(outStream);
			String printed = out.toString(StandardCharsets.UTF_8);

			// then the run, and its report three ways, with how to open each
			assertThat(demo.exitCode()).as(printed + err).isZero();
			long runId = demo.runId();
			assertThat(printed).contains("Run " + runId + " (apply): COMPLETED, exit code 0");
			Path html = reports.resolve("run-" + runId + ".html");
			Path markdown = reports.resolve("run-" + runId + ".md");
			Path json = reports.resolve("run-" + runId + ".json");
			assertThat(html).content().startsWith("<!DOCTYPE html>");
			assertThat(markdown).content().startsWith("### Watcher link reconciler: run " + runId);
			assertThat(json).content().contains("\"schemaVersion\"");
			assertThat(printed).contains("xdg-open " + html).contains("less " + markdown).contains(json.toString());
			assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
			// no warning but the demo's own: none here
			assertThat(output.getAll().lines().filter((line) -> line.contains(" WARN "))).isEmpty();

			// and the export lines reach the kept database: report and restore work there
			Map<String, String> exports = exports(printed);
			assertThat(exports).containsKeys("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME",
					"SPRING_DATASOURCE_PASSWORD", "WATCHER_BASE_URL", "WATCHER_API_KEY");
			assertThat(printed).contains("report --run " + runId + " --format=html")
				.contains("restore --run " + runId + " --apply");
			Result report = ReconcilerRun.run(withDatabase(exports, "report", "--run", String.valueOf(runId)));
			assertThat(report.exitCode()).as(report.err()).isZero();
			assertThat(report.out()).startsWith("Run " + runId + " (apply): COMPLETED").contains("cleared 4");
			Result restore = ReconcilerRun.run(withDatabase(exports, "restore", "--run", String.valueOf(runId)));
			assertThat(restore.exitCode()).as(restore.err()).isZero();
			assertThat(restore.out()).contains("Restore of run " + runId + " (dry-run): 4 pointer(s) to put back");
		}
	}

	@Test
	void keepWhenAskedByEnvironmentOrPropertyKeepsTheDatabase() {
		assertThat(DemoRegistryApplication.keep(Map.of(), null)).isFalse();
		assertThat(DemoRegistryApplication.keep(Map.of("DEMO_KEEP", "true"), null)).isTrue();
		assertThat(DemoRegistryApplication.keep(Map.of("DEMO_KEEP", "1"), null)).isTrue();
		assertThat(DemoRegistryApplication.keep(Map.of("DEMO_KEEP", "true"), "false")).isFalse();
		assertThat(DemoRegistryApplication.keep(Map.of(), "yes")).isTrue();
	}

	private static Map<String, String> exports(String printed) {
		Map<String, String> exports = new LinkedHashMap<>();
		Matcher matcher = EXPORT.matcher(printed);
		while (matcher.find()) {
			exports.put(matcher.group(1), matcher.group(2));
		}
		return exports;
	}

	/** A command with the exported settings, as the environment would give them. */
	private static String[] withDatabase(Map<String, String> exports, String... command) {
		List<String> args = new ArrayList<>(List.of(command));
		args.add("--spring.datasource.url=" + exports.get("SPRING_DATASOURCE_URL"));
		args.add("--spring.datasource.username=" + exports.get("SPRING_DATASOURCE_USERNAME"));
		args.add("--spring.datasource.password=" + exports.get("SPRING_DATASOURCE_PASSWORD"));
		return args.toArray(String[]::new);
	}

}
