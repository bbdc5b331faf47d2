package io.cannobserv.reconciler.bench;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * How close the job's defaults come to a Watcher's capacity (issue 23): the job against
 * a {@link QueueingWatcher} whose latency grows with its load, with its defaults (a
 * snapshot, at 12 000 pointers), with its defaults but per-item, and with each fixed
 * concurrency of a sweep (per-item), beside a sequential JDBC + HTTP loop
 * ({@link PlainJdbcLoop}) on the same fake. Per run: the lookup phase's rate (first to
 * last lookup the fake saw), the fake's latency (median, p95, against its unloaded
 * latency), its refusals, and the requests in it over time.
 * <p>
 * {@code bench/benchmark.sh --capacity [options]}; options:
 * <pre>
 * --size N                pointers [12000]
 * --service-ms S          how long an answer takes a worker [20]
 * --workers W             answers served at once, 0 = ample capacity [0]
 * --max-queue Q           requests that may wait for a worker; more get 503 [64]
 * --slow-after-seconds T  the fake slows down T s after the first lookup, 0 = never [0]
 * --slow-factor F         by this factor [5]
 * --fixed LIST            fixed concurrencies to sweep, e.g. 8,16,32,64 [none]
 * --loop N                pointers for the sequential loop's rate, 0 = skip [500]
 * --job-arg ARG           an extra job option, repeatable
 * --jvm-opts "OPTS"       the job's JVM options [-Xmx384m -XX:TieredStopAtLevel=1]
 * </pre>
 */
public final class CapacityBenchmark {

	private final Map<String, String> options = new LinkedHashMap<>();

	private final List<String> jobArgs = new ArrayList<>();

	private CapacityBenchmark(String... args) {
		this.options.putAll(Map.of("--size", "12000", "--service-ms", "20", "--workers", "0", "--max-queue", "64",
				"--slow-after-seconds", "0", "--slow-factor", "5", "--fixed", "", "--loop", "500", "--jvm-opts",
				BenchOptions.DEFAULT_JVM_OPTIONS));
		for (int i = 0; i < args.length; i++) {
			String name = args[i].contains("=") ? args[i].substring(0, args[i].indexOf('=')) : args[i];
			String value = args[i].contains("=") ? args[i].substring(args[i].indexOf('=') + 1) : args[++i];
			if (name.equals("--job-arg")) {
				this.jobArgs.add(value);
			}
			else {
				this.options.put(name, value);
			}
		}
	}

	public static void main(String[] args) throws Exception {
		new CapacityBenchmark(args).run();
	}

