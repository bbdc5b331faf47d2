package io.cannobserv.reconciler.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import io.cannobserv.reconciler.cli.UsageException;

/**
 * The formats of {@code report --format}.
 */
enum ReportFormat {

	/** For a terminal: the console summary, and the run list as a table. */
	TEXT,

	/** The run's report file, byte for byte; the run list as an array of summaries. */
	JSON,

	/** Short enough for a chat message or a ticket. */
	MARKDOWN,

	/** One self-contained page with charts, for a browser or a mail. */
	HTML;

	/** The format named by {@code --format}, text when none. */
	static ReportFormat parse(@Nullable String name) {
		if (name == null) {
			return TEXT;
		}
		String wanted = name.strip().toLowerCase(Locale.ROOT);
		return Arrays.stream(values())
			.filter((format) -> format.label().equals(wanted))
			.findFirst()
			.orElseThrow(() -> new UsageException(
					"Unknown --format '" + name + "': use one of " + allowed() + " (text is the default)"));
	}

	String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	private static String allowed() {
		return Arrays.stream(values()).map(ReportFormat::label).collect(Collectors.joining(", "));
	}

}
