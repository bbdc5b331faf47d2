package io.cannobserv.reconciler.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The benchmark's command line. Every option has a default that makes the quick mode: one
 * size (10 000), latencies 0 and 20 ms, one repeat, no start-up measurement.
 *
 * @param jar the application jar to measure
 * @param workDir where the databases, logs, reports and results go
 * @param wiremockJar WireMock's standalone jar, run as the fake Watcher
 * @param sizes pointers per case
 * @param latencies fake Watcher latency per request, milliseconds
 * @param repeats runs per case; the table shows medians
 * @param startup whether to measure start-up (a 4-pointer run, with and without CDS)
 * @param startupRepeats runs per start-up variant
 * @param startupBaseline another build's jar (main's, say), measured as one more plain-jar
 * start-up variant beside this one, or null
 * @param throughput whether to run the size × latency matrix
 * @param concurrency the job's {@code --concurrency}, also wrk's connections
 * @param strategies the job's {@code --strategy} values, each run side by side per case
 * @param jobArgs extra options for the job, e.g. {@code --max-requests-per-second=0}
 * @param jvmOptions the job's JVM options
 * @param wrkSeconds how long wrk measures the fake Watcher alone, 0 = not at all
 * @param maxRunMinutes skip a case whose estimate (from a smaller size at the same
 * latency) passes this, 0 = never skip
 * @param runTimeoutMinutes kill a run that takes longer
 * @param pgFast PostgreSQL without fsync (default: durable commits, as in production)
 * @param help whether usage was asked for
 */