	private void run() throws Exception {
		int size = integer("--size");
		int workers = integer("--workers");
		double serviceMs = Double.parseDouble(this.options.get("--service-ms"));
		Path dir = Path.of(this.options.get("--work-dir"))
			.resolve("capacity-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
		Files.createDirectories(dir);
		List<String> out = new ArrayList<>();
		try (BenchDatabase database = BenchDatabase.start(dir.resolve("postgres"), false);
				QueueingWatcher watcher = new QueueingWatcher(workers, serviceMs, integer("--max-queue"),
						Double.parseDouble(this.options.get("--slow-after-seconds")),
						Double.parseDouble(this.options.get("--slow-factor")))) {
			double[] unloaded = unloaded(watcher);
			out.add("Fake Watcher: " + ((workers == 0) ? "ample capacity"
					: workers + " workers, capacity " + f0(workers * 1000 / serviceMs) + " answers/s, queue "
							+ integer("--max-queue"))
					+ ", service " + serviceMs + " ms; unloaded latency median " + f1(unloaded[0]) + " ms, p95 "
					+ f1(unloaded[1]) + " ms" + slowdown());
			double loopRate = loop(database, watcher, dir);
			out.add("Sequential loop: " + ((loopRate > 0) ? f1(loopRate) + " pointers/s" : "skipped"));
			out.add("");
			out.add("First pass: each pointer asked once (its rate, its answers' latency at the fake); recheck: the"
					+ " transient pointers asked again, with backoff, after it.");
			out.add("");
			out.add("| run | wall s | first pass s | pointers/s | × loop | × capacity | p50 ms | p95 ms | p95 ÷ unloaded | refused | most in flight | recheck s | load |");
			out.add("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
			Map<String, List<String>> runs = new LinkedHashMap<>();
			// the defaults as they are (auto: a snapshot from 1000 pointers), then the
			// lookups alone, which is what finds Watcher's capacity
			runs.put("defaults", List.of());
			runs.put("defaults, per-item", List.of("--strategy=per-item"));
			String fixed = this.options.get("--fixed");
			for (String concurrency : fixed.isBlank() ? new String[0] : fixed.split(",")) {
				runs.put("fixed " + concurrency + ", per-item",
						List.of("--strategy=per-item", "--fixed-concurrency", "--concurrency=" + concurrency));
			}
			watcher.list(size);
			long gone = IntStream.range(0, size).filter((i) -> BenchDatabase.kindOf(i) == BenchDatabase.GONE).count();
			String timeline = "";
			for (Map.Entry<String, List<String>> run : runs.entrySet()) {
				database.seed(size);
				watcher.reset();
				double load = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
				JobProcess.Measured measured = job(database, watcher, dir.resolve(run.getKey().replace(' ', '-')),
						run.getValue());
				// the first pass: the probe, then each pointer once (with a snapshot: the list,
				// then the pointers it does not hold, the gone ones); the recheck's retries after
				List<long[]> all = watcher.answers();
				long firstPass = (watcher.listRequests() > 0) ? 2 + gone : size + 1;
				List<long[]> answers = all.subList(0, (int) Math.min(all.size(), firstPass));
				double span = (answers.get(answers.size() - 1)[0] - answers.get(0)[0]) / 1e9;
				double recheck = (all.get(all.size() - 1)[0] - answers.get(answers.size() - 1)[0]) / 1e9;
				List<Long> latencies = answers.stream().map((a) -> a[1]).sorted().toList();
				double rate = answers.size() / span;
				int most = watcher.timeline().stream().mapToInt((t) -> t[1]).max().orElse(0);
				out.add("| " + run.getKey() + ((measured.exitCode() != 0) ? " (exit " + measured.exitCode() + ")" : "")
						+ " | " + f1(measured.wallSeconds()) + " | " + f1(span) + " | " + f0(size / span) + " | "
						+ ((loopRate > 0) ? f1(size / span / loopRate) : "n/a") + " | "
						+ ((workers > 0) ? f2(rate / (workers * 1000 / serviceMs)) : "n/a") + " | "
						+ f1(percentile(latencies, 50) / 1000.0) + " | " + f1(percentile(latencies, 95) / 1000.0)
						+ " | " + f1(percentile(latencies, 95) / 1000.0 / unloaded[0]) + " | " + watcher.refused()
						+ " (" + f2(100.0 * watcher.refused() / all.size()) + " %) | " + most + " | " + f1(recheck)
						+ " | " + f1(load) + " |");
				if (run.getKey().equals("defaults, per-item")) {
					timeline = timeline(watcher.timeline());
				}
			}
			out.add("");
			out.add("Requests in the fake over time, defaults, per-item (s: requests; each second's last sample; * = slowed):");
			out.add(timeline);
		}
		String results = String.join("\n", out);
		Files.writeString(dir.resolve("results.md"), results + "\n");
		System.out.println(results);
	}

	/** Median and p95 of 200 lookups one at a time, in ms. */
	private static double[] unloaded(QueueingWatcher watcher) throws Exception {
		HttpClient client = HttpClient.newHttpClient();
		HttpRequest request = HttpRequest
			.newBuilder(URI.create(watcher.baseUrl() + WireMockWatcher.ITEM_PATH + WireMockWatcher.LIVE_ID))
			.header(WatcherContract.KEY_HEADER, WireMockWatcher.API_KEY)
			.build();
		List<Long> micros = new ArrayList<>();
		for (int i = 0; i < 220; i++) {
			long started = System.nanoTime();
			client.send(request, HttpResponse.BodyHandlers.ofString());
			if (i >= 20) {
				micros.add((System.nanoTime() - started) / 1000);
			}
		}
		watcher.reset();
		List<Long> sorted = micros.stream().sorted().toList();
		return new double[] { percentile(sorted, 50) / 1000.0, percentile(sorted, 95) / 1000.0 };
	}

	/** The sequential loop's rate over the first --loop pointers, 0 when skipped. */
	private double loop(BenchDatabase database, QueueingWatcher watcher, Path dir) throws Exception {
		int pointers = integer("--loop");
		if (pointers == 0) {
			return 0;
		}
		database.seed(pointers);
		String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
			.filter((entry) -> Files.isDirectory(Path.of(entry)) || entry.matches(".*/postgresql-[^/]*\\.jar"))
			.collect(Collectors.joining(File.pathSeparator));
		List<String> command = new ArrayList<>(List.of(WireMockWatcher.javaBinary()));
		command.addAll(jvmOptions());
		command.addAll(List.of("-cp", classPath, PlainJdbcLoop.class.getName(), watcher.baseUrl(),
				WireMockWatcher.API_KEY, String.valueOf(pointers)));
		watcher.reset();
		JobProcess.run(command, environment(database), dir.resolve("loop"), Duration.ofMinutes(30));
		List<long[]> answers = watcher.answers();
		double span = (answers.get(answers.size() - 1)[0] - answers.get(0)[0]) / 1e9;
		return answers.size() / span;
	}

	private JobProcess.Measured job(BenchDatabase database, QueueingWatcher watcher, Path dir, List<String> extra)
			throws Exception {
		List<String> command = new ArrayList<>(List.of(WireMockWatcher.javaBinary()));
		command.addAll(jvmOptions());
		command.addAll(List.of("-jar", this.options.get("--jar"), "reconcile", "--apply",
				"--watcher-base-url=" + watcher.baseUrl(), "--reconciler.watcher.api-key=" + WireMockWatcher.API_KEY,
				"--report-dir=" + dir.resolve("reports")));
		command.addAll(extra);
		command.addAll(this.jobArgs);
		return JobProcess.run(command, environment(database), dir, Duration.ofMinutes(60));
	}

	private String slowdown() {
		double after = Double.parseDouble(this.options.get("--slow-after-seconds"));
		return (after > 0) ? "; slows " + this.options.get("--slow-factor") + "-fold " + after + " s after the first lookup"
				: "";
	}

	/** One entry per second: the requests in the fake at its last sample. */
	private static String timeline(List<int[]> samples) {
		StringBuilder line = new StringBuilder();
		int second = -1;
		int[] last = null;
		for (int[] sample : samples) {
			if (last != null && sample[0] / 1000 != second) {
				line.append(second).append("s:").append(last[1]).append((last[2] > samples.get(0)[2]) ? "* " : " ");
			}
			second = sample[0] / 1000;
			last = sample;
		}
		return line.toString().strip();
	}

	private List<String> jvmOptions() {
		return Arrays.asList(this.options.get("--jvm-opts").trim().split("\\s+"));
	}

	private static Map<String, String> environment(BenchDatabase database) {
		return Map.of("SPRING_DATASOURCE_URL", database.jdbcUrl(), "SPRING_DATASOURCE_USERNAME", BenchDatabase.USER,
				"SPRING_DATASOURCE_PASSWORD", BenchDatabase.PASSWORD);
	}

	private int integer(String name) {
		return Integer.parseInt(this.options.get(name));
	}

	private static double percentile(List<Long> sorted, int percent) {
		return sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1, sorted.size() * percent / 100));
	}

	private static String f0(double value) {
		return String.format(Locale.ROOT, "%.0f", value);
	}

	private static String f1(double value) {
		return String.format(Locale.ROOT, "%.1f", value);
	}

	private static String f2(double value) {
		return String.format(Locale.ROOT, "%.2f", value);
	}

}
