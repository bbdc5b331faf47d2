package io.cannobserv.reconciler.cli;

import java.util.List;

/**
 * The text of {@code --help}. Each option is written as it is typed: a flag alone
 * ({@code --relink}), a valued option with the type of its value ({@code --chunk-size=N},
 * {@code --request-timeout=DURATION}, {@code --strategy=per-item|snapshot|auto}), then
 * what it is for and its default, all from the configuration metadata
 * ({@link Options#all()}).
 */
final class Usage {

	/** Width of the text. */
	private static final int WIDTH = 100;

	/** Where an option's description starts. */
	private static final int DESCRIPTION_COLUMN = 37;

	private static final String JAR = "java -jar watcher-link-reconciler.jar";

	/** Examples: the command line, then what it does. */
	private static final List<List<String>> EXAMPLES = List.of(
			List.of("reconcile", "dry run: what would be cleared; nothing is written"),
			List.of("reconcile --apply --max-clears=100", "clear, but halt rather than clear more than 100"),
			List.of("report --run=42 --output=run-42.html", "run 42's report as a web page"),
			List.of("restore --run=42", "what undoing run 42 would put back"),
			List.of("restore --run=42 --apply", "put it back"),
			List.of("prune --older-than=90d", "which old runs prune would delete, and what it keeps"));

	private Usage() {
	}

	static String text() {
		StringBuilder usage = new StringBuilder();
		usage.append("Usage: " + JAR + " COMMAND [--apply] [options]\n");
		usage.append("       " + JAR + " --help | --version\n\n");
		usage.append("Commands:\n");
		usage.append(
				"  reconcile [--apply] [--fresh]   check every Archiver pointer to a Watcher WatchedItem and clear\n");
		usage.append(
				"    [--relink] [--strategy=S]     those Watcher confirms deleted (with --relink: re-link those whose\n");
		usage
			.append("                                  InfoItem another WatchedItem confirms it tracks); resumes an\n");
		usage.append("                                  unfinished run of the same mode unless --fresh\n");
		usage.append(
				"  restore --run=ID [--apply]      put back the pointers run ID cleared or re-linked, where that\n");
		usage.append("                                  write is still the last thing that happened to the row\n");
		usage
			.append("  report [--run=ID] [--format=" + String.join("|", ReportFormat.labels()) + "] [--output=FILE]\n");
		usage.append(
				"                                  list recent runs, or show one; --output's extension (.txt, .json,\n");
		usage.append("                                  .md, .html) sets the format when --format is not given\n");
		usage.append("  prune [--apply] [--older-than=DURATION|DATE] [--include-restorable]\n");
		usage.append(
				"                                  delete old runs from the job's schema, keeping those a resume,\n");
		usage.append(
				"                                  a restore, the brake or the last-success metric still reads\n\n");
		usage.append("reconcile, restore and prune write nothing unless --apply is given; report only reads.\n\n");
		usage.append("Options (default in brackets; each is also a property and an environment variable:\n");
		usage.append("--chunk-size is reconciler.chunk-size and RECONCILER_CHUNK_SIZE):\n");
		for (Options.Option option : Options.all()) {
			usage.append(option(option));
		}
		usage.append("\nValues: N a whole number; NUMBER a decimal number; FRACTION a number from 0 to 1;\n");
		usage.append("DURATION a number and a unit: 500ms, 10s, 5m, 1h (without a unit, milliseconds).\n\n");
		usage.append("Database: SPRING_DATASOURCE_URL (jdbc:postgresql://HOST:PORT/DB), SPRING_DATASOURCE_USERNAME,\n");
		usage.append("          SPRING_DATASOURCE_PASSWORD.\n");
		usage.append("Watcher:  WATCHER_BASE_URL, WATCHER_API_KEY.\n\n");
		usage.append("Examples (" + JAR + " …):\n");
		int width = EXAMPLES.stream().mapToInt((example) -> example.get(0).length()).max().orElse(0);
		for (List<String> example : EXAMPLES) {
			usage.append(String.format("  %-" + width + "s   # %s%n", example.get(0), example.get(1)));
		}
		usage.append("\nExit codes: 0 completed, 1 failed or stopped (run again to resume), 2 could not start,\n");
		usage.append("            3 safety brake, 4 another run holds the lock.\n");
		return usage.toString();
	}

	/**
	 * {@code  --name=TYPE  what it is for [default]}, wrapped at {@link #WIDTH}; a
	 * synopsis too long for its column puts the description on the next line.
	 */
	private static String option(Options.Option option) {
		StringBuilder text = new StringBuilder("  " + option.synopsis());
		int column = text.length();
		if (column >= DESCRIPTION_COLUMN - 1) {
			text.append('\n');
			column = 0;
		}
		boolean first = true;
		for (String word : (Options.plain(option.description()) + " [" + option.defaultValue() + "]").split(" ")) {
			if (first || column + 1 + word.length() > WIDTH) {
				if (column != 0 && !first) {
					text.append('\n');
					column = 0;
				}
				text.append(" ".repeat(DESCRIPTION_COLUMN - column));
				column = DESCRIPTION_COLUMN;
				first = false;
			}
			else {
				text.append(' ');
				column++;
			}
			text.append(word);
			column += word.length();
		}
		return text.append('\n').toString();
	}

}
