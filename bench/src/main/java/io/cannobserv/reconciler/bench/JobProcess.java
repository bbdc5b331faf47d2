package io.cannobserv.reconciler.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * One run of a JVM command as a child process, from process start to exit: its wall time,
 * its peak resident memory and CPU time (GNU time's {@code %M %U %S}, or VmHWM sampled
 * from {@code /proc} when GNU time is missing), its exit code, its output in a log file.
 */
final class JobProcess {

	static final Path GNU_TIME = Path.of("/usr/bin/time");

	private static final Duration HEARTBEAT = Duration.ofSeconds(60);

	private JobProcess() {
	}

	/**
	 * What a run measured.
	 *
	 * @param exitCode the process's exit code, -1 when killed on timeout
	 * @param wallSeconds process start to exit
	 * @param peakRssMb peak resident set size, MiB
	 * @param cpuSeconds user + system CPU time, NaN when unknown
	 * @param log the run's output
	 */
	record Measured(int exitCode, double wallSeconds, double peakRssMb, double cpuSeconds, Path log) {
	}

	static Measured run(List<String> javaCommand, Map<String, String> environment, Path dir, Duration timeout)
			throws IOException, InterruptedException {
		return run(javaCommand, environment, dir, timeout, null);
	}

	/**
	 * Run, and every minute hand the job's last progress line to {@code heartbeat}.
	 */
	static Measured run(List<String> javaCommand, Map<String, String> environment, Path dir, Duration timeout,
			@Nullable Consumer<String> heartbeat) throws IOException, InterruptedException {
		Files.createDirectories(dir);
		Path log = dir.resolve("job.log");
		Path timeFile = dir.resolve("time.txt");
		Files.deleteIfExists(timeFile);
		boolean gnuTime = Files.isExecutable(GNU_TIME);
		List<String> command = new ArrayList<>();
		if (gnuTime) {
			command.addAll(List.of(GNU_TIME.toString(), "-f", "%M %U %S", "-o", timeFile.toString()));
		}
		command.addAll(javaCommand);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
		builder.environment().putAll(environment);
		long started = System.nanoTime();
		Process process = builder.start();
		long hwmKb = 0;
		long deadline = started + timeout.toNanos();
		boolean exited = false;
		long nextBeat = started + HEARTBEAT.toNanos();
		while (!exited && System.nanoTime() < deadline) {
			exited = process.waitFor(gnuTime ? 1000 : 50, TimeUnit.MILLISECONDS);
			if (!exited && !gnuTime) {
				hwmKb = Math.max(hwmKb, vmHwmKb(process.pid()));
			}
			if (!exited && heartbeat != null && System.nanoTime() > nextBeat) {
				nextBeat += HEARTBEAT.toNanos();
				String line = lastLineContaining(log, "Progress:");
				heartbeat.accept("  ... " + ((line != null) ? line.substring(line.indexOf("Progress:")) : "starting"));
			}
		}
		long ended = System.nanoTime();
		if (!exited) {
			// ours: GNU time and the JVM under it
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
			process.waitFor(30, TimeUnit.SECONDS);
			return new Measured(-1, (ended - started) / 1e9, Double.NaN, Double.NaN, log);
		}
		double rssMb = hwmKb / 1024.0;
		double cpu = Double.NaN;
		if (gnuTime && Files.isRegularFile(timeFile)) {
			List<String> lines = Files.readAllLines(timeFile, StandardCharsets.UTF_8);
			// GNU time prefixes "Command exited with non-zero status N" when the child
			// failed
			String[] fields = lines.get(lines.size() - 1).strip().split("\\s+");
			rssMb = Long.parseLong(fields[0]) / 1024.0;
			cpu = Double.parseDouble(fields[1]) + Double.parseDouble(fields[2]);
		}
		return new Measured(process.exitValue(), (ended - started) / 1e9, rssMb, cpu, log);
	}

	private static long vmHwmKb(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
				if (line.startsWith("VmHWM:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// the process is gone between two samples
		}
		return 0;
	}

	/** The last line in the log's last 64 KiB that contains {@code text}, or null. */
	private static @Nullable String lastLineContaining(Path log, String text) {
		try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
			long length = file.length();
			long from = Math.max(0, length - 65_536);
			byte[] bytes = new byte[(int) (length - from)];
			file.seek(from);
			file.readFully(bytes);
			String tail = new String(bytes, StandardCharsets.UTF_8);
			String found = null;
			for (String line : tail.split("\n")) {
				if (line.contains(text)) {
					found = line.strip();
				}
			}
			return found;
		}
		catch (IOException ex) {
			return null;
		}
	}

	/** The last lines of a log, for a failed run. */
	static String tail(Path log, int lines) {
		try {
			List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
			return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

}
