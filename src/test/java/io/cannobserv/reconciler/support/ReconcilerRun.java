package io.cannobserv.reconciler.support;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.cannobserv.reconciler.WatcherReconcilerApplication;

/**
 * Runs the real command line in this JVM, as {@code main} would, and keeps what it
 * printed. Each run starts and closes its own application context.
 */
public final class ReconcilerRun {

	private ReconcilerRun() {
	}

	/**
	 * Run {@code command} against {@code database} and {@code watcher}, with fast retries
	 * (a test need not wait seconds for a transient verdict).
	 */
	public static Result reconcile(TestDatabase database, FakeWatcher watcher, Path reportDir, String... options) {
		// a generous read timeout: a loaded CI machine can take seconds to answer the
		// first request
		List<String> args = reconcileArgs(database, watcher, reportDir, "10s", options);
		return run(args.toArray(String[]::new));
	}

	/**
	 * Like {@link #reconcile(TestDatabase, FakeWatcher, Path, String...)}, with Watcher
	 * at {@code baseUrl}: a server in front of {@code watcher}, say.
	 */
	public static Result reconcile(TestDatabase database, FakeWatcher watcher, String baseUrl, Path reportDir,
			String... options) {
		List<String> args = reconcileArgs(database, watcher, reportDir, "10s", options);
		args.replaceAll(
				(arg) -> arg.equals("--watcher-base-url=" + watcher.baseUrl()) ? "--watcher-base-url=" + baseUrl : arg);
		return run(args.toArray(String[]::new));
	}

	public static Result run(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int exitCode;
		try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
				PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
			exitCode = WatcherReconcilerApplication.run(outStream, errStream, args);
		}
		return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	/**
	 * What a run returned and printed.
	 *
	 * @param exitCode the process exit code
	 * @param out the summary printed on standard output
	 * @param err error lines printed on standard error
	 */
	public record Result(int exitCode, String out, String err) {

	}

	/**
	 * {@code reconcile} with the database's connection, the fake Watcher, a report
	 * directory and fast retries (a test need not wait seconds for a transient verdict),
	 * then {@code options}.
	 */
	static List<String> reconcileArgs(TestDatabase database, FakeWatcher watcher, Path reportDir, String readTimeout,
			String... options) {
		List<String> args = new ArrayList<>(List.of("reconcile"));
		args.addAll(List.of(database.springArgs()));
		args.add("--watcher-base-url=" + watcher.baseUrl());
		args.add("--reconciler.watcher.api-key=" + watcher.apiKey());
		args.add("--report-dir=" + reportDir);
		args.add("--initial-backoff=5ms");
		args.add("--max-backoff=20ms");
		args.add("--read-timeout=" + readTimeout);
		args.addAll(List.of(options));
		return args;
	}

}
