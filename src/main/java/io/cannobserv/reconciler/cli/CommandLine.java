package io.cannobserv.reconciler.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed command line: a command, its flags, and options that become properties. Each
 * option is also a property (the right-hand column of {@link #OPTIONS}) and so an
 * environment variable ({@code RECONCILER_CHUNK_SIZE}); an unknown one is refused rather
 * than ignored, so a typo never runs with a default.
 */
public record CommandLine(String command, boolean apply, boolean fresh, boolean help, List<String> springArgs) {

	public static final List<String> COMMANDS = List.of("reconcile");

	static final Map<String, String> OPTIONS = options();

	/**
	 * Parse {@code args}.
	 * @throws UsageException naming the bad argument
	 */
	public static CommandLine parse(String... args) {
		String command = null;
		boolean apply = false;
		boolean fresh = false;
		boolean help = false;
		// by property: a repeated option replaces the earlier value rather than joining it with a comma
		Map<String, String> springArgs = new LinkedHashMap<>();
		for (String arg : args) {
			if (arg.equals("--help") || arg.equals("-h") || arg.equals("help")) {
				help = true;
			}
			else if (arg.equals("--apply")) {
				apply = true;
			}
			else if (arg.equals("--fresh")) {
				fresh = true;
			}
			else if (arg.startsWith("--")) {
				String property = option(arg);
				int equals = property.indexOf('=');
				springArgs.put((equals > 0) ? property.substring(0, equals) : property, property);
			}
			else if (command == null) {
				if (!COMMANDS.contains(arg)) {
					throw new UsageException("Unknown command '" + arg + "': use one of " + COMMANDS + " (see --help)");
				}
				command = arg;
			}
			else {
				throw new UsageException("Unexpected argument '" + arg + "': options take the form --name=value (see --help)");
			}
		}
		if (command == null && !help) {
			throw new UsageException("No command given: use one of " + COMMANDS + " (see --help)");
		}
		return new CommandLine((command != null) ? command : "help", apply, fresh, help, List.copyOf(springArgs.values()));
	}

	private static String option(String arg) {
		int equals = arg.indexOf('=');
		String name = (equals > 0) ? arg.substring(2, equals) : arg.substring(2);
		if (name.startsWith("spring.") || name.startsWith("reconciler.") || name.startsWith("logging.")
				|| name.startsWith("management.")) {
			return arg;
		}
		String property = OPTIONS.get(name);
		if (property == null) {
			throw new UsageException("Unknown option --" + name + " (see --help for the options)");
		}
		if (equals < 0 || equals == arg.length() - 1) {
			throw new UsageException("Option --" + name + " needs a value: --" + name + "=VALUE");
		}
		return "--" + property + arg.substring(equals);
	}

	public static String usage() {
		StringBuilder usage = new StringBuilder();
		usage.append("Usage: java -jar watcher-link-reconciler.jar reconcile [--apply] [--fresh] [options]\n\n");
		usage.append("Checks every Archiver pointer to a Watcher WatchedItem and clears those Watcher deleted.\n");
		usage.append("A dry run (the default) classifies every pointer and writes nothing to Archiver's tables.\n\n");
		usage.append("  --apply        clear the pointers Watcher confirms deleted\n");
		usage.append("  --fresh        abandon an unfinished run of this mode instead of resuming it\n");
		OPTIONS.forEach((option, property) -> usage.append(String.format("  --%-25s %s%n", option + "=VALUE", property)));
		usage.append("\nEvery option is also a property and an environment variable (reconciler.chunk-size, RECONCILER_CHUNK_SIZE).\n");
		usage.append("Database: SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME, SPRING_DATASOURCE_PASSWORD.\n");
		usage.append("Watcher: WATCHER_BASE_URL, WATCHER_API_KEY.\n");
		usage.append("Exit codes: 0 completed, 1 failed (run again to resume), 2 could not start, 3 safety brake, 4 another run holds the lock.\n");
		return usage.toString();
	}

	private static Map<String, String> options() {
		Map<String, String> options = new LinkedHashMap<>();
		options.put("chunk-size", "reconciler.chunk-size");
		options.put("concurrency", "reconciler.concurrency");
		options.put("report-dir", "reconciler.report-dir");
		options.put("job-schema", "reconciler.job-schema");
		options.put("watcher-base-url", "reconciler.watcher.base-url");
		options.put("connect-timeout", "reconciler.watcher.connect-timeout");
		options.put("read-timeout", "reconciler.watcher.read-timeout");
		options.put("max-attempts", "reconciler.watcher.max-attempts");
		options.put("initial-backoff", "reconciler.watcher.initial-backoff");
		options.put("max-backoff", "reconciler.watcher.max-backoff");
		options.put("max-retry-after", "reconciler.watcher.max-retry-after");
		options.put("max-requests-per-second", "reconciler.watcher.max-requests-per-second");
		return options;
	}

}
