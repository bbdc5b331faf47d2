package io.cannobserv.reconciler.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.cannobserv.reconciler.support.ArchiverDatabase;
import io.cannobserv.reconciler.support.ArchiverVersion;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.RegistryFixture.PointerClass;
import io.cannobserv.reconciler.support.TestDatabase;
import io.cannobserv.reconciler.support.TestPostgres;
import io.cannobserv.reconciler.support.Ulids;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Makes {@code docs/report-example.png}: a week of nights on the demo's registry (a dry
 * run, then apply runs while Watcher deletes a few more items each day and is flaky on
 * some nights), the HTML report of the last night, and Chromium's screenshot of it. Real
 * runs on embedded PostgreSQL and the fake Watcher, like the demo.
 * <p>
 * Not part of the suite (its name matches none of Surefire's test patterns, and it takes
 * a minute or two); run it when the page changes, from the project directory: <pre>
 * mvn -q test -Dtest=HtmlReportExample -Dsurefire.failIfNoSpecifiedTests=false
 * </pre> {@code -Dreport.example.html=FILE} keeps the page too. A JUnit class rather than
 * a {@code main}: a second main class among the test classes would leave
 * {@code mvn spring-boot:test-run} unable to choose the demo.
 */
class HtmlReportExample {

	/** The demo's registry (DemoRegistryApplication). */
	private static final Mix REGISTRY = new Mix(2600, 120, 150, 10, 20, 15, 40, 25, 520);

	@Test
	void writeExampleScreenshot() throws Exception {
		Path png = Path.of("docs/report-example.png");
		String keep = System.getProperty("report.example.html");
		Path html = (keep != null) ? Path.of(keep) : Files.createTempFile("report-example", ".html");
		TestDatabase database = TestPostgres.newDatabase();
		ArchiverDatabase archiver = ArchiverDatabase.createSchema(database.jdbc(), ArchiverVersion.V4_10);
		Path reports = Files.createTempDirectory("report-example-runs");
		try (FakeWatcher watcher = new FakeWatcher().start()) {
			RegistryFixture registry = RegistryFixture.create(archiver, watcher, REGISTRY, 20261126L);
			List<String> live = registry.ids(PointerClass.LIVE);
			night(database, watcher, reports);
			night(database, watcher, reports, "--apply");
			// each later night: Watcher deleted a few more items, and some lookups failed
			int[] deleted = { 4, 9, 2, 6, 3 };
			int[] flaky = { 0, 24, 6, 3, 11 };
			int next = 0;
			for (int night = 0; night < deleted.length; night++) {
				for (int i = 0; i < deleted[night]; i++) {
					watcher.deleted(pointer(registry, live.get(next++)));
				}
				List<String> failing = live.subList(live.size() - flaky[night], live.size());
				failing.forEach((id) -> watcher.failing(pointer(registry, id), 503));
				night(database, watcher, reports, "--apply");
				failing.forEach((id) -> watcher.live(pointer(registry, id), id));
			}
		}
		long lastRun = database.jdbc()
			.queryForObject("SELECT max(run_id) FROM watcher_link_reconciler.reconcile_run", Long.class);
		Result report = ReconcilerRun.run(
				Stream
					.concat(Stream.of("report", "--run", String.valueOf(lastRun), "--format=html", "--output=" + html),
							Stream.of(database.springArgs()))
					.toArray(String[]::new));
		if (report.exitCode() != 0) {
			throw new IllegalStateException("report failed: " + report.err());
		}
		Files.createDirectories(png.toAbsolutePath().getParent());
		HeadlessChromium.screenshot(html, png, 1800);
		assertThat(png).isNotEmptyFile();
		System.out.println("Wrote " + png.toAbsolutePath() + " (page: " + html.toAbsolutePath() + ")");
	}

	private static void night(TestDatabase database, FakeWatcher watcher, Path reports, String... options) {
		List<String> args = new ArrayList<>(List.of(options));
		args.add("--max-requests-per-second=0");
		// a loaded machine must not turn the example into a preflight failure
		args.add("--read-timeout=15s");
		Result result = ReconcilerRun.reconcile(database, watcher, reports, args.toArray(String[]::new));
		if (result.exitCode() != 0) {
			throw new IllegalStateException("reconcile failed: " + result.err());
		}
	}

	private static String pointer(RegistryFixture registry, String infoItemId) {
		String pointer = registry.entry(infoItemId).watcherItemId();
		return (pointer != null) ? pointer : Ulids.watchedItem(0);
	}

}
