package io.cannobserv.reconciler.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import io.cannobserv.reconciler.WatcherReconcilerApplication;
import io.cannobserv.reconciler.support.ArchiverDatabase;
import io.cannobserv.reconciler.support.ArchiverVersion;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.TestDatabase;
import io.cannobserv.reconciler.support.TestPostgres;

/**
 * The real job, in apply mode, against an embedded PostgreSQL 17 and an in-process fake
 * Watcher answering Watcher's real bodies, seeded with a registry of a few thousand
 * InfoItems. Needs nothing but a JDK 17 and Maven: {@code mvn spring-boot:test-run}.
 * Arguments are passed on to the job, after the demo's own.
 * <p>
 * It leaves the run's report in JSON, Markdown and HTML in {@link #REPORT_DIR} (the
 * demo's own: emptied at each start, so a report of another database's run 1 is never
 * there). With {@code DEMO_KEEP=true} in the environment (or {@code -Ddemo.keep=true})
 * the database and the fake Watcher stay up until Ctrl+C, and the demo prints the
 * {@code export} lines and the commands to try {@code report} and {@code restore} on them
 * from another terminal.
 */
public final class DemoRegistryApplication {

	/** Where the demo's reports go, relative to the project. */
	static final Path REPORT_DIR = Path.of("target", "demo", "reports");

	private static final Mix REGISTRY = new Mix(2600, 120, 150, 10, 20, 15, 40, 25, 520);

	private static final String JAR = "target/watcher-link-reconciler.jar";

	private DemoRegistryApplication() {
	}

	public static void main(String[] args) {
		boolean keep = keep(System.getenv(), System.getProperty("demo.keep"));
		int exitCode;
		try (Demo demo = Demo.run(REGISTRY, REPORT_DIR, System.out, System.err, args)) {
			exitCode = demo.exitCode();
			if (keep) {
				demo.printKept(System.out);
				awaitInterrupt();
			}
			else {
				System.out.printf("  To try `report` and `restore` on this run next, keep its database: "
						+ "DEMO_KEEP=true ./mvnw spring-boot:test-run%n");
			}
		}
		System.exit(exitCode);
	}

	/**
	 * Whether the database should outlive the run: {@code DEMO_KEEP} or
	 * {@code -Ddemo.keep}.
	 */
	static boolean keep(Map<String, String> environment, String property) {
		String value = (property != null) ? property : environment.getOrDefault("DEMO_KEEP", "false");
		return List.of("true", "1", "yes").contains(value.strip().toLowerCase(Locale.ROOT));
	}

