package io.cannobserv.reconciler.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The command line's options. Each sets a property; what it is for and its default come
 * from the configuration metadata that the build generates from the documented
 * {@code @ConfigurationProperties} records ({@code @param} and {@code @DefaultValue}), so
 * the records are the one source of {@code --help}, of IDE hints and of the generated
 * references {@code docs/reference/cli.md} and {@code docs/reference/configuration.md}
 * ({@code OptionsDocumentationTests} holds them to the records).
 */
public final class Options {

	/**
	 * The metadata file the configuration processor writes into the application's
	 * classes.
	 */
	static final String METADATA = "META-INF/spring-configuration-metadata.json";

	/** Option name to property, in the order of {@code --help}. */
	private static final Map<String, String> PROPERTIES = properties();

	private Options() {
	}

	/** The property an option sets, or null for no such option. */
	static @Nullable String property(String option) {
		return PROPERTIES.get(option);
	}

	/** The option that sets {@code property}, or null for none. */
	static @Nullable String optionOf(String property) {
		return PROPERTIES.entrySet()
			.stream()
			.filter((option) -> option.getValue().equals(property))
			.map(Map.Entry::getKey)
			.findFirst()
			.orElse(null);
	}

	/** The names of every option, in the order of {@code --help}. */
	static Set<String> names() {
		return PROPERTIES.keySet();
	}

	/**
	 * Every option, with what the metadata says of its property, in the order of
	 * {@code --help}.
	 */
	public static List<Option> all() {
		Map<String, Described> metadata = described();
		Properties application = applicationProperties();
		List<Option> options = new ArrayList<>();
		PROPERTIES.forEach((name, property) -> {
			Described described = metadata.get(property);
			Class<?> type = SettingsRecords.type(property);
			if (described == null || type == null) {
				throw new IllegalStateException("No configuration metadata for " + property + " (option --" + name
						+ "): is it documented in its @ConfigurationProperties record?");
			}
			options.add(new Option(name, property, described.description(),
					defaultOf(described.defaultValue(), application.getProperty(property)),
					ValueType.of(property, type)));
		});
		return Collections.unmodifiableList(options);
	}