record BenchOptions(Path jar, Path workDir, Path wiremockJar, List<Integer> sizes, List<Integer> latencies, int repeats,
		boolean startup, int startupRepeats, @Nullable Path startupBaseline, boolean throughput, int concurrency,
		List<String> strategies, List<String> jobArgs,
		List<String> jvmOptions, int wrkSeconds, double maxRunMinutes, double runTimeoutMinutes, boolean pgFast,
		boolean help) {

	static final String DEFAULT_JVM_OPTIONS = "-Xmx384m -XX:TieredStopAtLevel=1";

	private static final String RATE_CAP_OPTION = "max-requests-per-second";

	static String usage() {
		return """
				Usage: ThroughputBenchmark --jar JAR [options]   (normally through bench/benchmark.sh)

				Runs the job's jar (reconcile --apply) as a child process against a PostgreSQL and a fake
				Watcher (WireMock standalone, a separate process) of its own, and prints per case
				(size x latency, median of the repeats) the job's figures beside its limits.

				  --sizes LIST             pointers per case, e.g. 10000,100000,1000000 [10000]; 0 = none
				  --latencies LIST         fake Watcher latency per request in ms [0,20]
				  --repeats N              runs per case, medians reported [1]
				  --startup                also measure start-up: a 4-pointer run, plain / CDS, eager / lazy
				  --startup-only           only the start-up measurement
				  --startup-repeats N      runs per start-up variant [5]
				  --startup-baseline JAR   another build's jar (main's, say), one more plain-jar start-up variant
				  --concurrency N          the job's --concurrency, and wrk's connections [8]
				  --strategies LIST        the job's --strategy per run, side by side per case: per-item,
				                           snapshot, auto [per-item]
				  --job-arg ARG            an extra job option, repeatable, e.g. --job-arg=--chunk-size=500;
				                           the job runs without its rate cap unless one is given here,
				                           e.g. --job-arg=--max-requests-per-second=1000 (the job's default)
				  --jvm-opts "OPTS"        the job's JVM options [%s] (the image's: 512Mi pod, MaxRAMPercentage=75, C1 only)
				  --wrk-seconds N          wrk's measurement of the fake Watcher alone, 0 = skip [10]
				  --max-run-minutes M      skip a case estimated (from a smaller size) to take longer [30]; 0 = never
				  --run-timeout-minutes M  kill a run that takes longer [240]
				  --pg-fast                PostgreSQL with fsync off (default: durable, as in production)
				  --work-dir DIR           databases, logs, reports and results [<jar dir>/bench]
				  --wiremock-jar JAR       [~/.m2/.../wiremock-standalone-3.13.2.jar]
				  --jar JAR                the job's jar (required)
				  -h, --help               this help
				"""
			.formatted(DEFAULT_JVM_OPTIONS);
	}

	static BenchOptions parse(String... args) {
		Path jar = null;
		Path workDir = null;
		Path wiremockJar = Path.of(System.getProperty("user.home"),
				".m2/repository/org/wiremock/wiremock-standalone/3.13.2/wiremock-standalone-3.13.2.jar");
		List<Integer> sizes = List.of(10_000);
		List<Integer> latencies = List.of(0, 20);
		int repeats = 1;
		boolean startup = false;
		boolean throughput = true;
		int startupRepeats = 5;
		Path startupBaseline = null;
		int concurrency = 8;
		List<String> strategies = List.of("per-item");
		List<String> jobArgs = new ArrayList<>();
		List<String> jvmOptions = split(DEFAULT_JVM_OPTIONS);
		int wrkSeconds = 10;
		double maxRunMinutes = 30;
		double runTimeoutMinutes = 240;
		boolean pgFast = false;
		boolean help = false;
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			String name = arg;
			String inline = null;
			int equals = arg.indexOf('=');
			if (arg.startsWith("--") && equals > 0) {
				name = arg.substring(0, equals);
				inline = arg.substring(equals + 1);
			}
			switch (name) {
				case "-h", "--help" -> help = true;
				case "--startup" -> startup = true;
				case "--startup-only" -> {
					startup = true;
					throughput = false;
				}
				case "--pg-fast" -> pgFast = true;
				default -> {
					String value = inline;
					if (value == null) {
						if (i + 1 >= args.length) {
							throw new IllegalArgumentException("Option " + name + " needs a value (see --help)");
						}
						value = args[++i];
					}
					switch (name) {
						case "--jar" -> jar = Path.of(value);
						case "--work-dir" -> workDir = Path.of(value);
						case "--wiremock-jar" -> wiremockJar = Path.of(value);
						case "--sizes" -> sizes = ints(value);
						case "--latencies" -> latencies = ints(value);
						case "--repeats" -> repeats = positive(name, value);
						case "--startup-repeats" -> startupRepeats = positive(name, value);
						case "--startup-baseline" -> startupBaseline = Path.of(value).toAbsolutePath();
						case "--concurrency" -> concurrency = positive(name, value);
						case "--job-arg" -> jobArgs.add(value);
						case "--strategies" -> strategies = strategies(value);
						case "--jvm-opts" -> jvmOptions = split(value);
						case "--wrk-seconds" -> wrkSeconds = Integer.parseInt(value.strip());
						case "--max-run-minutes" -> maxRunMinutes = Double.parseDouble(value.strip());
						case "--run-timeout-minutes" -> runTimeoutMinutes = Double.parseDouble(value.strip());
						default -> throw new IllegalArgumentException("Unknown option " + name + " (see --help)");
					}
				}
			}
		}
		if (help) {
			return new BenchOptions(Path.of("."), Path.of("."), wiremockJar, sizes, latencies, repeats, startup,
					startupRepeats, startupBaseline, throughput, concurrency, strategies, jobArgs, jvmOptions, wrkSeconds,
					maxRunMinutes, runTimeoutMinutes, pgFast, true);
		}
		if (jar == null || !Files.isRegularFile(jar)) {
			throw new IllegalArgumentException("--jar JAR is required and must exist (got " + jar + ")");
		}
		if (startupBaseline != null && !Files.isRegularFile(startupBaseline)) {
			throw new IllegalArgumentException("--startup-baseline: no such jar " + startupBaseline);
		}
		if (!Files.isRegularFile(wiremockJar)) {
			throw new IllegalArgumentException("WireMock standalone jar not found: " + wiremockJar
					+ " (bench/benchmark.sh resolves it)");
		}
		if (sizes.stream().anyMatch((size) -> size <= 0)) {
			sizes = List.of();
		}
		if (workDir == null) {
			Path parent = jar.toAbsolutePath().getParent();
			workDir = ((parent != null) ? parent : Path.of(".")).resolve("bench");
		}
		if (jobArgs.stream().noneMatch((arg) -> arg.startsWith("--" + RATE_CAP_OPTION + "="))) {
			// the cap guards Watcher in production; here it would measure itself, not the
			// job
			jobArgs.add(0, "--" + RATE_CAP_OPTION + "=0");
		}
		return new BenchOptions(jar.toAbsolutePath(), workDir.toAbsolutePath(), wiremockJar, List.copyOf(sizes),
				List.copyOf(latencies), repeats, startup, startupRepeats, startupBaseline, throughput && !sizes.isEmpty(),
				concurrency, strategies, List.copyOf(jobArgs), List.copyOf(jvmOptions), wrkSeconds, maxRunMinutes,
				runTimeoutMinutes, pgFast, false);
	}

	private static List<String> strategies(String value) {
		List<String> strategies = Arrays.stream(value.split(",")).map(String::strip).toList();
		for (String strategy : strategies) {
			if (!List.of("per-item", "snapshot", "auto").contains(strategy)) {
				throw new IllegalArgumentException(
						"--strategies takes per-item, snapshot and/or auto, comma-separated (got " + strategy + ")");
			}
		}
		return List.copyOf(strategies);
	}

	/** The job's request-rate cap in force: from {@code --job-arg}, 0 (none) unless one was given. */
	double rateCap() {
		String value = jobOption(RATE_CAP_OPTION);
		return (value != null) ? Double.parseDouble(value) : 0;
	}

	/** The value of a job option given with {@code --job-arg=--name=value}, or null. */
	@Nullable String jobOption(String name) {
		String prefix = "--" + name + "=";
		String value = null;
		for (String arg : this.jobArgs) {
			if (arg.startsWith(prefix)) {
				value = arg.substring(prefix.length());
			}
		}
		return value;
	}

	private static List<Integer> ints(String list) {
		if (list.isBlank() || list.strip().equals("none")) {
			return List.of(0);
		}
		return Arrays.stream(list.split(",")).map(String::strip).map(Integer::parseInt).toList();
	}

	private static int positive(String name, String value) {
		int number = Integer.parseInt(value.strip());
		if (number < 1) {
			throw new IllegalArgumentException(name + " must be at least 1");
		}
		return number;
	}

	private static List<String> split(String options) {
		return Arrays.stream(options.strip().split("\\s+")).filter((option) -> !option.isEmpty()).toList();
	}

}