	/** Until Ctrl+C: the shutdown hooks then stop the database. */
	private static void awaitInterrupt() {
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "demo-stop"));
		try {
			stopped.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * One demo: a registry, a reconcile run on it, and its reports. Closing it stops the
	 * fake Watcher; the database lives as long as the JVM.
	 */
	static final class Demo implements AutoCloseable {

		private final TestDatabase database;

		private final FakeWatcher watcher;

		private final Path reportDir;

		private final int exitCode;

		private final long runId;

		private Demo(TestDatabase database, FakeWatcher watcher, Path reportDir, int exitCode, long runId) {
			this.database = database;
			this.watcher = watcher;
			this.reportDir = reportDir;
			this.exitCode = exitCode;
			this.runId = runId;
		}

		/**
		 * Seed {@code registry}, reconcile it with {@code --apply} and {@code args}, and
		 * write the run's Markdown and HTML reports beside its JSON.
		 */
		static Demo run(Mix registry, Path reportDir, PrintStream out, PrintStream err, String... args) {
			emptied(reportDir);
			TestDatabase database = TestPostgres.newDatabase();
			ArchiverDatabase archiver = ArchiverDatabase.createSchema(database.jdbc(), ArchiverVersion.V4_10);
			FakeWatcher watcher = new FakeWatcher().start();
			RegistryFixture.create(archiver, watcher, registry, 20261126L);
			out.printf("%nDemo registry: %d InfoItems in %s, fake Watcher at %s%n", registry.total(),
					database.jdbcUrl(), watcher.baseUrl());
			out.printf("  %d live, %d archived, %d deleted in Watcher, %d linked to another InfoItem,%n",
					registry.live(), registry.archived(), registry.gone(), registry.mismatched());
			out.printf("  %d answering a 404 that is not Watcher's, %d always failing, %d failing once,%n",
					registry.notFoundUnconfirmed(), registry.transientAlways(), registry.flakyThenLive());
			out.printf("  %d malformed pointers, %d without a pointer%n%n", registry.malformed(),
					registry.withoutPointer());
			List<String> jobArgs = new ArrayList<>(List.of("reconcile", "--apply"));
			jobArgs.addAll(List.of(database.springArgs()));
			jobArgs.add("--watcher-base-url=" + watcher.baseUrl());
			jobArgs.add("--reconciler.watcher.api-key=" + watcher.apiKey());
			jobArgs.add("--report-dir=" + reportDir);
			jobArgs.add("--initial-backoff=20ms");
			jobArgs.add("--max-requests-per-second=0");
			jobArgs.addAll(List.of(args));
			int exitCode = WatcherReconcilerApplication.run(out, err, jobArgs.toArray(String[]::new));
			Long runId = database.jdbc()
				.queryForObject("SELECT max(run_id) FROM watcher_link_reconciler.reconcile_run", Long.class);
			Demo demo = new Demo(database, watcher, reportDir, exitCode, (runId != null) ? runId : 0);
			if (runId != null) {
				demo.writeReports(out, err);
			}
			return demo;
		}

		private void writeReports(PrintStream out, PrintStream err) {
			Path json = this.reportDir.resolve("run-" + this.runId + ".json");
			Path markdown = this.reportDir.resolve("run-" + this.runId + ".md");
			Path html = this.reportDir.resolve("run-" + this.runId + ".html");
			for (Path file : List.of(markdown, html)) {
				String format = file.toString().endsWith(".md") ? "markdown" : "html";
				int code = WatcherReconcilerApplication
					.run(new PrintStream(PrintStream.nullOutputStream()), err,
							Stream
								.concat(Stream.of("report", "--run", String.valueOf(this.runId), "--format=" + format,
										"--output=" + file), Stream.of(this.database.springArgs()))
								.toArray(String[]::new));
				if (code != 0) {
					err.println("demo: the " + format + " report could not be written (exit code " + code + ")");
				}
			}
			out.printf("%nThe run's report, three ways:%n");
			out.printf("  %s   for a browser:  xdg-open %s  (macOS: open, Windows: start)%n", path(html), path(html));
			out.printf("  %s     for a chat or a ticket:  less %s%n", path(markdown), path(markdown));
			out.printf("  %s   the document a script reads:  jq .counts %s%n", path(json), path(json));
		}

		/** The {@code export} lines of the kept database and Watcher, and what to try. */
		void printKept(PrintStream out) {
			out.printf("%nThe demo's database and fake Watcher stay up until you press Ctrl+C. In another "
					+ "terminal, in this directory:%n%n");
			out.printf("  export SPRING_DATASOURCE_URL=%s%n", this.database.jdbcUrl());
			out.printf("  export SPRING_DATASOURCE_USERNAME=%s%n", this.database.username());
			out.printf("  export SPRING_DATASOURCE_PASSWORD=%s%n", this.database.password());
			out.printf("  export WATCHER_BASE_URL=%s%n", this.watcher.baseUrl());
			out.printf("  export WATCHER_API_KEY=%s%n%n", this.watcher.apiKey());
			if (!Files.isRegularFile(Path.of(JAR))) {
				out.printf("  ./mvnw -B -q -DskipTests package     # once: builds %s%n", JAR);
			}
			out.printf("  java -jar %s report                              # the runs, one line each%n", JAR);
			out.printf("  java -jar %s report --run %d --format=html --output=run-%d.html%n", JAR, this.runId,
					this.runId);
			out.printf("  java -jar %s restore --run %d                    # dry run: what undoing it would put back%n",
					JAR, this.runId);
			out.printf("  java -jar %s restore --run %d --apply            # undo the run's clears%n", JAR, this.runId);
			out.printf("  java -jar %s reconcile                           # a dry run on what is left%n", JAR);
		}

		int exitCode() {
			return this.exitCode;
		}

		long runId() {
			return this.runId;
		}

		TestDatabase database() {
			return this.database;
		}

		@Override
		public void close() {
			this.watcher.close();
		}

		private static String path(Path file) {
			return file.toString();
		}

		/**
		 * The demo's own report directory, empty: its files are of an earlier demo's
		 * database.
		 */
		private static void emptied(Path directory) {
			try {
				if (Files.isDirectory(directory)) {
					try (Stream<Path> files = Files.walk(directory)) {
						for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
							Files.delete(file);
						}
					}
				}
				Files.createDirectories(directory);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot empty the demo's report directory " + directory, ex);
			}
		}

	}

}
