package io.cannobserv.reconciler.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The application's own configuration metadata ({@value Options#METADATA}), which the
 * build's configuration processor writes from the documented
 * {@code @ConfigurationProperties} records: each settings record (a group) and each
 * property with its type, description and default.
 * <p>
 * Read with Jackson's streaming parser, not its object mapper: the command line is
 * checked with it before Spring starts, and the mapper alone takes longer to start than
 * {@code --version} takes to answer.
 *
 * @param groups the settings records by prefix ({@code reconciler.watcher})
 * @param properties the properties by name ({@code reconciler.watcher.read-timeout})
 */
record ConfigurationMetadata(Map<String, Group> groups, Map<String, Property> properties) {

	/** The prefix of every property of this application. */
	static final String PREFIX = "reconciler";

	/** This application's metadata, read once. */
	static ConfigurationMetadata get() {
		return Holder.METADATA;
	}

	/** The property named {@code name}, or null for none. */
	@Nullable Property property(String name) {
		return this.properties.get(name);
	}

	/**
	 * A settings record.
	 *
	 * @param name its prefix
	 * @param type the record's class name
	 */
	record Group(String name, String type) {
	}

	/**
	 * A property of a settings record.
	 *
	 * @param name its name
	 * @param type the Java type it binds to: {@code java.lang.Integer},
	 * {@code java.time.Duration}, an enum's class name
	 * @param description what it is for, as documented (with {@code {@code}} tags)
	 * @param defaultValue its default as the metadata writes it, null for none
	 */
	record Property(String name, String type, String description, @Nullable String defaultValue) {
	}

	private static final class Holder {

		static final ConfigurationMetadata METADATA = load();

		/**
		 * Every Boot jar has a file of this name too. The application's own comes first
		 * on the class path, so it is looked for first, alone: listing every jar's file
		 * means opening every jar. Each file starts with its groups, so another jar's
		 * file is recognised by its first group and left unread.
		 */
		private static ConfigurationMetadata load() {
			ClassLoader classLoader = Options.class.getClassLoader();
			try {
				URL first = classLoader.getResource(Options.METADATA);
				ConfigurationMetadata metadata = (first != null) ? read(first) : null;
				if (metadata != null) {
					return metadata;
				}
				for (URL file : Collections.list(classLoader.getResources(Options.METADATA))) {
					metadata = read(file);
					if (metadata != null) {
						return metadata;
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			throw new IllegalStateException("No configuration metadata of " + PREFIX + ".* properties in "
					+ Options.METADATA + ": was the application built with its configuration processor?");
		}

		private static @Nullable ConfigurationMetadata read(URL file) throws IOException {
			try (InputStream in = file.openStream();
					JsonParser parser = new JsonFactory().createParser(ObjectReadContext.empty(), in)) {
				return read(parser);
			}
		}

		private static @Nullable ConfigurationMetadata read(JsonParser parser) {
			Map<String, Group> groups = new LinkedHashMap<>();
			Map<String, Property> properties = new LinkedHashMap<>();
			expect(parser.nextToken(), JsonToken.START_OBJECT);
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String section = parser.currentName();
				parser.nextToken();
				if ("groups".equals(section)) {
					boolean[] ours = { true };
					eachObject(parser, (fields) -> {
						String name = fields.getOrDefault("name", "");
						ours[0] &= isOurs(name);
						groups.put(name, new Group(name, fields.getOrDefault("type", "")));
					});
					if (!ours[0] || groups.isEmpty()) {
						return null;
					}
				}
				else if ("properties".equals(section)) {
					eachObject(parser, (fields) -> {
						String name = fields.getOrDefault("name", "");
						if (isOurs(name)) {
							properties.put(name, new Property(name, fields.getOrDefault("type", ""),
									fields.getOrDefault("description", ""), fields.get("defaultValue")));
						}
					});
				}
				else {
					parser.skipChildren();
				}
			}
			return groups.isEmpty() ? null : new ConfigurationMetadata(Collections.unmodifiableMap(groups),
					Collections.unmodifiableMap(properties));
		}

		private static boolean isOurs(String name) {
			return name.equals(PREFIX) || name.startsWith(PREFIX + ".");
		}

		/**
		 * Each object of the array at the parser, as its scalar fields in text; nested
		 * values are skipped.
		 */
		private static void eachObject(JsonParser parser, Consumer<Map<String, String>> action) {
			expect(parser.currentToken(), JsonToken.START_ARRAY);
			while (parser.nextToken() == JsonToken.START_OBJECT) {
				Map<String, String> fields = new LinkedHashMap<>();
				while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
					String field = parser.currentName();
					JsonToken value = parser.nextToken();
					if (value.isScalarValue() && value != JsonToken.VALUE_NULL) {
						fields.put(field, parser.getString());
					}
					else {
						parser.skipChildren();
					}
				}
				action.accept(fields);
			}
		}

		private static void expect(@Nullable JsonToken actual, JsonToken expected) {
			if (actual != expected) {
				throw new IllegalStateException(
						"Unexpected " + actual + " in " + Options.METADATA + " where " + expected + " belongs");
			}
		}

	}

}
