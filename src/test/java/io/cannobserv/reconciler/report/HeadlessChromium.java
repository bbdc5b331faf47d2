package io.cannobserv.reconciler.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.util.FileSystemUtils;

import io.cannobserv.reconciler.support.NeedsTool.Tool;

/**
 * Debian's {@code chromium}, driven by its command line only: no WebDriver, no extra
 * dependency. Each call gets a new profile directory and every background service off, so
 * that nothing but the page is loaded and nothing is fetched.
 */
final class HeadlessChromium {

	static final Path BINARY = Path.of(Tool.CHROMIUM.binary());

	private static final long TIMEOUT_SECONDS = 90;

	private HeadlessChromium() {
	}

	/** Fails, naming the fix, when Chromium is not installed. */
	private static void requireInstalled() {
		if (!Tool.CHROMIUM.installed()) {
			throw new AssertionError(BINARY + " is missing: .ci/run installs it (apt-get install -y chromium);"
					+ " on a development machine run: apt-get update && apt-get install -y chromium");
		}
	}

	/** The DOM of {@code page} after Chromium has parsed and laid it out. */
	static String dumpDom(Path page) throws IOException, InterruptedException {
		Path out = Files.createTempFile("report-dom", ".html");
		try {
			run(page, out, List.of("--dump-dom"));
			return Files.readString(out, StandardCharsets.UTF_8);
		}
		finally {
			Files.deleteIfExists(out);
		}
	}

	/** A PNG of {@code page} as a 1280 px wide window shows it. */
	static void screenshot(Path page, Path png, int height) throws IOException, InterruptedException {
		Files.deleteIfExists(png);
		run(page, null,
				List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=1280," + height, "--hide-scrollbars"));
	}

	private static void run(Path page, @Nullable Path stdout, List<String> options)
			throws IOException, InterruptedException {
		requireInstalled();
		Path profile = Files.createTempDirectory("chromium-profile");
		Path log = Files.createTempFile("chromium", ".log");
		try {
			List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox",
					"--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
					"--disable-component-update", "--disable-sync", "--user-data-dir=" + profile));
			command.addAll(options);
			command.add(page.toAbsolutePath().toUri().toString());
			ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
			builder.redirectOutput((stdout != null) ? ProcessBuilder.Redirect.to(stdout.toFile())
					: ProcessBuilder.Redirect.appendTo(log.toFile()));
			Process chromium = builder.start();
			if (!chromium.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				chromium.descendants().forEach(ProcessHandle::destroyForcibly);
				chromium.destroyForcibly();
				throw new AssertionError("Chromium did not finish within " + TIMEOUT_SECONDS + " s: " + tail(log));
			}
			if (chromium.exitValue() != 0) {
				throw new AssertionError("Chromium exited with " + chromium.exitValue() + ": " + tail(log));
			}
		}
		finally {
			FileSystemUtils.deleteRecursively(profile);
			Files.deleteIfExists(log);
		}
	}

	private static String tail(Path log) throws IOException {
		List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
		return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
	}

}