	/**
	 * What the metadata says of each of the application's documented properties, by name.
	 * Read with Jackson's streaming parser: its data binding would load some 700 classes
	 * more, half of what {@code --help} costs.
	 */
	static Map<String, Described> described() {
		Map<String, Described> properties = new LinkedHashMap<>();
		JsonFactory factory = JsonFactory.builder().build();
		try {
			// every Boot jar has a file of this name too: keep this application's
			// properties
			for (URL file : Collections.list(Options.class.getClassLoader().getResources(METADATA))) {
				try (InputStream in = file.openStream();
						JsonParser parser = factory.createParser(ObjectReadContext.empty(), in)) {
					readProperties(parser, properties);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return properties;
	}

	/** The {@code properties} array of one metadata file, the others skipped. */
	private static void readProperties(JsonParser parser, Map<String, Described> properties) {
		if (parser.nextToken() != JsonToken.START_OBJECT) {
			return;
		}
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			boolean wanted = "properties".equals(parser.currentName());
			if (parser.nextToken() != JsonToken.START_ARRAY || !wanted) {
				parser.skipChildren();
				continue;
			}
			while (parser.nextToken() == JsonToken.START_OBJECT) {
				String name = "";
				String description = "";
				String defaultValue = null;
				while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
					String key = parser.currentName();
					JsonToken value = parser.nextToken();
					boolean text = value.isScalarValue() && value != JsonToken.VALUE_NULL;
					switch (key) {
						case "name" -> name = text ? parser.getString() : "";
						case "description" -> description = text ? parser.getString() : "";
						case "defaultValue" -> defaultValue = text ? parser.getString() : null;
						default -> parser.skipChildren();
					}
				}
				if (name.startsWith("reconciler.")) {
					properties.put(name, new Described(description, defaultValue));
				}
			}
		}
	}

	/** The text of a metadata description: {@code {@code X}} becomes {@code X}. */
	public static String plain(String description) {
		return Text.CODE.matcher(description).replaceAll("$1").replaceAll("\\s+", " ").strip();
	}

	/**
	 * The text of a metadata description in Markdown: {@code {@code X}} becomes
	 * {@code `X`}.
	 */
	public static String markdown(String description) {
		return Text.CODE.matcher(description)
			.replaceAll((match) -> Matcher.quoteReplacement("`" + match.group(1) + "`"))
			.replaceAll("\\s+", " ")
			.strip();
	}

	/**
	 * A property's default as people read it: the metadata's default, else the
	 * environment variable application.properties takes it from
	 * ({@code $WATCHER_BASE_URL}), else {@code none}.
	 */
	public static String defaultOf(@Nullable String defaultValue, @Nullable String applicationValue) {
		if (defaultValue != null) {
			return defaultValue;
		}
		if (applicationValue != null) {
			Matcher environment = Text.FROM_ENVIRONMENT.matcher(applicationValue);
			if (environment.matches()) {
				return "$" + environment.group(1);
			}
		}
		return "none";
	}

	/**
	 * The defaults of {@code application.properties}, where some properties take
	 * environment variables.
	 */
	public static Properties applicationProperties() {
		Properties properties = new Properties();
		try (InputStream in = Options.class.getClassLoader().getResourceAsStream("application.properties")) {
			if (in != null) {
				properties.load(in);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return properties;
	}

	/**
	 * The properties that have an option, in the order of {@code --help}. An option is
	 * named after its property's last part ({@code reconciler.chunk-size} is
	 * {@code --chunk-size}), unless that would be unclear on its own.
	 */
	private static Map<String, String> properties() {
		Map<String, String> renamed = Map.of("reconciler.brake.min-sample", "brake-min-sample",
				"reconciler.watcher.base-url", "watcher-base-url", "reconciler.snapshot.max-items",
				"snapshot-max-items", "reconciler.snapshot.timeout", "snapshot-timeout", "reconciler.link.file",
				"link-file");
		Map<String, String> options = new LinkedHashMap<>();
		for (String property : List.of("reconciler.link.file", "reconciler.chunk-size", "reconciler.concurrency",
				"reconciler.fixed-concurrency", "reconciler.partition", "reconciler.partitions",
				"reconciler.report-dir", "reconciler.job-schema", "reconciler.strategy", "reconciler.relink",
				"reconciler.snapshot.max-items", "reconciler.snapshot.timeout", "reconciler.brake.max-clear-fraction",
				"reconciler.brake.min-sample", "reconciler.brake.max-clears", "reconciler.watcher.base-url",
				"reconciler.watcher.connect-timeout", "reconciler.watcher.read-timeout",
				"reconciler.watcher.request-timeout", "reconciler.watcher.max-attempts",
				"reconciler.watcher.initial-backoff", "reconciler.watcher.max-backoff",
				"reconciler.watcher.max-retry-after", "reconciler.watcher.max-requests-per-second")) {
			options.put(renamed.getOrDefault(property, property.substring(property.lastIndexOf('.') + 1)), property);
		}
		return Collections.unmodifiableMap(options);
	}

	/**
	 * The patterns of the documentation's text, compiled when it is first written: a
	 * command line is parsed without them.
	 */
	private static final class Text {

		static final Pattern CODE = Pattern.compile("\\{@code ([^}]*)}");

		/**
		 * A property set from an environment variable in application.properties:
		 * {@code ${WATCHER_BASE_URL:}}.
		 */
		static final Pattern FROM_ENVIRONMENT = Pattern.compile("\\$\\{([A-Z0-9_]+):}");

	}

	/**
	 * An option of the command line.
	 *
	 * @param name its name, without {@code --}
	 * @param property the property it sets
	 * @param description what it is for, as documented (with {@code {@code}} tags)
	 * @param defaultValue its default as people read it
	 * @param type what its value must look like
	 */
	public record Option(String name, String property, String description, String defaultValue, ValueType type) {

		/** Whether the option alone sets it, as {@code --relink} does. */
		public boolean flag() {
			return this.type.kind() == ValueType.Kind.FLAG;
		}

		/**
		 * The option as {@code --help} writes it: {@code --chunk-size=N},
		 * {@code --strategy=per-item|snapshot|auto}, {@code --relink}.
		 */
		public String synopsis() {
			return flag() ? "--" + this.name : "--" + this.name + "=" + this.type.placeholder(this.name);
		}

	}

	/**
	 * What the configuration metadata says of a property.
	 *
	 * @param description its description, with the javadoc's {@code {@code X}}
	 * @param defaultValue its default as written, if it has one
	 */
	record Described(String description, @Nullable String defaultValue) {
	}

}
