package io.cannobserv.reconciler.cli;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The parsed command line: a command, its flags, its own arguments, and options that
 * become properties. Each option is also a property (see {@link #usage()}) and so an
 * environment variable ({@code RECONCILER_CHUNK_SIZE}); an unknown one is refused rather
 * than ignored, so a typo never runs with a default. Values are given as
 * {@code --name=value} or {@code --name value}.
 * <p>
 * Everything that needs no database is checked here, before Spring starts, so that a
 * mistake is told as fast as {@code --version} answers: the command, each option's name
 * (with the nearest known one when it is not), whether it is a flag or takes a value, the
 * value's type as the property it sets binds it, and the command's own arguments. The
 * rules of the settings records (a range, one setting against another) are checked when
 * they are bound, before any bean exists ({@link SettingsCheck}).
 *
 * @param command the command
 * @param apply whether to write ({@code --apply}); every command is a dry run without it
 * @param fresh abandon an unfinished run instead of resuming it ({@code --fresh})
 * @param help whether usage was asked for
 * @param version whether the build's version was asked for ({@code --version})
 * @param arguments the command's own arguments ({@code --run}, {@code --format},
 * {@code --output}, {@code --older-than}) by name, and its own flags
 * ({@code --include-restorable}) as {@code true}
 * @param springArgs options as Spring Boot arguments, {@code --property=value}
 */
public record CommandLine(String command, boolean apply, boolean fresh, boolean help, boolean version,
		Map<String, String> arguments, List<String> springArgs) {

	public static final List<String> COMMANDS = List.of("reconcile", "restore", "report", "prune");

	static final String APPLY = "apply";

	static final String FRESH = "fresh";

	static final String RUN = "run";

	static final String FORMAT = "format";

	static final String OUTPUT = "output";

	/** {@code prune}'s age of the runs it deletes. */
	public static final String OLDER_THAN = "older-than";

	/** {@code prune}'s flag to delete runs that restore could still undo. */
	public static final String INCLUDE_RESTORABLE = "include-restorable";

	private static final String HELP = "help";

	private static final String VERSION = "version";

	/** Options that take no value. */
	private static final List<String> FLAGS = List.of(APPLY, FRESH, INCLUDE_RESTORABLE, HELP, VERSION);

	/** Flags of one command, kept in its {@link #arguments}. */
	private static final List<String> COMMAND_FLAGS = List.of(INCLUDE_RESTORABLE);

	/** Options of the commands themselves, which set no property. */
	private static final List<String> COMMAND_ARGUMENTS = List.of(RUN, FORMAT, OUTPUT, OLDER_THAN);

	/** Which command takes which of its own options. */
	private static final Map<String, Set<String>> OWN_OPTIONS = Map.of("reconcile", Set.of(APPLY, FRESH), "restore",
			Set.of(APPLY, RUN), "report", Set.of(RUN, FORMAT, OUTPUT), "prune",
			Set.of(APPLY, OLDER_THAN, INCLUDE_RESTORABLE));

	/**
	 * Properties that may be given as they are ({@code --spring.datasource.url=…}); the
	 * application's own are checked against its metadata.
	 */
	private static final List<String> PROPERTY_PREFIXES = List.of("spring.", SettingsRecords.PREFIX, "logging.",
			"management.");

	/** What people type for the default. */
	private static final Set<String> DRY_RUN = Set.of("dry-run", "dryrun", "dry_run");

	/**
	 * Parse {@code args}.
	 * @throws UsageException naming the bad argument and the fix
	 */
	public static CommandLine parse(String... args) {
		return new Parser(args).parse();
	}

	/** A command argument, or null. */
	public @Nullable String argument(String name) {
		return this.arguments.get(name);
	}

	/** The run id given with {@code --run}. */
	public @Nullable Long runId() {
		String run = argument(RUN);
		return (run != null) ? runId(run) : null;
	}

	/**
	 * The format of {@code report}: {@code --format}, else the one {@code --output}'s
	 * extension names, else text.
	 */
	public ReportFormat format() {
		String label = argument(FORMAT);
		ReportFormat format = (label != null) ? ReportFormat.ofLabel(label) : null;
		if (format == null) {
			String output = argument(OUTPUT);
			format = (output != null) ? ReportFormat.ofFile(output) : null;
		}
		return (format != null) ? format : ReportFormat.TEXT;
	}

	/** The file {@code --output} names, or null. */
	public @Nullable String output() {
		return argument(OUTPUT);
	}

	public static String usage() {
		return Usage.text();
	}

	private static long runId(String run) {
		try {
			long id = Long.parseLong(run.strip());
			if (id > 0) {
				return id;
			}
		}
		catch (NumberFormatException ex) {
			// refused below, with the fix
		}
		throw new UsageException("--run needs a run id (a number, as in the report's runId), not '" + run + "'");
	}

	/** One pass over the arguments. */
	private static final class Parser {

		private final String[] args;

		private @Nullable String command;

		private final Set<String> given = new LinkedHashSet<>();

		private final Map<String, String> arguments = new LinkedHashMap<>();

		/**
		 * By property: a repeated option replaces the earlier value rather than joining
		 * it with a comma.
		 */
		private final Map<String, String> springArgs = new LinkedHashMap<>();

		Parser(String[] args) {
			this.args = args;
		}

		CommandLine parse() {
			for (int i = 0; i < this.args.length; i++) {
				String arg = this.args[i];
				if (arg.equals("-h") || arg.equals(HELP)) {
					this.given.add(HELP);
				}
				else if (arg.startsWith("--") && arg.length() > 2) {
					int equals = arg.indexOf('=');
					String name = (equals > 0) ? arg.substring(2, equals) : arg.substring(2);
					String value = (equals > 0) ? arg.substring(equals + 1) : null;
					if (value == null && takesValue(name) && i + 1 < this.args.length
							&& !this.args[i + 1].startsWith("--")) {
						value = this.args[++i];
					}
					option(name, value);
				}
				else if (arg.startsWith("-") && arg.length() > 1) {
					throw unknownOption(arg, arg.replaceFirst("^-+", ""));
				}
				else if (this.command == null) {
					if (!COMMANDS.contains(arg)) {
						throw new UsageException(
								"Unknown command '" + arg + "'" + suggestion(Suggestions.didYouMean(arg, COMMANDS, ""))
										+ " (commands: " + String.join(", ", COMMANDS) + "; see --help)");
					}
					this.command = arg;
				}
				else {
					throw unexpected(arg);
				}
			}
			boolean help = this.given.contains(HELP);
			boolean version = this.given.contains(VERSION);
			if (!help && !version) {
				checkCommand();
			}
			return new CommandLine((this.command != null) ? this.command : HELP, this.given.contains(APPLY),
					this.given.contains(FRESH), help, version, Map.copyOf(this.arguments),
					List.copyOf(this.springArgs.values()));
		}

		/**
		 * Whether {@code --name} takes a value, so that the next argument may be it; an
		 * unknown name takes none, so that a mistyped flag does not swallow the command.
		 */
		private boolean takesValue(String name) {
			if (FLAGS.contains(name)) {
				return false;
			}
			if (COMMAND_ARGUMENTS.contains(name) || isProperty(name)) {
				return true;
			}
			String property = Options.property(name);
			return property != null && type(property).kind() != ValueType.Kind.FLAG;
		}

		private void option(String name, @Nullable String value) {
			if (FLAGS.contains(name)) {
				if (value != null) {
					throw new UsageException("--" + name + " is a flag and takes no value: give --" + name
							+ " alone, not --" + name + "=" + value);
				}
				this.given.add(name);
				if (COMMAND_FLAGS.contains(name)) {
					this.arguments.put(name, "true");
				}
				return;
			}
			if (DRY_RUN.contains(name.toLowerCase(Locale.ROOT))) {
				throw new UsageException(
						"--" + name + " is not an option: a dry run is the default; add --apply to write");
			}
			if (COMMAND_ARGUMENTS.contains(name)) {
				this.given.add(name);
				this.arguments.put(name, required(name, value, commandArgumentForm(name)));
				return;
			}
			String property = Options.property(name);
			if (property != null) {
				ValueType type = type(property);
				if (type.kind() == ValueType.Kind.FLAG) {
					flagProperty(name, property, type, value);
				}
				else {
					property(property, property, "--" + name, value, type);
				}
				return;
			}
			if (isProperty(name)) {
				rawProperty(name, value);
				return;
			}
			throw unknownOption("--" + name, name);
		}

		/**
		 * A boolean option, such as {@code --relink}: the option alone sets it,
		 * {@code --relink=false} unsets it.
		 */
		private void flagProperty(String name, String property, ValueType type, @Nullable String value) {
			String given = (value != null) ? value : "true";
			if (!type.accepts(given)) {
				throw new UsageException("--" + name + " is a flag: give --" + name + " alone (or --" + name
						+ "=false), not --" + name + "=" + value);
			}
			this.springArgs.put(property, "--" + property + "=" + given.strip());
		}

		/**
		 * A property given by its name: the application's own must be a property of its
		 * settings records, and take a value of its type.
		 */
		private void rawProperty(String name, @Nullable String value) {
			if (!name.startsWith(SettingsRecords.PREFIX)) {
				this.springArgs.put(name, "--" + name + "=" + required(name, value, "--" + name + "=VALUE"));
				return;
			}
			String property = known(name);
			if (property == null) {
				throw unknownOption("--" + name, name);
			}
			property(name, property, "--" + name, value, type(property));
		}

		/**
		 * The value of a property, checked against the type it binds to.
		 * @param given the property as given, passed on as it is
		 * @param property the property in its canonical form
		 * @param setting the option as typed
		 */
		private void property(String given, String property, String setting, @Nullable String value, ValueType type) {
			if (value == null) {
				String example = example(setting, property, type);
				throw new UsageException(setting + " needs a value: " + setting + "="
						+ type.placeholder(setting.substring(setting.lastIndexOf('.') + 1))
						+ ((example != null) ? " (e.g. " + example + ")" : ""));
			}
			if (!type.accepts(value)) {
				throw new UsageException(type.refusal(setting, value, example(setting, property, type)));
			}
			this.springArgs.put(given, "--" + given + "=" + value);
		}

		/** {@code --chunk-size=250}: the default, or a value of the type. */
		private static @Nullable String example(String setting, String property, ValueType type) {
			String value = SettingsRecords.defaultValue(property);
			if (value == null) {
				value = type.example();
			}
			return (value != null) ? setting + "=" + value : null;
		}

		private static ValueType type(String property) {
			Class<?> type = SettingsRecords.type(property);
			if (type == null) {
				throw new IllegalStateException("No settings record has property " + property);
			}
			return ValueType.of(property, type);
		}

		/** The command's own options: only its own, and those it needs, in their form. */
		private void checkCommand() {
			if (this.command == null) {
				throw new UsageException(
						"No command given: use one of " + String.join(", ", COMMANDS) + " (see --help)");
			}
			Set<String> own = OWN_OPTIONS.get(this.command);
			for (String option : this.given) {
				if (!own.contains(option) && OWN_OPTIONS.values().stream().anyMatch((s) -> s.contains(option))) {
					List<String> takers = COMMANDS.stream().filter((c) -> OWN_OPTIONS.get(c).contains(option)).toList();
					throw new UsageException("--" + option + " is not an option of " + this.command + ": only of "
							+ inWords(takers) + " (see --help)");
				}
			}
			if (this.command.equals("restore") && !this.arguments.containsKey(RUN)) {
				throw new UsageException("restore needs the run to undo: restore --run ID (see report for run ids)");
			}
			String run = this.arguments.get(RUN);
			if (run != null) {
				runId(run);
			}
			String olderThan = this.arguments.get(OLDER_THAN);
			if (olderThan != null) {
				OlderThan.parse(olderThan, Clock.systemUTC());
			}
			checkFormat();
		}

		private void checkFormat() {
			String label = this.arguments.get(FORMAT);
			ReportFormat format = null;
			if (label != null) {
				format = ReportFormat.ofLabel(label);
				if (format == null) {
					throw new UsageException("Unknown --format '" + label + "'"
							+ suggestion(Suggestions.didYouMean(label.strip(), ReportFormat.labels(), ""))
							+ " (formats: " + String.join(", ", ReportFormat.labels()) + "; text is the default)");
				}
			}
			String output = this.arguments.get(OUTPUT);
			if (output == null) {
				return;
			}
			if (output.isBlank()) {
				throw new UsageException("--output needs a file name, such as --output=run-42.html");
			}
			ReportFormat named = ReportFormat.ofFile(output);
			if (format != null && named != null && format != named) {
				throw new UsageException("--output " + output + " is " + named.label()
						+ " by its extension, but --format is " + format.label()
						+ ": drop --format (the extension sets it) or end the file name with ." + format.extension());
			}
		}

		private static String commandArgumentForm(String name) {
			return switch (name) {
				case RUN -> "--run=ID (e.g. --run=42)";
				case FORMAT -> "--format=" + String.join("|", ReportFormat.labels());
				case OLDER_THAN -> "--older-than=DURATION|DATE (e.g. --older-than=" + OlderThan.DEFAULT + ")";
				default -> "--output=FILE (e.g. --output=run-42.html)";
			};
		}

		private static String required(String name, @Nullable String value, String form) {
			if (value == null) {
				throw new UsageException("--" + name + " needs a value: " + form);
			}
			return value;
		}

		private static boolean isProperty(String name) {
			return PROPERTY_PREFIXES.stream().anyMatch(name::startsWith);
		}

		/**
		 * The property named {@code name}, in its canonical form, or null for none: in
		 * any form Spring Boot's relaxed binding takes ({@code chunk-size},
		 * {@code chunkSize}, {@code chunk_size}).
		 */
		private static @Nullable String known(String name) {
			if (SettingsRecords.properties().containsKey(name)) {
				return name;
			}
			String wanted = relaxed(name);
			return SettingsRecords.properties()
				.keySet()
				.stream()
				.filter((property) -> relaxed(property).equals(wanted))
				.findFirst()
				.orElse(null);
		}

		private static String relaxed(String name) {
			return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
		}

		private UsageException unknownOption(String typed, String name) {
			List<String> candidates = new ArrayList<>(FLAGS);
			candidates.addAll(COMMAND_ARGUMENTS);
			if (name.startsWith(SettingsRecords.PREFIX)) {
				candidates.addAll(SettingsRecords.properties().keySet());
			}
			else {
				candidates.addAll(Options.names());
			}
			return new UsageException("Unknown option " + typed
					+ suggestion(Suggestions.didYouMean(name, candidates, "--")) + " (see --help for the options)");
		}

		private UsageException unexpected(String arg) {
			if (COMMANDS.contains(arg)) {
				return new UsageException("Unexpected argument '" + arg + "': one command at a time, and "
						+ this.command + " came first (see --help)");
			}
			List<String> candidates = new ArrayList<>(FLAGS);
			candidates.addAll(COMMAND_ARGUMENTS);
			candidates.addAll(Options.names());
			String near = Suggestions.didYouMean(arg.replaceFirst("=.*", ""), candidates, "--");
			return new UsageException("Unexpected argument '" + arg + "': "
					+ (near.isEmpty() ? "options take the form --name=value" : near) + " (see --help)");
		}

		/** {@code : did you mean …?}, or nothing. */
		private static String suggestion(String didYouMean) {
			return didYouMean.isEmpty() ? "" : ": " + didYouMean;
		}

	}

	/** "a", "a and b", "a, b and c". */
	private static String inWords(List<String> items) {
		if (items.size() == 1) {
			return items.get(0);
		}
		return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
	}

}
