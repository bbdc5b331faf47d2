package io.cannobserv.reconciler.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The formats of {@code report --format}, and the file name extensions that name them for
 * {@code --output}.
 */
public enum ReportFormat {

	/** For a terminal: the console summary, and the run list as a table. */
	TEXT("txt", "text"),

	/** The run's report file, byte for byte; the run list as an array of summaries. */
	JSON("json"),

	/** Short enough for a chat message or a ticket. */
	MARKDOWN("md", "markdown"),

	/** One self-contained page with charts, for a browser or a mail. */
	HTML("html", "htm");

	private final List<String> extensions;

	ReportFormat(String... extensions) {
		this.extensions = List.of(extensions);
	}

	/** As {@code --format} takes it: {@code text}, {@code json}. */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Every label, in order. */
	static List<String> labels() {
		return Arrays.stream(values()).map(ReportFormat::label).toList();
	}

	/** The format {@code --format} names, or null for none of them. */
	static @Nullable ReportFormat ofLabel(String label) {
		String wanted = label.strip().toLowerCase(Locale.ROOT);
		return Arrays.stream(values()).filter((format) -> format.label().equals(wanted)).findFirst().orElse(null);
	}

	/**
	 * The format the extension of {@code file} names ({@code run-7.html} is HTML), or
	 * null when it names none.
	 */
	static @Nullable ReportFormat ofFile(String file) {
		String name = file.substring(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
		int dot = name.lastIndexOf('.');
		if (dot <= 0) {
			return null;
		}
		String extension = name.substring(dot + 1).toLowerCase(Locale.ROOT);
		return Arrays.stream(values())
			.filter((format) -> format.extensions.contains(extension))
			.findFirst()
			.orElse(null);
	}

	/** The usual extension of a file of this format. */
	String extension() {
		return this.extensions.get(0);
	}

}
