package io.cannobserv.reconciler.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The parsed command line: a command, its flags, its own arguments, and options that
 * become properties. Each option is also a property (see {@link #usage()}) and so an
 * environment variable ({@code RECONCILER_CHUNK_SIZE}); an unknown one is refused rather
 * than ignored, so a typo never runs with a default. Values are given as
 * {@code --name=value} or {@code --name value}.
 *
 * @param command the command
 * @param apply whether to write ({@code --apply}); every command is a dry run without it
 * @param fresh abandon an unfinished run instead of resuming it ({@code --fresh})
 * @param help whether usage was asked for
 * @param version whether the build's version was asked for ({@code --version})
 * @param arguments the command's own arguments ({@code --run}, {@code --format},
 * {@code --output}, {@code --older-than}) and flags ({@code --include-restorable}) by
 * name
 * @param springArgs options as Spring Boot arguments, {@code --property=value}
 */
public record CommandLine(String command, boolean apply, boolean fresh, boolean help, boolean version,
		Map<String, String> arguments, List<String> springArgs) {

	public static final List<String> COMMANDS = List.of("reconcile", "restore", "report", "prune");

	private static final List<String> COMMAND_ARGUMENTS = List.of("run", "format", "output", "older-than");

	/** A command's own flags, kept in {@link #arguments} as {@code true}. */
	private static final List<String> COMMAND_FLAGS = List.of("include-restorable");

	/** The option that is also a flag: {@code --relink} is {@code --relink=true}. */
	private static final String RELINK = "relink";

	/** Width of the usage text. */
	private static final int WIDTH = 100;

	/** Where an option's description starts. */
	private static final int DESCRIPTION_COLUMN = 37;

	/**
	 * Parse {@code args}.
	 * @throws UsageException naming the bad argument
	 */
	public static CommandLine parse(String... args) {
		String command = null;
		boolean apply = false;
		boolean fresh = false;
		boolean help = false;
		boolean version = false;
		Map<String, String> arguments = new LinkedHashMap<>();
		// by property: a repeated option replaces the earlier value rather than joining
		// it with a comma
		Map<String, String> springArgs = new LinkedHashMap<>();
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			if (arg.equals("--help") || arg.equals("-h") || arg.equals("help")) {
				help = true;
			}
			else if (arg.equals("--version")) {
				version = true;
			}
			else if (arg.equals("--apply")) {
				apply = true;
			}
			else if (arg.equals("--fresh")) {
				fresh = true;
			}
			else if (arg.equals("--" + RELINK)) {
				// a flag, like --apply; --relink=false turns it off again
				springArgs.put(Options.property(RELINK), "--" + Options.property(RELINK) + "=true");
			}
			else if (arg.startsWith("--") && COMMAND_FLAGS.contains(arg.substring(2))) {
				arguments.put(arg.substring(2), "true");
			}
			else if (arg.startsWith("--")) {
				int equals = arg.indexOf('=');
				String name = (equals > 0) ? arg.substring(2, equals) : arg.substring(2);
				String value;
				if (equals > 0) {
					value = arg.substring(equals + 1);
				}
				else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
					value = args[++i];
				}
				else {
					throw new UsageException("Option --" + name + " needs a value: --" + name + "=VALUE");
				}
				if (COMMAND_ARGUMENTS.contains(name)) {
					arguments.put(name, value);
				}
				else {
					String property = property(name);
					springArgs.put(property, "--" + property + "=" + value);
				}
			}
			else if (command == null) {
				if (!COMMANDS.contains(arg)) {
					throw new UsageException("Unknown command '" + arg + "': use one of " + COMMANDS + " (see --help)");
				}
				command = arg;
			}
			else {
				throw new UsageException(
						"Unexpected argument '" + arg + "': options take the form --name=value (see --help)");
			}
		}
		if (command == null && !help && !version) {
			throw new UsageException("No command given: use one of " + COMMANDS + " (see --help)");
		}
		return new CommandLine((command != null) ? command : "help", apply, fresh, help, version, Map.copyOf(arguments),
				List.copyOf(springArgs.values()));
	}

	/** A command argument, or null. */
	public @Nullable String argument(String name) {
		return this.arguments.get(name);
	}

	/** The run id given with {@code --run}. */
	public @Nullable Long runId() {
		String run = argument("run");
		if (run == null) {
			return null;
		}
		try {
			return Long.parseLong(run.strip());
		}
		catch (NumberFormatException ex) {
			throw new UsageException("--run needs a run id (a number, as in the report's runId), not '" + run + "'");
		}
	}

	private static String property(String name) {
		if (name.startsWith("spring.") || name.startsWith("reconciler.") || name.startsWith("logging.")
				|| name.startsWith("management.")) {
			return name;
		}
		String property = Options.property(name);
		if (property == null) {
			throw new UsageException("Unknown option --" + name + " (see --help for the options)");
		}
		return property;
	}

	public static String usage() {
		StringBuilder usage = new StringBuilder();
		usage.append("Usage: java -jar watcher-link-reconciler.jar COMMAND [--apply] [options]\n");
		usage.append("       java -jar watcher-link-reconciler.jar --version\n\n");
		usage.append("Commands:\n");
		usage.append(
				"  reconcile [--apply] [--fresh]   check every Archiver pointer to a Watcher WatchedItem and clear\n");
		usage.append(
				"    [--relink] [--strategy=S]     those Watcher confirms deleted (with --relink: re-link those whose\n");
		usage
			.append("                                  InfoItem another WatchedItem confirms it tracks); resumes an\n");
		usage.append("                                  unfinished run of the same mode unless --fresh\n");
		usage.append(
				"  restore --run ID [--apply]      put back the pointers run ID cleared or re-linked, where that\n");
		usage.append("                                  write is still the last thing that happened to the row\n");
		usage.append("  report [--run ID] [--format text|json|markdown|html] [--output FILE]\n");
		usage.append("                                  list recent runs, or show one\n");
		usage.append("  prune [--apply] [--older-than=90d|DATE] [--include-restorable]\n");
		usage.append(
				"                                  delete old runs from the job's schema, keeping those a resume,\n");
		usage.append(
				"                                  a restore, the brake or the last-success metric still reads\n\n");
		usage.append("Every command is a dry run unless --apply is given.\n\n");
		usage.append("Options (default in brackets; each is also a property and an environment variable:\n");
		usage.append("--chunk-size is reconciler.chunk-size and RECONCILER_CHUNK_SIZE):\n");
		for (Options.Option option : Options.all()) {
			usage.append(option(option));
		}
		usage.append("\nDatabase: SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME, SPRING_DATASOURCE_PASSWORD.\n");
		usage.append("Watcher: WATCHER_BASE_URL, WATCHER_API_KEY.\n");
		usage.append("Exit codes: 0 completed, 1 failed or stopped (run again to resume), 2 could not start,\n");
		usage.append("            3 safety brake, 4 another run holds the lock.\n");
		return usage.toString();
	}

	/** {@code  --name=VALUE  what it is for [default]}, wrapped at {@link #WIDTH}. */
	private static String option(Options.Option option) {
		StringBuilder text = new StringBuilder(String.format("  --%-32s", option.name() + "=VALUE"));
		int column = text.length();
		for (String word : (Options.plain(option.description()) + " [" + option.defaultValue() + "]").split(" ")) {
			if (column + 1 + word.length() > WIDTH) {
				text.append('\n').append(" ".repeat(DESCRIPTION_COLUMN));
				column = DESCRIPTION_COLUMN;
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
