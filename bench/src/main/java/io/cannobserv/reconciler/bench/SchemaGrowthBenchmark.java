package io.cannobserv.reconciler.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How much the job's own schema grows per run, table by table, at a given registry size,
 * and how long {@code prune} takes to remove many such runs. Not a test: it prints
 * numbers.
 * <p>
 * On a PostgreSQL and a fake Watcher of its own (as {@link ThroughputBenchmark}), with the
 * registry seeded as there (per 100 pointers: 90 live, 5 gone, 3 archived, 2 answering
 * 503), it runs the job's jar as a child process, each command in turn, and measures
 * {@code pg_total_relation_size} of every table of the job's schema before and after each
 * (after a {@code VACUUM}, so that dead rows of the run's own updates count once they are
 * reusable, as autovacuum would leave them):
 * <ol>
 * <li>{@code prune}: creates the schema, empty;</li>
 * <li>{@code reconcile}: a dry run;</li>
 * <li>{@code reconcile --apply}: the first applying run, which clears the 5 % gone;</li>
 * <li>{@code restore --run} of that run, which puts them back;</li>
 * <li>{@code reconcile --apply} again, which clears them again;</li>
 * <li>{@code reconcile --apply --strategy=snapshot}: a steady night, nothing gone.</li>
 * </ol>
 * Right after the restore it makes N copies of the restored applying run, every row of
 * it in every table (Spring Batch's included) under new ids and aged past the cutoff
 * (restore could undo none of them: their rows were put back), and at the end measures
 * {@code prune} (dry run, then {@code --apply}) removing them, and the schema's size
 * before and after.
 */
public final class SchemaGrowthBenchmark {

	private static final Logger logger = LoggerFactory.getLogger(SchemaGrowthBenchmark.class);

	private static final String SCHEMA = BenchDatabase.JOB_SCHEMA;

	private static final Pattern RUN_ID = Pattern.compile("(?m)Run (\\d+) \\(");

	private final Path jar;

	private final Path runDir;

	private final Path wiremockJar;

	private final int size;

	private final int copies;

	private final List<String> jvmOptions;

	private final boolean pgFast;

	private final PrintStream out;

	private final StringBuilder results = new StringBuilder();

	private SchemaGrowthBenchmark(Path jar, Path workDir, Path wiremockJar, int size, int copies,
			List<String> jvmOptions, boolean pgFast, PrintStream out) {
		this.jar = jar;
		this.runDir = workDir.resolve("schema-growth-"
				+ LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
		this.wiremockJar = wiremockJar;
		this.size = size;
		this.copies = copies;
		this.jvmOptions = jvmOptions;
		this.pgFast = pgFast;
		this.out = out;
	}

	public static void main(String[] args) throws Exception {
		Path jar = null;
		Path workDir = null;
		Path wiremockJar = Path.of(System.getProperty("user.home"),
				".m2/repository/org/wiremock/wiremock-standalone/3.13.2/wiremock-standalone-3.13.2.jar");
		int size = 100_000;
		int copies = 30;
		List<String> jvmOptions = List.of(BenchOptions.DEFAULT_JVM_OPTIONS.split(" "));
		boolean pgFast = false;
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			switch (arg) {
				case "--jar" -> jar = Path.of(args[++i]);
				case "--work-dir" -> workDir = Path.of(args[++i]);
				case "--wiremock-jar" -> wiremockJar = Path.of(args[++i]);
				case "--size" -> size = Integer.parseInt(args[++i]);
				case "--copies" -> copies = Integer.parseInt(args[++i]);
				case "--jvm-opts" -> jvmOptions = List.of(args[++i].strip().split("\\s+"));
				case "--pg-fast" -> pgFast = true;
				case "-h", "--help" -> {
					System.out.print(usage());
					return;
				}
				default -> {
					System.err.println("schema-growth: unknown argument '" + arg + "' (see --help)");
					System.exit(2);
				}
			}
		}
		if (jar == null) {
			System.err.println("schema-growth: --jar is required (see --help)");
			System.exit(2);
			return;
		}
		if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
			root.setLevel(ch.qos.logback.classic.Level.WARN);
		}
		Path dir = (workDir != null) ? workDir : jar.toAbsolutePath().getParent().resolve("bench");
		System.exit(new SchemaGrowthBenchmark(jar, dir, wiremockJar, size, copies, jvmOptions, pgFast, System.out)
			.run());
	}

	static String usage() {
		return """
				Usage: SchemaGrowthBenchmark --jar JAR [options]   (normally: bench/benchmark.sh --schema-growth)

				Measures the growth of the job's schema per run, table by table, and how long prune
				takes to remove N runs of that size.

				  --size N          pointers in the registry [100000]
				  --copies N        copies of an applying run that prune then removes [30]
				  --jvm-opts "OPTS" the job's JVM options [%s]
				  --pg-fast         PostgreSQL with fsync off (default: durable, as in production)
				  --work-dir DIR    databases, logs and results [<jar dir>/bench]
				  --wiremock-jar JAR
				  --jar JAR         the job's jar (required)
				""".formatted(BenchOptions.DEFAULT_JVM_OPTIONS);
	}

	private int run() throws Exception {
		Files.createDirectories(this.runDir);
		emit("Load average " + Files.readString(Path.of("/proc/loadavg")).strip() + " on "
				+ Runtime.getRuntime().availableProcessors() + " cores");
		try (BenchDatabase database = BenchDatabase.start(this.runDir.resolve("postgres"), this.pgFast);
				WireMockWatcher watcher = WireMockWatcher.start(this.wiremockJar, this.runDir.resolve("watcher"), 0)) {
			emit("PostgreSQL " + database.setting("server_version") + ", fsync=" + database.setting("fsync")
					+ "; registry of " + this.size + " pointers (per 100: 90 live, 5 gone, 3 archived, 2 answering 503)");
			progress("seeding " + this.size + " pointers");
			database.seed(this.size);
			watcher.writeList(this.size);
			List<Step> steps = new ArrayList<>();
			Map<String, Long> sizes = sizes(database);
			command(database, watcher, "prune", List.of("prune"));
			Map<String, Long> empty = sizes(database);
			steps.add(new Step("schema created (prune on an empty history)", sizes, empty, 0));
			sizes = empty;
			steps.add(measure(database, watcher, "dry run", List.of("reconcile"), sizes));
			sizes = steps.get(steps.size() - 1).after();
			Step firstApply = measure(database, watcher, "apply, clears the 5 % gone", List.of("reconcile", "--apply"),
					sizes);
			steps.add(firstApply);
			sizes = firstApply.after();
			long applied = firstApply.runId();
			steps.add(measure(database, watcher, "restore of that run",
					List.of("restore", "--run", String.valueOf(applied), "--apply"), sizes));
			// the copies before the runs that follow: these are then the latest of their kind
			progress("copying run " + applied + " " + this.copies + " times, aged 100 days");
			copy(database, applied, this.copies);
			sizes = sizes(database);
			Step again = measure(database, watcher, "apply, clears them again", List.of("reconcile", "--apply"),
					sizes);
			steps.add(again);
			sizes = again.after();
			steps.add(measure(database, watcher, "apply, snapshot strategy, nothing gone",
					List.of("reconcile", "--apply", "--strategy=snapshot"), sizes));
			emit("");
			emit("### Growth of the job's schema per command at " + this.size + " pointers (bytes, "
					+ "pg_total_relation_size after VACUUM: table, indexes, TOAST)");
			emit("");
			emit(growthTable(steps));

			Map<String, Long> beforePrune = sizes(database);
			long rows = rows(database);
			JobProcess.Measured dryRun = command(database, watcher, "prune-dry-run", List.of("prune"));
			JobProcess.Measured prune = command(database, watcher, "prune-apply", List.of("prune", "--apply"));
			JobProcess.Measured nothing = command(database, watcher, "prune-nothing-left",
					List.of("prune", "--apply"));
			Map<String, Long> afterPrune = sizes(database);
			vacuum(database, true);
			Map<String, Long> afterVacuumFull = sizes(database);
			emit("");
			emit("### prune of " + this.copies + " copies of run " + applied + " (" + rows
					+ " rows in the job's schema before)");
			emit("");
			emit("| | wall (process start to exit) |");
			emit("|---|---|");
			emit(String.format(Locale.ROOT, "| prune (dry run) | %.1f s |", dryRun.wallSeconds()));
			emit(String.format(Locale.ROOT, "| prune --apply | %.1f s |", prune.wallSeconds()));
			emit(String.format(Locale.ROOT, "| prune --apply, nothing left to delete (start-up and planning) | %.1f s |",
					nothing.wallSeconds()));
			emit("");
			emit(String.format(Locale.ROOT,
					"Schema: %s before prune, %s after it (the space is free for new rows, not returned),"
							+ " %s after VACUUM FULL.",
					mb(total(beforePrune)), mb(total(afterPrune)), mb(total(afterVacuumFull))));
			emit("Prune's summary:");
			emit("```");
			emit(summary(prune.log()));
			emit("```");
		}
		Path file = this.runDir.resolve("results.md");
		Files.writeString(file, this.results.toString(), StandardCharsets.UTF_8);
		this.out.println("Results written to " + file);
		return 0;
	}

	private Step measure(BenchDatabase database, WireMockWatcher watcher, String name, List<String> args,
			Map<String, Long> before) throws Exception {
		JobProcess.Measured measured = command(database, watcher, name.replaceAll("[^a-z0-9]+", "-"), args);
		Matcher run = RUN_ID.matcher(Files.readString(measured.log()));
		long runId = run.find() ? Long.parseLong(run.group(1)) : 0;
		return new Step(name + " (" + String.join(" ", args) + ", " + String.format(Locale.ROOT, "%.0f s",
				measured.wallSeconds()) + ")", before, sizes(database), runId);
	}

	private JobProcess.Measured command(BenchDatabase database, WireMockWatcher watcher, String name,
			List<String> args) throws Exception {
		progress(String.join(" ", args));
		List<String> command = new ArrayList<>();
		command.add(WireMockWatcher.javaBinary());
		command.addAll(this.jvmOptions);
		command.add("-jar");
		command.add(this.jar.toString());
		command.addAll(args);
		command.add("--watcher-base-url=" + watcher.baseUrl());
		command.add("--reconciler.watcher.api-key=" + WireMockWatcher.API_KEY);
		command.add("--report-dir=" + this.runDir.resolve("reports"));
		command.add("--max-requests-per-second=0");
		Map<String, String> environment = Map.of("SPRING_DATASOURCE_URL", database.jdbcUrl(),
				"SPRING_DATASOURCE_USERNAME", BenchDatabase.USER, "SPRING_DATASOURCE_PASSWORD", BenchDatabase.PASSWORD);
		JobProcess.Measured measured = JobProcess.run(command, environment, this.runDir.resolve("runs").resolve(name),
				Duration.ofHours(2), this::progress);
		if (measured.exitCode() != 0) {
			throw new IllegalStateException(String.join(" ", args) + " exited " + measured.exitCode() + ":\n"
					+ JobProcess.tail(measured.log(), 30));
		}
		return measured;
	}

	/** Size of every table of the job's schema, after a VACUUM, by table. */
	private Map<String, Long> sizes(BenchDatabase database) throws SQLException {
		vacuum(database, false);
		Map<String, Long> sizes = new TreeMap<>();
		try (Connection connection = database.connect();
				PreparedStatement statement = connection.prepareStatement("SELECT c.relname,"
						+ " pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
						+ " WHERE n.nspname = ? AND c.relkind = 'r'")) {
			statement.setString(1, SCHEMA);
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					sizes.put(rs.getString(1), rs.getLong(2));
				}
			}
		}
		return sizes;
	}

	private void vacuum(BenchDatabase database, boolean full) throws SQLException {
		try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
			for (String table : tables(connection)) {
				statement.execute("VACUUM " + (full ? "FULL " : "") + SCHEMA + "." + table);
			}
		}
	}

	private static List<String> tables(Connection connection) throws SQLException {
		List<String> tables = new ArrayList<>();
		try (PreparedStatement statement = connection
			.prepareStatement("SELECT tablename FROM pg_tables WHERE schemaname = ? ORDER BY 1")) {
			statement.setString(1, SCHEMA);
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					tables.add(rs.getString(1));
				}
			}
		}
		return tables;
	}

	private long rows(BenchDatabase database) throws SQLException {
		long rows = 0;
		try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
			for (String table : tables(connection)) {
				try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + SCHEMA + "." + table)) {
					rs.next();
					rows += rs.getLong(1);
				}
			}
		}
		return rows;
	}

	/**
	 * Copies every row of run {@code runId} {@code copies} times, each copy a run of its
	 * own (new job instance, executions, step executions, history row, sweep, clears and
	 * findings), its times moved 100 days back.
	 */
	private void copy(BenchDatabase database, long runId, int copies) throws SQLException {
		try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
			connection.setAutoCommit(false);
			String age = "interval '100 days'";
			for (int copy = 1; copy <= copies; copy++) {
				statement.execute("CREATE TEMP TABLE run_map ON COMMIT DROP AS SELECT " + runId
						+ "::bigint AS old, nextval('" + SCHEMA + ".batch_job_instance_seq') AS new");
				statement.execute("CREATE TEMP TABLE execution_map ON COMMIT DROP AS SELECT job_execution_id AS old,"
						+ " nextval('" + SCHEMA + ".batch_job_execution_seq') AS new FROM " + SCHEMA
						+ ".batch_job_execution WHERE job_instance_id = " + runId);
				statement.execute("CREATE TEMP TABLE step_map ON COMMIT DROP AS SELECT s.step_execution_id AS old,"
						+ " nextval('" + SCHEMA + ".batch_step_execution_seq') AS new FROM " + SCHEMA
						+ ".batch_step_execution s JOIN execution_map m ON m.old = s.job_execution_id");
				String newRun = "(SELECT new FROM run_map)";
				String newExecution = "(SELECT new FROM execution_map m WHERE m.old = t.job_execution_id)";
				String newStep = "(SELECT new FROM step_map m WHERE m.old = t.step_execution_id)";
				insertCopy(connection, "batch_job_instance", "job_instance_id = " + runId,
						Map.of("job_instance_id", newRun, "job_key", "md5(t.job_key || " + newRun + ")"));
				insertCopy(connection, "batch_job_execution", "job_instance_id = " + runId,
						Map.of("job_execution_id", newExecution, "job_instance_id", newRun, "create_time",
								"t.create_time - " + age, "start_time", "t.start_time - " + age, "end_time",
								"t.end_time - " + age, "last_updated", "t.last_updated - " + age));
				String ofExecutions = "job_execution_id IN (SELECT old FROM execution_map)";
				insertCopy(connection, "batch_job_execution_params", ofExecutions,
						Map.of("job_execution_id", newExecution, "parameter_value",
								"CASE WHEN t.parameter_name = 'runKey' THEN t.parameter_value || '-copy-' || "
										+ newRun + " ELSE t.parameter_value END"));
				insertCopy(connection, "batch_job_execution_context", ofExecutions,
						Map.of("job_execution_id", newExecution));
				insertCopy(connection, "batch_step_execution", ofExecutions,
						Map.of("step_execution_id", newStep, "job_execution_id", newExecution, "create_time",
								"t.create_time - " + age, "start_time", "t.start_time - " + age, "end_time",
								"t.end_time - " + age, "last_updated", "t.last_updated - " + age));
				insertCopy(connection, "batch_step_execution_context",
						"step_execution_id IN (SELECT old FROM step_map)", Map.of("step_execution_id", newStep));
				insertCopy(connection, "reconcile_run", "run_id = " + runId,
						Map.of("run_id", newRun, "last_job_execution_id", newExecution.replace("t.job_execution_id",
								"t.last_job_execution_id"), "started_at", "t.started_at - " + age, "ended_at",
								"t.ended_at - " + age, "recorded_at", "t.recorded_at - " + age));
				Map<String, String> ofRun = new LinkedHashMap<>();
				ofRun.put("run_id", newRun);
				ofRun.put("job_execution_id", newExecution);
				Map<String, String> clear = new LinkedHashMap<>(ofRun);
				clear.put("clear_id", "nextval('" + SCHEMA + ".pointer_clear_clear_id_seq')");
				insertCopy(connection, "pointer_clear", "run_id = " + runId, clear);
				insertCopy(connection, "pointer_finding", "run_id = " + runId, ofRun);
				statement.execute("WITH sweep AS (INSERT INTO " + SCHEMA + ".brake_sweep (mode, archiver_table,"
						+ " partitions, opened_at, checked, gone) SELECT s.mode, s.archiver_table, s.partitions,"
						+ " s.opened_at - " + age + ", s.checked, s.gone FROM " + SCHEMA + ".brake_sweep s JOIN "
						+ SCHEMA + ".brake_sweep_run r ON r.sweep_id = s.sweep_id WHERE r.run_id = " + runId
						+ " RETURNING sweep_id) INSERT INTO " + SCHEMA + ".brake_sweep_run (run_id, sweep_id,"
						+ " partition, joined_at) SELECT " + newRun + ", sweep_id, 0, now() - " + age + " FROM sweep");
				connection.commit();
			}
		}
	}

	/**
	 * {@code INSERT INTO table SELECT ... FROM table t WHERE condition}, every column
	 * copied unless {@code replaced} gives an expression for it.
	 */
	private static void insertCopy(Connection connection, String table, String condition,
			Map<String, String> replaced) throws SQLException {
		List<String> columns = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement("SELECT column_name FROM"
				+ " information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
			statement.setString(1, SCHEMA);
			statement.setString(2, table);
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					columns.add(rs.getString(1));
				}
			}
		}
		List<String> values = columns.stream().map((column) -> replaced.getOrDefault(column, "t." + column)).toList();
		try (Statement statement = connection.createStatement()) {
			statement.execute("INSERT INTO " + SCHEMA + "." + table + " (" + String.join(", ", columns) + ") SELECT "
					+ String.join(", ", values) + " FROM " + SCHEMA + "." + table + " t WHERE " + condition);
		}
	}

	private String growthTable(List<Step> steps) {
		List<String> tables = new ArrayList<>(steps.get(steps.size() - 1).after().keySet());
		StringBuilder table = new StringBuilder("| table |");
		steps.forEach((step) -> table.append(' ').append(step.name()).append(" |"));
		table.append("\n|---|");
		steps.forEach((step) -> table.append("---|"));
		table.append('\n');
		for (String name : tables) {
			table.append("| ").append(name).append(" |");
			for (Step step : steps) {
				long delta = step.after().getOrDefault(name, 0L) - step.before().getOrDefault(name, 0L);
				table.append(' ').append(String.format(Locale.ROOT, "%,d", delta)).append(" |");
			}
			table.append('\n');
		}
		table.append("| **total** |");
		for (Step step : steps) {
			table.append(' ')
				.append(String.format(Locale.ROOT, "**%,d**", total(step.after()) - total(step.before())))
				.append(" |");
		}
		return table.append('\n').toString();
	}

	private static long total(Map<String, Long> sizes) {
		return sizes.values().stream().mapToLong(Long::longValue).sum();
	}

	private static String mb(long bytes) {
		return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
	}

	private static String summary(Path log) throws IOException {
		List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
		int start = 0;
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).startsWith("Prune of ")) {
				start = i;
			}
		}
		return String.join("\n", lines.subList(start, Math.min(lines.size(), start + 40))).strip();
	}

	private void emit(String line) {
		this.out.println(line);
		this.results.append(line).append('\n');
	}

	private void progress(String line) {
		this.out.println("schema-growth: " + line);
	}

	/**
	 * One measured command.
	 *
	 * @param name what it was
	 * @param before sizes before, by table
	 * @param after sizes after, by table
	 * @param runId the run it made, 0 when none
	 */
	private record Step(String name, Map<String, Long> before, Map<String, Long> after, long runId) {
	}

}
