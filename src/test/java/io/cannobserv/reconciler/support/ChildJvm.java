package io.cannobserv.reconciler.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.cannobserv.reconciler.WatcherReconcilerApplication;

/**
 * The real application in a JVM of its own, started through {@code main} as an operator
 * or a CronJob would: its own signal handling, its own exit code, its own connections, so
 * it can be killed with SIGKILL or stopped with SIGTERM.
 * <p>
 * The classpath is the application's classes plus this JVM's runtime classpath, without
 * the test classes. Everything the child prints (standard output and error together) goes
 * to {@code <build dir>/child-jvm/<name>-<n>.log}, kept for diagnosis.
 */
public final class ChildJvm {

	/**
	 * Cheap start: a child runs for seconds, not long enough for C2 or a big heap to pay
	 * off.
	 */
	private static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto",
			"-XX:+UseSerialGC", "-Xmx256m");

	private static final AtomicInteger count = new AtomicInteger();

	private final String name;

	private final Process process;

	private final Path outputFile;

	private final Path errorFile;

	private ChildJvm(String name, Process process, Path outputFile, Path errorFile) {
		this.name = name;
		this.process = process;
		this.outputFile = outputFile;
		this.errorFile = errorFile;
	}

	/**
	 * Launch {@code WatcherReconcilerApplication} with {@code args}.
	 * @param name a label for the output file, e.g. the test and the attempt
	 * @param args the application's arguments, command first
	 */
	public static ChildJvm start(String name, List<String> args) {
		return start(name, args, false);
	}

	/**
	 * Like {@link #start}, with standard error apart: {@link #output()} is then what the
	 * child printed on standard output alone, {@link #errors()} the rest.
	 */
	public static ChildJvm startWithErrorsApart(String name, List<String> args) {
		return start(name, args, true);
	}

	private static ChildJvm start(String name, List<String> args, boolean errorsApart) {
		String file = name + "-" + count.incrementAndGet();
		Path outputFile = outputDirectory().resolve(file + ".log");
		Path errorFile = errorsApart ? outputDirectory().resolve(file + ".err.log") : outputFile;
		List<String> command = new ArrayList<>();
		command.add(javaBinary());
		command.addAll(JVM_OPTIONS);
		command.add("-cp");
		command.add(classpath());
		command.add(WatcherReconcilerApplication.class.getName());
		command.addAll(args);
		ProcessBuilder builder = new ProcessBuilder(command)
			.redirectOutput(ProcessBuilder.Redirect.to(outputFile.toFile()));
		if (errorsApart) {
			builder.redirectError(ProcessBuilder.Redirect.to(errorFile.toFile()));
		}
		else {
			builder.redirectErrorStream(true);
		}
		try {
			return new ChildJvm(name, builder.start(), outputFile, errorFile);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start child JVM " + name, ex);
		}
	}

	/**
	 * Run {@code WatcherReconcilerApplication} with {@code args} to its end, as an
	 * operator's shell would, and keep its two streams apart. The child's environment is
	 * this JVM's without the application's own variables ({@code SPRING_*},
	 * {@code WATCHER_*}, {@code RECONCILER_*}), plus {@code environment}.
	 * @param name a label for the output files
	 * @param args the application's arguments, command first
	 * @param environment variables to set
	 * @param timeout how long it may take; it is killed after that and the test fails
	 */
	public static Finished run(String name, List<String> args, Map<String, String> environment, Duration timeout) {
		int n = count.incrementAndGet();
		Path out = outputDirectory().resolve(name + "-" + n + ".out");
		Path err = outputDirectory().resolve(name + "-" + n + ".err");
		List<String> command = new ArrayList<>();
		command.add(javaBinary());
		command.addAll(JVM_OPTIONS);
		command.add("-cp");
		command.add(classpath());
		command.add(WatcherReconcilerApplication.class.getName());
		command.addAll(args);
		ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
		builder.environment()
			.keySet()
			.removeIf((variable) -> variable.startsWith("SPRING_") || variable.startsWith("WATCHER_")
					|| variable.startsWith("RECONCILER_"));
		builder.environment().putAll(environment);
		try {
			Process process = builder.start();
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
				throw new AssertionError("Child JVM " + name + " did not exit within " + timeout + "; killed. Output: "
						+ Files.readString(out) + Files.readString(err));
			}
			return new Finished(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
					Files.readString(err, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run child JVM " + name, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for child JVM " + name, ex);
		}
	}

	/**
	 * What a child run to its end returned and printed.
	 *
	 * @param exitCode its exit code
	 * @param out its standard output
	 * @param err its standard error
	 */
	public record Finished(int exitCode, String out, String err) {

	}

	/**
	 * The arguments of {@code reconcile} against {@code database} and {@code watcher}, as
	 * {@link ReconcilerRun#reconcile} passes them in-process, then {@code options}.
	 */
	public static List<String> reconcileArgs(TestDatabase database, FakeWatcher watcher, Path reportDir,
			String... options) {
		return ReconcilerRun.reconcileArgs(database, watcher, reportDir, "2s", options);
	}

	/**
	 * Wait for the child to exit.
	 * @return its exit code
	 * @throws AssertionError when it is still running after {@code timeout}; it is then
	 * killed, and the message ends with what it printed last
	 */
	public int waitFor(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				kill9();
				throw new AssertionError("Child JVM " + this.name + " (pid " + pid() + ") did not exit within "
						+ timeout + "; killed. Output " + this.outputFile + " ends with:\n" + tail(40));
			}
			return this.process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for child JVM " + this.name, ex);
		}
	}

	/** The label it was started with. */
	public String name() {
		return this.name;
	}

	public long pid() {
		return this.process.pid();
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** SIGKILL on Linux: no shutdown hook, no finally block, no last words. */
	public void kill9() {
		this.process.destroyForcibly();
		try {
			this.process.waitFor(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** SIGTERM on Linux, what Kubernetes sends first; does not wait. */
	public void sigterm() {
		this.process.destroy();
	}

	/**
	 * Everything the child printed so far, standard output and error interleaved (only
	 * standard output when {@link #startWithErrorsApart started so}).
	 */
	public String output() {
		return read(this.outputFile);
	}

	/**
	 * What the child printed on standard error, when {@link #startWithErrorsApart started
	 * so}; otherwise the same as {@link #output()}.
	 */
	public String errors() {
		return read(this.errorFile);
	}

	private static String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public Path outputFile() {
		return this.outputFile;
	}

	/** The last {@code lines} lines of the output, for failure messages. */
	public String tail(int lines) {
		List<String> all = output().lines().toList();
		return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
	}

	@Override
	public String toString() {
		return "child JVM " + this.name + " (pid " + pid() + ", output " + this.outputFile + ")";
	}

	private static String javaBinary() {
		return ProcessHandle.current()
			.info()
			.command()
			.orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
	}

	/**
	 * The application's classes first, then this JVM's classpath without the test
	 * classes.
	 */
	private static String classpath() {
		Path applicationClasses = codeSource(WatcherReconcilerApplication.class);
		Path testClasses = codeSource(ChildJvm.class);
		Set<String> entries = new LinkedHashSet<>();
		entries.add(applicationClasses.toString());
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			if (!entry.isBlank() && !Path.of(entry).toAbsolutePath().equals(testClasses)) {
				entries.add(Path.of(entry).toAbsolutePath().toString());
			}
		}
		return String.join(File.pathSeparator, entries);
	}

	/**
	 * Where the output files go: next to the compiled classes, so that
	 * {@code -Dbuild.dir} moves it along.
	 */
	public static Path outputDirectory() {
		Path directory = codeSource(WatcherReconcilerApplication.class).getParent().resolve("child-jvm");
		try {
			return Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path codeSource(Class<?> type) {
		try {
			return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
