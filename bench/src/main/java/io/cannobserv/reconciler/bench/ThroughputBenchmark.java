package io.cannobserv.reconciler.bench;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The throughput and start-up benchmark of issue 6. Not a test:
 * {@code bench/benchmark.sh} builds the jar and runs this class's {@code main}; see
 * {@link BenchOptions#usage()}.
 * <p>
 * Per case (pointers × fake Watcher latency) it seeds the database afresh, runs the jar
 * ({@code reconcile --apply}) as a child process, and takes: the wall time from process
 * start to exit; the step's duration from the run report's
 * {@code startedAt}/{@code endedAt}; the peak RSS and CPU time from GNU time, and the
 * CPU time per Watcher request (the whole job's, start-up included: what an HTTP client
 * costs shows there); the
 * database write time and the Watcher request count from the metrics the job pushes on
 * exit (received by {@link PushReceiver}). Beside them, the limits measured in the same
 * run: Little's law (concurrency ÷ latency), the fake Watcher's own capacity at that
 * concurrency (wrk, alone), and the job's rate cap.
 */
public final class ThroughputBenchmark {

	private static final int WRK_WARM_UP_SECONDS = 20;

	private static final Pattern WRK_RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");

	private final BenchOptions options;

	private final PrintStream out;

	private final StringBuilder results = new StringBuilder();

	private final JsonMapper json = JsonMapper.builder().build();

	/**
	 * This invocation's runs, logs, reports and results:
	 * {@code <work dir>/<yyyyMMdd-HHmmss>}.
	 */
	private final Path runDir;

	private ThroughputBenchmark(BenchOptions options, PrintStream out) {
		this.options = options;
		this.out = out;
		this.runDir = options.workDir()
			.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
	}

	public static void main(String[] args) throws Exception {
		BenchOptions options;
		try {
			options = BenchOptions.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println("benchmark: " + ex.getMessage());
			System.exit(2);
			return;
		}
		if (options.help()) {
			System.out.print(BenchOptions.usage());
			return;
		}
		// embedded PostgreSQL's INFO lines would bury the progress lines
		if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
			root.setLevel(ch.qos.logback.classic.Level.WARN);
		}
		System.exit(new ThroughputBenchmark(options, System.out).run());
	}

	private int run() throws Exception {
		Files.createDirectories(this.runDir);
		String machine = machine();
		emit(machine);
		int failures = 0;
		try (BenchDatabase database = BenchDatabase.start(this.options.workDir().resolve("postgres"),
				this.options.pgFast()); PushReceiver push = PushReceiver.start()) {
			emit("PostgreSQL " + database.setting("server_version") + " (embedded, own server): fsync="
					+ database.setting("fsync") + " synchronous_commit=" + database.setting("synchronous_commit")
					+ " shared_buffers=" + database.setting("shared_buffers"));
			emit("Job: " + this.options.jar() + " | JVM " + String.join(" ", this.options.jvmOptions())
					+ " | --concurrency=" + this.options.concurrency() + " " + String.join(" ", this.options.jobArgs())
					+ " | rate cap " + capText() + " | fake Watcher: WireMock standalone "
					+ this.options.wiremockJar().getFileName() + " (separate JVM, async responses, 64 threads)");
			emit("Mix per 100 pointers: 90 live, 5 gone (cleared), 3 archived, 2 transient (503 on every attempt, "
					+ "so asked again in each of the recheck's --max-attempts rounds)");
			emit("");
			if (this.options.throughput()) {
				failures += throughput(database, push);
			}
			if (this.options.startup()) {
				failures += startup(database);
			}
		}
		Path file = this.runDir.resolve("results.md");
		Files.writeString(file, this.results.toString(), StandardCharsets.UTF_8);
		this.out.println("Results written to " + file);
		return (failures == 0) ? 0 : 1;
	}

	// ---------------------------------------------------------------- throughput

	private int throughput(BenchDatabase database, PushReceiver push) throws Exception {
		List<Row> rows = new ArrayList<>();
		int failures = 0;
		List<Integer> sizes = this.options.sizes().stream().sorted().toList();
		for (int latency : this.options.latencies()) {
			progress("Fake Watcher at " + latency + " ms: starting WireMock");
			try (WireMockWatcher watcher = WireMockWatcher.start(this.options.wiremockJar(),
					this.options.workDir().resolve("watcher-" + latency + "ms"), latency)) {
				Double capacity = wrk(watcher);
				@Nullable Row smaller = null;
				for (int size : sizes) {
					Double estimate = estimateMinutes(smaller, size);
					if (estimate != null && this.options.maxRunMinutes() > 0
							&& estimate > this.options.maxRunMinutes()) {
						progress(String.format(Locale.ROOT,
								"N=%d at %d ms: skipped, estimated %.0f min per run at %.1f pointers/s measured at N=%d "
										+ "(> --max-run-minutes %.0f)",
								size, latency, estimate, smaller.pointersPerSecond(), smaller.size(),
								this.options.maxRunMinutes()));
						rows.add(Row.skipped(size, latency, estimate));
						continue;
					}
					Map<String, List<RunResult>> runs = new LinkedHashMap<>();
					for (int repeat = 1; repeat <= this.options.repeats(); repeat++) {
						// the strategies interleaved, so that the machine's load falls on both alike
						for (String strategy : this.options.strategies()) {
							progress(String.format(Locale.ROOT, "N=%d at %d ms, %s, run %d/%d: seeding", size, latency,
									strategy, repeat, this.options.repeats()));
							database.seed(size);
							watcher.writeList(size);
							RunResult result = runJob(database, push, watcher, size, repeat, strategy);
							progress(result.describe());
							if (!result.ok()) {
								failures++;
							}
							runs.computeIfAbsent(strategy, (key) -> new ArrayList<>()).add(result);
						}
					}
					for (Map.Entry<String, List<RunResult>> strategy : runs.entrySet()) {
						Row row = Row.of(size, latency, strategy.getKey(), strategy.getValue(), capacity);
						rows.add(row);
						if (row.pointersPerSecond() > 0 && (smaller == null || smaller.size() < size
								|| row.pointersPerSecond() < smaller.pointersPerSecond())) {
							// the slower strategy's figures estimate the next size
							smaller = row;
						}
					}
				}
			}
		}
		emit("");
		emit("### Throughput (medians of " + this.options.repeats() + " run(s) per case)");
		emit("");
		emit(throughputTable(rows));
		emit(throughputLegend());
		if (this.options.strategies().size() > 1) {
			emit("");
			emit("### Snapshot against per-item, side by side (medians)");
			emit("");
			emit(strategyTable(rows));
		}
		return failures;
	}

	private @Nullable Double estimateMinutes(@Nullable Row smaller, int size) {
		if (smaller == null) {
			return null;
		}
		double overhead = smaller.wallSeconds() - smaller.stepSeconds();
		return (size / smaller.pointersPerSecond() + overhead) / 60;
	}

	private RunResult runJob(BenchDatabase database, PushReceiver push, WireMockWatcher watcher, int size, int repeat,
			String strategy) throws Exception {
		Path dir = this.runDir.resolve("runs")
			.resolve("n" + size + "-" + watcher.latencyMillis() + "ms-" + strategy + "-r" + repeat);
		deleteRecursively(dir);
		Path reports = dir.resolve("reports");
		List<String> command = javaCommand(List.of(), this.options.jar());
		command.addAll(jobArgs(watcher, reports, push));
		command.add("--strategy=" + strategy);
		push.reset();
		double load = loadAverage()[0];
		JobProcess.Measured measured = JobProcess.run(command, environment(database), dir,
				Duration.ofSeconds((long) (this.options.runTimeoutMinutes() * 60)), this::progress);
		Map<String, Double> metrics = push.lastPush();
		JsonNode report = readReport(reports);
		return RunResult.of(size, strategy, measured, report, metrics, load, database);
	}

	private List<String> jobArgs(WireMockWatcher watcher, Path reports, @Nullable PushReceiver push) {
		List<String> args = new ArrayList<>(List.of("reconcile", "--apply", "--watcher-base-url=" + watcher.baseUrl(),
				"--reconciler.watcher.api-key=" + WireMockWatcher.API_KEY, "--report-dir=" + reports,
				"--concurrency=" + this.options.concurrency()));
		if (push != null) {
			args.add("--management.prometheus.metrics.export.pushgateway.enabled=true");
			args.add("--management.prometheus.metrics.export.pushgateway.address=localhost:" + push.port());
			args.add("--management.prometheus.metrics.export.pushgateway.format=text");
		}
		args.addAll(this.options.jobArgs());
		return args;
	}

	private List<String> javaCommand(List<String> extraJvmOptions, Path jar) {
		List<String> command = new ArrayList<>();
		command.add(WireMockWatcher.javaBinary());
		command.addAll(this.options.jvmOptions());
		command.addAll(extraJvmOptions);
		command.add("-jar");
		command.add(jar.toString());
		return command;
	}

	private static Map<String, String> environment(BenchDatabase database) {
		Map<String, String> environment = new LinkedHashMap<>();
		environment.put("SPRING_DATASOURCE_URL", database.jdbcUrl());
		environment.put("SPRING_DATASOURCE_USERNAME", BenchDatabase.USER);
		environment.put("SPRING_DATASOURCE_PASSWORD", BenchDatabase.PASSWORD);
		return environment;
	}

	private @Nullable JsonNode readReport(Path reports) throws IOException {
		if (!Files.isDirectory(reports)) {
			return null;
		}
		try (Stream<Path> files = Files.list(reports)) {
			Path file = files.filter((p) -> p.getFileName().toString().matches("run-\\d+\\.json"))
				.max(Comparator.naturalOrder())
				.orElse(null);
			return (file != null) ? this.json.readTree(file.toFile()) : null;
		}
	}

	/**
	 * The fake Watcher's own capacity at the job's concurrency, with nothing else asking
	 * it.
	 */
	private @Nullable Double wrk(WireMockWatcher watcher) throws IOException, InterruptedException {
		if (this.options.wrkSeconds() <= 0) {
			return null;
		}
		if (!onPath("wrk")) {
			progress(
					"wrk not found on PATH: the fake Watcher's capacity is not measured (bench/benchmark.sh installs it)");
			return null;
		}
		int connections = this.options.concurrency();
		List<String> base = List.of("wrk", "-t" + Math.min(2, connections), "-c" + connections, "-H",
				WatcherContract.KEY_HEADER + ": " + WireMockWatcher.API_KEY);
		// a warm-up first (WireMock's JIT, its template cache): measured cold after 3 s,
		// the same
		// WireMock answered from 1 100 to 3 100 requests/s, below what the job then got
		// from it
		runWrk(base, WRK_WARM_UP_SECONDS, watcher);
		progress("wrk: " + connections + " connections for " + this.options.wrkSeconds() + " s against "
				+ watcher.liveItemUrl());
		String output = runWrk(base, this.options.wrkSeconds(), watcher);
		Files.writeString(this.runDir.resolve("wrk-" + watcher.latencyMillis() + "ms.txt"), output);
		Matcher matcher = WRK_RATE.matcher(output);
		if (!matcher.find()) {
			progress("wrk said no rate:\n" + output);
			return null;
		}
		double rate = Double.parseDouble(matcher.group(1));
		progress(String.format(Locale.ROOT, "wrk: the fake Watcher alone answers %.0f requests/s at %d ms", rate,
				watcher.latencyMillis()));
		return rate;
	}

	private static String runWrk(List<String> base, int seconds, WireMockWatcher watcher)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(base);
		command.add("-d" + seconds + "s");
		command.add(watcher.liveItemUrl());
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		process.waitFor();
		return output;
	}

	private String throughputTable(List<Row> rows) {
		Table table = new Table("N", "latency ms", "strategy", "Watcher requests", "wall s", "step s", "JVM+ctx s", "pointers/s step", "pointers/s e2e",
				"Watcher req/s", "ms/chunk", "peak RSS MB", "CPU s", "CPU ms/request", "DB write s", "DB read s", "Little bound req/s",
				"wrk req/s", "rate cap req/s", "ratio", "load1", "check");
		for (Row row : rows) {
			if (row.skippedEstimate() != null) {
				table.add(String.valueOf(row.size()), String.valueOf(row.latency()),
						"", "", String.format(Locale.ROOT, "skipped: est. %.0f min/run", row.skippedEstimate()), "", "",
						"", "", "", "", "", "", "", "", "", "", "", "", "", "", "");
				continue;
			}
			double little = (row.latency() > 0) ? this.options.concurrency() * 1000.0 / row.latency() : Double.NaN;
			double limit = minOf(little, row.capacity());
			table.add(String.valueOf(row.size()), String.valueOf(row.latency()), row.strategy(), f0(row.requests()),
					f1(row.wallSeconds()),
					f1(row.stepSeconds()), f1(row.wallSeconds() - row.stepSeconds()), f0(row.pointersPerSecond()),
					f0(row.endToEndPerSecond()), f0(row.requestsPerSecond()), f0(row.msPerChunk()), f0(row.rssMb()),
					f1(row.cpuSeconds()), f3(row.cpuSeconds() * 1000 / row.requests()), f2(row.writeSeconds()),
					f2(row.readSeconds()),
					Double.isNaN(little) ? "n/a" : f0(little), (row.capacity() != null) ? f0(row.capacity()) : "n/a",
					capText(), Double.isNaN(limit) ? "n/a" : f2(row.requestsPerSecond() / limit), f1(row.load()),
					row.check());
		}
		return table.toString();
	}

	/**
	 * Per case, the snapshot strategy's figures against per-item's, measured side by side
	 * in the same invocation.
	 */
	private String strategyTable(List<Row> rows) {
		Table table = new Table("N", "latency ms", "requests per-item", "requests snapshot", "fewer requests ×",
				"wall per-item s", "wall snapshot s", "less wall ×", "peak RSS per-item MB", "peak RSS snapshot MB");
		for (Row perItem : rows) {
			if (!perItem.strategy().equals("per-item")) {
				continue;
			}
			for (Row snapshot : rows) {
				if (snapshot.strategy().equals("snapshot") && snapshot.size() == perItem.size()
						&& snapshot.latency() == perItem.latency()) {
					table.add(String.valueOf(perItem.size()), String.valueOf(perItem.latency()),
							f0(perItem.requests()), f0(snapshot.requests()),
							f1(perItem.requests() / snapshot.requests()), f1(perItem.wallSeconds()),
							f1(snapshot.wallSeconds()), f1(perItem.wallSeconds() / snapshot.wallSeconds()),
							f0(perItem.rssMb()), f0(snapshot.rssMb()));
				}
			}
		}
		return table.toString();
	}

	private String throughputLegend() {
		return """

				- wall: process start to exit (GNU time around the JVM). step: the run's startedAt..endedAt from \
				its report. JVM+ctx: wall - step (JVM start, Spring context, preflight, Flyway, report, push).
				- pointers/s step = pointers read / step; e2e = pointers read / wall. Watcher req/s = the job's \
				own request count (reconciler_watcher_requests_seconds_count, retries included) / step.
				- ms/chunk = step / chunks written (spring_batch_chunk_write_seconds_count).
				- DB write s = spring_batch_chunk_write_seconds_sum (the writer's statements; the commit is not \
				in it). DB read s = spring_batch_item_read_seconds_sum (the keyset page queries, one per chunk).
				- Little bound = concurrency / latency. wrk = the fake Watcher's capacity alone at the job's \
				concurrency (wrk -t2 -c%d, %d s after %d s of warm-up, one live id). ratio = Watcher req/s / \
				min(Little bound, wrk).
				- load1: the 1-minute load average when the run started (%d cores). check: the run's counts \
				against the seeded mix (exit code 0, every pointer read, 5 %% cleared, 2 %% transient).
				""".formatted(this.options.concurrency(), this.options.wrkSeconds(), WRK_WARM_UP_SECONDS,
				Runtime.getRuntime().availableProcessors());
	}

	// ---------------------------------------------------------------- start-up

	private int startup(BenchDatabase database) throws Exception {
		Path dir = this.runDir.resolve("startup");
		deleteRecursively(dir);
		Files.createDirectories(dir);
		int failures = 0;
		try (WireMockWatcher watcher = WireMockWatcher.start(this.options.wiremockJar(),
				this.options.workDir().resolve("watcher-startup"), 0)) {
			database.seed(4);
			Path reports = dir.resolve("reports");
			Map<String, String> environment = environment(database);
			Duration timeout = Duration.ofMinutes(5);
			// untimed: creates the job's schema (as any run after the first finds it) and
			// warms the page cache
			progress("Start-up: warm-up run (creates the job's schema)");
			JobProcess.Measured warmUp = JobProcess.run(
					withArgs(javaCommand(List.of(), this.options.jar()), watcher, reports), environment,
					dir.resolve("warm-up"), timeout);
			if (warmUp.exitCode() != 0) {
				progress("Start-up: warm-up run failed (exit " + warmUp.exitCode() + "):\n"
						+ JobProcess.tail(warmUp.log(), 30));
				return 1;
			}
			// Spring Boot's CDS recipe: extract, training run that exits on refresh, then
			// run with the archive
			Path extracted = dir.resolve("extracted");
			progress("Start-up: extracting the jar for CDS");
			JobProcess.Measured extract = JobProcess.run(
					List.of(WireMockWatcher.javaBinary(), "-Djarmode=tools", "-jar", this.options.jar().toString(),
							"extract", "--destination", extracted.toString()),
					Map.of(), dir.resolve("extract"), timeout);
			Path appJar = extracted.resolve(this.options.jar().getFileName());
			Path archive = dir.resolve("application.jsa");
			progress("Start-up: CDS training run (-XX:ArchiveClassesAtExit, -Dspring.context.exit=onRefresh)");
			JobProcess.Measured training = JobProcess.run(withArgs(
					javaCommand(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh"),
							appJar),
					watcher, reports), environment, dir.resolve("training"), timeout);
			boolean cds = extract.exitCode() == 0 && Files.isRegularFile(archive) && Files.size(archive) > 0;
			if (!cds) {
				progress("Start-up: no CDS archive (extract exit " + extract.exitCode() + ", training exit "
						+ training.exitCode() + "); see " + dir);
				failures++;
			}
			String sharedArchive = "-XX:SharedArchiveFile=" + archive;
			String lazy = "--spring.main.lazy-initialization=true";
			List<Variant> variants = new ArrayList<>();
			Variant plainJar = job("plain jar", List.of(), this.options.jar(), List.of(), watcher, reports);
			variants.add(plainJar);
			variants.add(job("plain jar, lazy init", List.of(), this.options.jar(), List.of(lazy), watcher, reports));
			Path baseline = this.options.startupBaseline();
			if (baseline != null) {
				variants.add(job("plain jar, baseline " + baseline.getFileName(), List.of(), baseline, List.of(), watcher,
						reports));
			}
			if (cds) {
				variants.add(job("extracted + CDS", List.of(sharedArchive), appJar, List.of(), watcher, reports));
				variants
					.add(job("extracted + CDS, lazy init", List.of(sharedArchive), appJar, List.of(lazy), watcher, reports));
				variants.add(job("extracted, no CDS", List.of(), appJar, List.of(), watcher, reports));
			}
			Variant loop = plainJdbcLoop(watcher);
			variants.add(loop);
			Map<Variant, List<JobProcess.Measured>> measured = new LinkedHashMap<>();
			variants.forEach((variant) -> measured.put(variant, new ArrayList<>()));
			List<Double> loads = new ArrayList<>();
			// round robin, so that a burst of load on the shared machine hits every
			// variant alike
			for (int repeat = 1; repeat <= this.options.startupRepeats(); repeat++) {
				for (Variant variant : variants) {
					loads.add(loadAverage()[0]);
					JobProcess.Measured run = JobProcess.run(variant.command(), environment,
							dir.resolve(variant.slug() + "-" + repeat), timeout);
					if (run.exitCode() != 0) {
						failures++;
						progress("Start-up: " + variant.name() + " exited " + run.exitCode() + ":\n"
								+ JobProcess.tail(run.log(), 20));
					}
					measured.get(variant).add(run);
				}
				progress("Start-up: round " + repeat + "/" + this.options.startupRepeats() + " done");
			}
			String shared = cds ? sharedClassCount(
					javaCommand(List.of(sharedArchive, "-Xlog:class+load:file=" + dir.resolve("class-load.log")),
							appJar),
					watcher, reports, environment, dir) : "n/a";
			Table table = new Table("variant", "median s", "min s", "max s", "÷ JDBC loop", "peak RSS MB", "CPU s",
					"exit codes");
			List<JobProcess.Measured> loopRuns = measured.get(loop);
			for (Map.Entry<Variant, List<JobProcess.Measured>> entry : measured.entrySet()) {
				List<JobProcess.Measured> runs = entry.getValue();
				table.add(entry.getKey().name(), f2(median(runs, JobProcess.Measured::wallSeconds)),
						f2(runs.stream().mapToDouble(JobProcess.Measured::wallSeconds).min().orElse(Double.NaN)),
						f2(runs.stream().mapToDouble(JobProcess.Measured::wallSeconds).max().orElse(Double.NaN)),
						ratios(runs, loopRuns), f0(median(runs, JobProcess.Measured::peakRssMb)),
						f2(median(runs, JobProcess.Measured::cpuSeconds)), String.join(",",
								runs.stream().map((run) -> String.valueOf(run.exitCode())).distinct().toList()));
			}
			emit("");
			emit("### Start-up: reconcile --apply over 4 live pointers, process start to exit (median of "
					+ this.options.startupRepeats() + ", variants interleaved)");
			emit("");
			emit(table.toString());
			emit("");
			emit("- CDS: Spring Boot's recipe (java -Djarmode=tools -jar app.jar extract; a training run with "
					+ "-XX:ArchiveClassesAtExit and -Dspring.context.exit=onRefresh; runs with -XX:SharedArchiveFile). "
					+ "Classes loaded from the archive in a CDS run: " + shared + ".");
			emit("- ÷ JDBC loop: the median of the ratios of each round's run to that round's plain JDBC loop "
					+ "(PlainJdbcLoop: the same pointers read in one page, Watcher asked for each, a gone one "
					+ "cleared by compare-and-set; no Spring), with their range. 1-minute load average during "
					+ "the rounds: " + f2(loads.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN))
					+ " to " + f2(loads.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN))
					+ ", median " + f2(median(loads, Double::doubleValue)) + " on "
					+ Runtime.getRuntime().availableProcessors() + " cores.");
			emit("- lazy init: --spring.main.lazy-initialization=true. JVM options: "
					+ String.join(" ", this.options.jvmOptions())
					+ ". The job's schema exists (an untimed run made it).");
		}
		return failures;
	}

	private Variant job(String name, List<String> extraJvmOptions, Path jar, List<String> args, WireMockWatcher watcher,
			Path reports) {
		List<String> command = withArgs(javaCommand(extraJvmOptions, jar), watcher, reports);
		command.addAll(args);
		return new Variant(name, command);
	}

	/**
	 * {@link PlainJdbcLoop} with the job's JVM options, on this benchmark's classes and
	 * the PostgreSQL driver only.
	 */
	private Variant plainJdbcLoop(WireMockWatcher watcher) {
		String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
			.filter((entry) -> Files.isDirectory(Path.of(entry)) || entry.matches(".*/postgresql-[^/]*\\.jar"))
			.collect(Collectors.joining(File.pathSeparator));
		List<String> command = new ArrayList<>();
		command.add(WireMockWatcher.javaBinary());
		command.addAll(this.options.jvmOptions());
		command.addAll(List.of("-cp", classPath, PlainJdbcLoop.class.getName(), watcher.baseUrl(),
				WireMockWatcher.API_KEY));
		return new Variant("plain JDBC loop (the floor)", command);
	}

	/** Per round, this run's wall time over the loop's: median (min–max). */
	private static String ratios(List<JobProcess.Measured> runs, List<JobProcess.Measured> loopRuns) {
		List<Double> ratios = new ArrayList<>();
		for (int i = 0; i < Math.min(runs.size(), loopRuns.size()); i++) {
			ratios.add(runs.get(i).wallSeconds() / loopRuns.get(i).wallSeconds());
		}
		if (ratios.isEmpty()) {
			return "n/a";
		}
		return f1(median(ratios, Double::doubleValue)) + " (" + f1(Collections.min(ratios)) + "–"
				+ f1(Collections.max(ratios)) + ")";
	}

	private List<String> withArgs(List<String> javaCommand, WireMockWatcher watcher, Path reports) {
		List<String> command = new ArrayList<>(javaCommand);
		command.addAll(jobArgs(watcher, reports, null));
		return command;
	}

	private String sharedClassCount(List<String> javaCommand, WireMockWatcher watcher, Path reports,
			Map<String, String> environment, Path dir) throws IOException, InterruptedException {
		JobProcess.run(withArgs(javaCommand, watcher, reports), environment, dir.resolve("class-load"),
				Duration.ofMinutes(5));
		Path log = dir.resolve("class-load.log");
		if (!Files.isRegularFile(log)) {
			return "unknown";
		}
		List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
		long total = lines.stream().filter((line) -> line.contains("source:")).count();
		long shared = lines.stream().filter((line) -> line.contains("source: shared objects file")).count();
		return shared + " of " + total;
	}

	private record Variant(String name, List<String> command) {

		String slug() {
			return this.name.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-+$", "");
		}

	}

	// ---------------------------------------------------------------- one run, one row

	/**
	 * One run of the job.
	 */
	private record RunResult(int size, int exitCode, double wallSeconds, double stepSeconds, double rssMb,
			double cpuSeconds, long read, long cleared, long transientCount, double requests, double chunks,
			double writeSeconds, double readSeconds, double retries, double load, String check, Path log) {

		static RunResult of(int size, String strategy, JobProcess.Measured measured, @Nullable JsonNode report,
				Map<String, Double> metrics, double load, BenchDatabase database) {
			double step = Double.NaN;
			long read = 0;
			long cleared = 0;
			long transientCount = 0;
			if (report != null) {
				Instant started = instant(report.path("startedAt"));
				Instant ended = instant(report.path("endedAt"));
				if (started != null && ended != null) {
					step = Duration.between(started, ended).toNanos() / 1e9;
				}
				JsonNode counts = report.path("counts");
				read = counts.path("read").asLong(0);
				cleared = counts.path("cleared").asLong(0);
				transientCount = counts.path("transient").asLong(0);
			}
			String check = check(size, strategy, measured.exitCode(), report, read, cleared, transientCount,
					database);
			return new RunResult(size, measured.exitCode(), measured.wallSeconds(), step, measured.peakRssMb(),
					measured.cpuSeconds(), read, cleared, transientCount,
					metrics.getOrDefault("reconciler_watcher_requests_seconds_count", Double.NaN),
					metrics.getOrDefault("spring_batch_chunk_write_seconds_count", Double.NaN),
					metrics.getOrDefault("spring_batch_chunk_write_seconds_sum", Double.NaN),
					metrics.getOrDefault("spring_batch_item_read_seconds_sum", Double.NaN),
					metrics.getOrDefault("reconciler_watcher_retries_total", Double.NaN), load, check, measured.log());
		}

		private static String check(int size, String strategy, int exitCode, @Nullable JsonNode report, long read,
				long cleared, long transientCount, BenchDatabase database) {
			if (exitCode != 0) {
				return "exit " + exitCode;
			}
			if (report == null) {
				return "no report";
			}
			List<String> problems = new ArrayList<>();
			if (read != size) {
				problems.add("read " + read);
			}
			if (cleared != expected(size, 90, 95)) {
				problems.add("cleared " + cleared + "/" + expected(size, 90, 95));
			}
			// the snapshot lists the items whose lookup answers 503: they exist, and are
			// decided from it without a request
			long transientExpected = strategy.equals("snapshot") ? 0 : expected(size, 98, 100);
			if (transientCount != transientExpected) {
				problems.add("transient " + transientCount + "/" + transientExpected);
			}
			if (strategy.equals("snapshot") && report != null
					&& !report.path("snapshot").path("used").asBoolean(false)) {
				problems.add("snapshot not used: " + report.path("snapshot").path("reason").asString(""));
			}
			try {
				long left = database.count("watcher_item_id LIKE '01W" + BenchDatabase.GONE + "%'");
				if (left != 0) {
					problems.add(left + " gone pointers left");
				}
			}
			catch (Exception ex) {
				problems.add("db: " + ex.getMessage());
			}
			return problems.isEmpty() ? "ok" : String.join("; ", problems);
		}

		/** How many i in [0, size) have from <= i % 100 < to. */
		static long expected(int size, int from, int to) {
			long full = size / 100;
			int rest = size % 100;
			return full * (to - from) + Math.max(0, Math.min(rest, to) - from);
		}

		private static @Nullable Instant instant(JsonNode node) {
			if (node.isString()) {
				return Instant.parse(node.stringValue());
			}
			if (node.isNumber()) {
				double seconds = node.asDouble();
				return Instant.ofEpochSecond((long) seconds, (long) ((seconds % 1) * 1e9));
			}
			return null;
		}

		boolean ok() {
			return "ok".equals(this.check);
		}

		String describe() {
			return String.format(Locale.ROOT,
					"exit %d, wall %.1f s, step %.1f s, %.0f pointers/s, %.0f Watcher req/s, %.0f chunks, "
							+ "DB write %.2f s, retries %.0f, peak RSS %.0f MB, CPU %.1f s, load %.1f: %s (log %s)",
					this.exitCode, this.wallSeconds, this.stepSeconds, this.read / this.stepSeconds,
					this.requests / this.stepSeconds, this.chunks, this.writeSeconds, this.retries, this.rssMb,
					this.cpuSeconds, this.load, this.check, this.log);
		}

	}

	/** A case's medians. */
	private record Row(int size, int latency, String strategy, double requests, double wallSeconds, double stepSeconds, double pointersPerSecond,
			double endToEndPerSecond, double requestsPerSecond, double msPerChunk, double rssMb, double cpuSeconds,
			double writeSeconds, double readSeconds, @Nullable Double capacity, double load, String check,
			@Nullable Double skippedEstimate) {

		static Row of(int size, int latency, String strategy, List<RunResult> runs, @Nullable Double capacity) {
			List<String> checks = runs.stream().map(RunResult::check).distinct().toList();
			return new Row(size, latency, strategy, median(runs, RunResult::requests),
					median(runs, RunResult::wallSeconds), median(runs, RunResult::stepSeconds),
					median(runs, (run) -> run.read() / run.stepSeconds()),
					median(runs, (run) -> run.read() / run.wallSeconds()),
					median(runs, (run) -> run.requests() / run.stepSeconds()),
					median(runs, (run) -> run.stepSeconds() * 1000 / run.chunks()), median(runs, RunResult::rssMb),
					median(runs, RunResult::cpuSeconds), median(runs, RunResult::writeSeconds),
					median(runs, RunResult::readSeconds), capacity, median(runs, RunResult::load),
					String.join(" / ", checks), null);
		}

		static Row skipped(int size, int latency, double estimate) {
			return new Row(size, latency, "", Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
					Double.NaN, Double.NaN, Double.NaN, Double.NaN, null, Double.NaN, "skipped", estimate);
		}

	}

	// ---------------------------------------------------------------- the machine

	private String machine() throws IOException, InterruptedException {
		String cpu = "unknown CPU";
		for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
			if (line.startsWith("model name")) {
				cpu = line.substring(line.indexOf(':') + 1).strip();
				break;
			}
		}
		long memKb = 0;
		for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
			if (line.startsWith("MemTotal:")) {
				memKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
			}
		}
		double[] load = loadAverage();
		String java = firstLines(List.of(WireMockWatcher.javaBinary(), "-version"), 3).replace('\n', ' ');
		String git = firstLines(List.of("git", "log", "-1", "--format=%h %cs %s"), 1);
		String dirty = firstLines(List.of("git", "status", "--porcelain", "--", "src/main", "pom.xml"), 100).isBlank()
				? "" : " (+ uncommitted changes in src/main or pom.xml)";
		return String.format(Locale.ROOT,
				"## Benchmark %s%n%nMachine: %d cores (nproc), %s, %.1f GiB memory; %s; load average at start "
						+ "%.2f %.2f %.2f; commit %s%s",
				LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16),
				Runtime.getRuntime().availableProcessors(), cpu, memKb / 1024.0 / 1024.0, java, load[0], load[1],
				load[2], git.strip(), dirty);
	}

	private static double[] loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
			return new double[] { Double.parseDouble(fields[0]), Double.parseDouble(fields[1]),
					Double.parseDouble(fields[2]) };
		}
		catch (IOException ex) {
			return new double[] { Double.NaN, Double.NaN, Double.NaN };
		}
	}

	private static String firstLines(List<String> command, int lines) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			process.waitFor();
			return String.join("\n", output.lines().limit(lines).toList());
		}
		catch (IOException ex) {
			return "";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "";
		}
	}

	// ---------------------------------------------------------------- helpers

	private String capText() {
		double cap = this.options.rateCap();
		return (cap > 0) ? f0(cap) : "none";
	}

	private void emit(String line) {
		this.out.println(line);
		this.results.append(line).append('\n');
	}

	private void progress(String line) {
		this.out.println("  [" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "] " + line);
		this.out.flush();
	}

	private static <T> double median(List<T> values, ToDoubleFunction<T> field) {
		double[] sorted = values.stream().mapToDouble(field).filter((v) -> !Double.isNaN(v)).sorted().toArray();
		if (sorted.length == 0) {
			return Double.NaN;
		}
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	private static double minOf(double little, @Nullable Double capacity) {
		if (capacity == null) {
			return little;
		}
		return Double.isNaN(little) ? capacity : Math.min(little, capacity);
	}

	private static boolean onPath(String tool) {
		return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
			.anyMatch((dir) -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)));
	}

	private static void deleteRecursively(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

	private static String f0(double value) {
		return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.0f", value);
	}

	private static String f1(double value) {
		return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.1f", value);
	}

	private static String f2(double value) {
		return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.2f", value);
	}

	private static String f3(double value) {
		return (Double.isNaN(value) || Double.isInfinite(value)) ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
	}

	/** A Markdown table with padded columns, readable in a terminal too. */
	private static final class Table {

		private final List<String[]> rows = new ArrayList<>();

		Table(String... header) {
			this.rows.add(header);
		}

		void add(String... cells) {
			this.rows.add(cells);
		}

		@Override
		public String toString() {
			int columns = this.rows.get(0).length;
			int[] widths = new int[columns];
			for (String[] row : this.rows) {
				for (int i = 0; i < columns; i++) {
					widths[i] = Math.max(widths[i], (i < row.length) ? row[i].length() : 0);
				}
			}
			StringBuilder text = new StringBuilder();
			for (int r = 0; r < this.rows.size(); r++) {
				String[] row = this.rows.get(r);
				text.append('|');
				for (int i = 0; i < columns; i++) {
					String cell = (i < row.length) ? row[i] : "";
					text.append(' ').append(cell).append(" ".repeat(widths[i] - cell.length())).append(" |");
				}
				text.append('\n');
				if (r == 0) {
					text.append('|');
					for (int i = 0; i < columns; i++) {
						text.append('-').append("-".repeat(widths[i])).append("-|");
					}
					text.append('\n');
				}
			}
			return text.toString();
		}

	}

}
