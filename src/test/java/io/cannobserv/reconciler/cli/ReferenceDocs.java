package io.cannobserv.reconciler.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The generated reference pages, {@code docs/reference/cli.md} and
 * {@code docs/reference/configuration.md}, made from what {@code --help} is made from:
 * {@link Options#all()}, the configuration metadata the build writes from the documented
 * {@code @ConfigurationProperties} records, and {@code application.properties}.
 * {@link OptionsDocumentationTests} holds the files in {@code docs/} to them, and writes
 * them when run with {@value #WRITE}{@code =true}.
 */
final class ReferenceDocs {

	static final Path CLI = Path.of("docs/reference/cli.md");

	static final Path CONFIGURATION = Path.of("docs/reference/configuration.md");

	/**
	 * The system property that makes the test write the pages instead of checking them.
	 */
	static final String WRITE = "reconciler.docs.write";

	static final String REGENERATE = "./mvnw -B test -Dtest=OptionsDocumentationTests -D" + WRITE + "=true";

	private static final String GENERATED = "<!-- Generated from the configuration metadata and --help by "
			+ "OptionsDocumentationTests: do not edit.\n     Regenerate: " + REGENERATE + " -->\n";

	/** How a duration is written. */
	private static final String UNITS = "A duration is a number and a unit: `500ms`, `10s`, `5m`, `2h` (`ms`, `s`, `m`, `h`, `d`; a number\n"
			+ "alone is milliseconds). `none` means not set.\n";

	/**
	 * The groups of the job's properties, by prefix, in the order of the page; the
	 * longest prefix a property has wins.
	 */
	private static final Map<String, String> GROUPS = groups();

	/**
	 * A property {@code application.properties} takes from another environment variable:
	 * {@code ${WATCHER_BASE_URL:}}.
	 */
	private static final Pattern FROM_ENVIRONMENT = Pattern.compile("\\$\\{([A-Z0-9_]+):}");

	/** Spring Boot's settings that the job relies on, and what it uses each for. */
	private static final Map<String, String> BOOT = boot();

	private ReferenceDocs() {
	}

	/** {@code docs/reference/cli.md}. */
	static String cli() {
		StringBuilder md = new StringBuilder(GENERATED);
		md.append("# Command line\n\n");
		md.append(
				"One process runs one command and ends with an [exit code](exit-codes.md). Every command is a dry run\n");
		md.append("unless `--apply` is given. Every option below is also a property and an environment variable\n");
		md.append("([configuration](configuration.md)); a value is given as `--name=value` or `--name value`. An\n");
		md.append("unknown option is refused with exit code 2, so that a typo never runs with a default.\n\n");
		md.append("## Usage\n\n");
		md.append("What `java -jar watcher-link-reconciler.jar --help` prints:\n\n");
		md.append("```text\n").append(CommandLine.usage().stripTrailing()).append("\n```\n\n");
		md.append("## Options\n\n");
		md.append("| option | type | default | environment variable | what it is for |\n");
		md.append("|---|---|---|---|---|\n");
		Map<String, JsonNode> metadata = metadata();
		for (Options.Option option : Options.all()) {
			JsonNode described = metadata.get(option.property());
			String type = type(described);
			md.append("| `--")
				.append(option.name())
				.append("` | ")
				.append(type)
				.append(" | ")
				.append(code(option.defaultValue()))
				.append(" | `")
				.append(environmentVariable(option.property()))
				.append("` | ")
				.append(cell(Options.markdown(option.description())))
				.append(" |\n");
		}
		md.append('\n').append("`--relink` alone means `--relink=true`. ").append(UNITS);
		return md.toString();
	}

	/** {@code docs/reference/configuration.md}. */
	static String configuration() {
		Map<String, JsonNode> metadata = metadata();
		Properties application = Options.applicationProperties();
		Map<String, String> options = Options.all()
			.stream()
			.collect(Collectors.toMap(Options.Option::property, Options.Option::name));
		StringBuilder md = new StringBuilder(GENERATED);
		md.append("# Configuration\n\n");
		md.append(
				"Every setting of the job is a property, an environment variable and, where the tables name one, a\n");
		md.append("[command-line option](cli.md): `--chunk-size=200`, `RECONCILER_CHUNK_SIZE=200` and\n");
		md.append("`reconciler.chunk-size=200` are the same. The command line wins over the environment, which wins\n");
		md.append("over the defaults below. A property without an option of its own is given on the command line by\n");
		md.append("its name (`--reconciler.archiver.table=info_items`), or as its environment variable.\n\n");
		md.append("A setting out of its range is refused at start with exit code 2 and one line naming it.\n\n");
		for (Map.Entry<String, String> group : GROUPS.entrySet()) {
			md.append("## ").append(group.getValue()).append("\n\n");
			md.append("| property | environment variable | option | type | default | what it is for |\n");
			md.append("|---|---|---|---|---|---|\n");
			metadata.forEach((property, described) -> {
				if (!group.getKey().equals(groupOf(property))) {
					return;
				}
				String option = options.get(property);
				md.append("| `")
					.append(property)
					.append("` | ")
					.append(environmentVariables(property, application))
					.append(" | ")
					.append((option != null) ? "`--" + option + "`" : "")
					.append(" | ")
					.append(type(described))
					.append(" | ")
					.append(code(defaultOf(described, application.getProperty(property))))
					.append(" | ")
					.append(cell(Options.markdown(described.path("description").asString(""))))
					.append(" |\n");
			});
			md.append('\n');
		}
		md.append("## Spring Boot's settings the job uses\n\n");
		md.append(
				"Given the same three ways. The default is the job's own where it sets one (`application.properties`).\n\n");
		md.append(
				"| property | environment variable | type | default | what the job uses it for | Spring Boot's description |\n");
		md.append("|---|---|---|---|---|---|\n");
		Map<String, JsonNode> boot = bootMetadata();
		BOOT.forEach((property, use) -> {
			JsonNode described = boot.get(property);
			if (described == null) {
				throw new IllegalStateException("Spring Boot documents no property " + property);
			}
			String value = application.getProperty(property);
			String defaultValue = (value != null) ? value : defaultOf(described, null);
			md.append("| `")
				.append(property)
				.append("` | `")
				.append(environmentVariable(property))
				.append("` | ")
				.append(type(described))
				.append(" | ")
				.append(code(defaultValue))
				.append(" | ")
				.append(use)
				.append(" | ")
				.append(cell(Options.plain(described.path("description").asString(""))))
				.append(" |\n");
		});
		md.append('\n').append(UNITS);
		return md.toString();
	}

	/** The group a property belongs to: the longest of {@link #GROUPS}' prefixes. */
	static String groupOf(String property) {
		return GROUPS.keySet()
			.stream()
			.filter((prefix) -> property.startsWith(prefix + "."))
			.max((a, b) -> Integer.compare(a.length(), b.length()))
			.orElseThrow(() -> new IllegalStateException("No group of the configuration reference holds " + property
					+ ": add its prefix to ReferenceDocs.GROUPS"));
	}

	/**
	 * The environment variable of a property, as Spring Boot binds it: dots and dashes
	 * become underscores, letters upper case ({@code RECONCILER_CHUNK_SIZE}).
	 */
	static String environmentVariable(String property) {
		return property.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
	}

	/**
	 * The environment variables a property is read from: its own, and the one
	 * {@code application.properties} takes it from, if any (Archiver's
	 * {@code WATCHER_BASE_URL}).
	 */
	private static String environmentVariables(String property, Properties application) {
		String own = "`" + environmentVariable(property) + "`";
		String value = application.getProperty(property);
		Matcher archivers = (value != null) ? FROM_ENVIRONMENT.matcher(value) : null;
		return (archivers != null && archivers.matches()) ? "`" + archivers.group(1) + "` or " + own : own;
	}

	/** A property's type as an operator writes its value. */
	static String type(JsonNode described) {
		String type = described.path("type").asString("");
		return switch (type) {
			case "java.lang.Integer", "java.lang.Long" -> "integer";
			case "java.lang.Double" -> "number";
			case "java.lang.Boolean" -> "boolean";
			case "java.time.Duration" -> "duration";
			case "java.nio.file.Path" -> "path";
			case "java.lang.String" -> "text";
			case "java.util.List<java.lang.String>" -> "comma-separated list";
			default -> enumValues(type);
		};
	}

	private static String enumValues(String type) {
		try {
			Class<?> enumType = Class.forName(type);
			if (enumType.isEnum()) {
				return Arrays.stream(enumType.getEnumConstants())
					.map((constant) -> "`" + ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-')
							+ "`")
					.collect(Collectors.joining(" or "));
			}
		}
		catch (ClassNotFoundException ex) {
			// named below
		}
		throw new IllegalStateException(
				"The configuration reference has no words for the type " + type + ": add it to ReferenceDocs.type");
	}

	private static String code(String value) {
		return "`" + value + "`";
	}

	/** Text for a table cell: a pipe would end it. */
	private static String cell(String text) {
		return text.replace("|", "\\|");
	}

	/** Every property Spring Boot's jars document, by name. */
	/** Every documented property of the application, by name, as the metadata has it. */
	static Map<String, JsonNode> metadata() {
		Map<String, JsonNode> own = new LinkedHashMap<>();
		bootMetadata().forEach((name, described) -> {
			if (name.startsWith("reconciler.")) {
				own.put(name, described);
			}
		});
		return own;
	}

	/** {@link Options#defaultOf} of a property's metadata. */
	static String defaultOf(JsonNode described, String applicationValue) {
		JsonNode value = described.get("defaultValue");
		return Options.defaultOf((value != null && !value.isNull()) ? value.asString() : null, applicationValue);
	}

	private static Map<String, JsonNode> bootMetadata() {
		Map<String, JsonNode> properties = new LinkedHashMap<>();
		JsonMapper json = JsonMapper.builder().build();
		try {
			for (URL file : Collections.list(ReferenceDocs.class.getClassLoader().getResources(Options.METADATA))) {
				try (InputStream in = file.openStream()) {
					for (JsonNode property : json.readTree(in).path("properties")) {
						properties.putIfAbsent(property.path("name").asString(""), property);
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return properties;
	}

	private static Map<String, String> groups() {
		Map<String, String> groups = new LinkedHashMap<>();
		groups.put("reconciler", "Run");
		groups.put("reconciler.brake", "Safety brake");
		groups.put("reconciler.watcher", "Watcher");
		groups.put("reconciler.snapshot", "Snapshot strategy");
		groups.put("reconciler.archiver", "Archiver's table");
		groups.put("reconciler.notify", "Notifications");
		return Collections.unmodifiableMap(groups);
	}

	private static Map<String, String> boot() {
		Map<String, String> boot = new LinkedHashMap<>();
		boot.put("spring.datasource.url", "Archiver's database, `jdbc:postgresql://HOST:5432/DATABASE`");
		boot.put("spring.datasource.username",
				"the job's role, `reconciler_job` as [`least-privilege.sql`](../least-privilege.sql) creates it");
		boot.put("spring.datasource.password", "the role's password: a secret");
		boot.put("logging.structured.format.console",
				"`ecs` (as the manifests set it; or `logstash`, `gelf`): every line of standard output one JSON"
						+ " document, the run's kind and id and each line's facts as fields, the summary one event");
		boot.put("spring.profiles.active",
				"`kubernetes`: what earlier manifests set for JSON logs; turns on `logging.structured.format.console=ecs`");
		boot.put("management.prometheus.metrics.export.pushgateway.enabled",
				"push the run's metrics to a Pushgateway while it works and as the process exits");
		boot.put("management.prometheus.metrics.export.pushgateway.address", "the Pushgateway, `HOST:PORT`");
		boot.put("management.prometheus.metrics.export.pushgateway.job",
				"the `job` label of every group: one per environment");
		boot.put("management.prometheus.metrics.export.pushgateway.username", "the Pushgateway's user, if it asks");
		boot.put("management.prometheus.metrics.export.pushgateway.password", "its password: a secret");
		boot.put("management.otlp.metrics.export.enabled", "push the run's metrics over OTLP as the process exits");
		boot.put("management.otlp.metrics.export.url", "the collector, `http://HOST:4318/v1/metrics`");
		return Collections.unmodifiableMap(boot);
	}

}
