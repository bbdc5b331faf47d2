package io.cannobserv.reconciler.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file whole or not at all: a reader (a dashboard, a browser, a mail job) never
 * sees half a report, and a failed write leaves the previous file in place.
 */
final class AtomicFile {

	private AtomicFile() {
	}

	/**
	 * Writes {@code text} as UTF-8 to a temporary file next to {@code target}, then moves
	 * it over.
	 */
	static void write(Path target, String text) throws IOException {
		Path absolute = target.toAbsolutePath().normalize();
		Path directory = absolute.getParent();
		Files.createDirectories(directory);
		// same directory: same file system, so the move is a rename. Not createTempFile:
		// its
		// owner-only permissions would follow the file, and others may need to read
		// reports.
		Path partial = directory
			.resolve("." + absolute.getFileName() + "." + ProcessHandle.current().pid() + ".partial");
		try {
			Files.writeString(partial, text, StandardCharsets.UTF_8);
			Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(partial);
		}
	}

}
