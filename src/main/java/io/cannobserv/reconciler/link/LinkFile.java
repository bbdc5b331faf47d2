package io.cannobserv.reconciler.link;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;

/**
 * Reads a link file: YAML whose keys are read under {@code link}, so that an error names
 * {@code link.gone[0].body}. This release reads the gone rules only:
 *
 * <pre>
 * gone:
 *   - status: 404
 *     media-type: application/json
 *     body: {"detail": "WatchedItem not found"}     # exactly this value, or
 *   - status: 200
 *     media-type: application/json
 *     when:                                         # these values at these pointers
 *       - pointer: /deleted
 *         equals: true
 * </pre>
 *
 * Read with SnakeYAML's {@link SafeConstructor}, which keeps YAML's types ({@code true}
 * is a boolean, {@code 404} a number, a body a mapping), creates no object but maps,
 * lists and scalars, and refuses duplicate keys. Every error is one line that names the
 * key or the line; an unknown key is an error, never ignored.
 */
public final class LinkFile {

	/** The built-in link, Archiver to Watcher, on the class path. */
	public static final String ARCHIVER_WATCHER = "links/archiver-watcher.yaml";

	private static final String ROOT = "link";

	private static final String GONE = "gone";

	private static final Set<String> RULE_KEYS = Set.of("status", "media-type", "body", "when");

	private static final Set<String> CONDITION_KEYS = Set.of("pointer", "equals");

	private LinkFile() {
	}

	/**
	 * The gone rules of the built-in link, Archiver to Watcher.
	 * @throws IllegalStateException when the file is missing from the class path or
	 * wrong: a broken build
	 */
	public static GoneRules archiverWatcher() {
		return fromClassPath(ARCHIVER_WATCHER);
	}

	/**
	 * The gone rules of a link file shipped on the class path.
	 * @throws IllegalStateException when it is missing or wrong: a broken build
	 */
	static GoneRules fromClassPath(String resource) {
		try (InputStream in = LinkFile.class.getClassLoader().getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException(resource + " is missing from the class path");
			}
			return read(resource, new InputStreamReader(in, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (LinkDefinitionException ex) {
			throw new IllegalStateException(resource + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * The gone rules of a link file.
	 * @param source where the file came from, for errors
	 * @param reader the file
	 * @return the rules
	 * @throws LinkDefinitionException one line naming the key, or the line of the file,
	 * and what to do
	 */
	public static GoneRules read(String source, Reader reader) {
		Object root;
		try {
			root = yaml().load(reader);
		}
		catch (MarkedYAMLException ex) {
			throw new LinkDefinitionException(source, "not a link file: " + problem(ex) + at(ex.getProblemMark()));
		}
		catch (YAMLException ex) {
			throw new LinkDefinitionException(source, "not a link file: " + oneLine(String.valueOf(ex.getMessage())));
		}
		Map<String, Object> link = mapping(ROOT, root, "a mapping of keys, as gone:", Set.of(GONE));
		Object gone = link.get(GONE);
		if (!(gone instanceof List<?> list) || list.isEmpty()) {
			throw new LinkDefinitionException(ROOT + "." + GONE,
					"a link needs a list of at least one gone rule (- status: 404, media-type: application/json, body: …)");
		}
		List<GoneRule> rules = new ArrayList<>();
		for (int i = 0; i < list.size(); i++) {
			rules.add(rule(ROOT + "." + GONE + "[" + i + "]", list.get(i)));
		}
		return new GoneRules(rules);
	}

	private static Yaml yaml() {
		LoaderOptions options = new LoaderOptions();
		// the other defaults bound a file already: 50 aliases, 3 MB, no recursive key
		options.setAllowDuplicateKeys(false);
		return new Yaml(new SafeConstructor(options));
	}

	private static GoneRule rule(String key, @Nullable Object value) {
		Map<String, Object> rule = mapping(key, value, "a mapping with status, media-type, and body or when",
				RULE_KEYS);
		Object status = rule.get("status");
		if (status != null && !(status instanceof Integer)) {
			throw new LinkDefinitionException(key + ".status",
					"'" + status + "' is not an HTTP status: give one, as 404");
		}
		Object mediaType = rule.get("media-type");
		if (mediaType != null && !(mediaType instanceof String)) {
			throw new LinkDefinitionException(key + ".media-type",
					"'" + mediaType + "' is not a media type: give one, as application/json");
		}
		if (rule.containsKey("body") && rule.containsKey("when")) {
			throw new LinkDefinitionException(key,
					"give body or when, not both: an exact body already says every value of the answer");
		}
		BodyCondition body = null;
		if (rule.containsKey("body")) {
			body = exactBody(key + ".body", rule.get("body"));
		}
		else if (rule.containsKey("when")) {
			body = pointers(key + ".when", rule.get("when"));
		}
		return GoneRule.of(key, (Integer) status, (String) mediaType, body);
	}

	private static BodyCondition exactBody(String key, @Nullable Object value) {
		if (!(value instanceof Map) && !(value instanceof List)) {
			throw new LinkDefinitionException(key, "an exact body is a JSON object or array written as YAML, as "
					+ "body: {\"detail\": \"WatchedItem not found\"} (no quotes around it); got " + describe(value));
		}
		return new BodyCondition.Exact(json(key, value));
	}

	private static BodyCondition pointers(String key, @Nullable Object value) {
		if (!(value instanceof List<?> list) || list.isEmpty()) {
			throw new LinkDefinitionException(key,
					"a list of at least one condition, as - pointer: /error/code, equals: resource_missing");
		}
		List<BodyCondition.PointerEquals> conditions = new ArrayList<>();
		for (int i = 0; i < list.size(); i++) {
			conditions.add(condition(key + "[" + i + "]", list.get(i)));
		}
		return new BodyCondition.Pointers(conditions);
	}

	private static BodyCondition.PointerEquals condition(String key, @Nullable Object value) {
		Map<String, Object> condition = mapping(key, value, "a mapping with pointer and equals", CONDITION_KEYS);
		if (!(condition.get("pointer") instanceof String pointer) || !pointer.startsWith("/")) {
			throw new LinkDefinitionException(key + ".pointer",
					"give a JSON pointer (RFC 6901) to the value, as /error/code; got "
							+ describe(condition.get("pointer")));
		}
		Object equals = condition.get("equals");
		if (equals == null) {
			throw new LinkDefinitionException(key + ".equals",
					"give the value the pointer must hold, as resource_missing or true; got " + describe(equals));
		}
		return new BodyCondition.PointerEquals(JsonPointer.compile(pointer), json(key + ".equals", equals));
	}

	/** A YAML value that JSON can say, as JSON: no dates, sets or binary. */
	private static JsonNode json(String key, Object value) {
		checkJson(key, value);
		return StrictJson.valueOf(value);
	}

	private static void checkJson(String key, @Nullable Object value) {
		if (value instanceof Map<?, ?> map) {
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				if (!(entry.getKey() instanceof String name)) {
					throw new LinkDefinitionException(key, "the key " + entry.getKey()
							+ " is not a string, as every key of a JSON object is: quote it");
				}
				checkJson(key + "." + name, entry.getValue());
			}
		}
		else if (value instanceof List<?> list) {
			for (int i = 0; i < list.size(); i++) {
				checkJson(key + "[" + i + "]", list.get(i));
			}
		}
		else if (value != null && !(value instanceof String) && !(value instanceof Boolean)
				&& !(value instanceof Integer) && !(value instanceof Long) && !(value instanceof BigInteger)
				&& !(value instanceof Double)) {
			throw new LinkDefinitionException(key, "YAML reads this value as a " + value.getClass().getSimpleName()
					+ ", which JSON cannot say: quote it");
		}
	}

	/** {@code value} as a mapping whose keys are all among {@code known}. */
	@SuppressWarnings("unchecked")
	private static Map<String, Object> mapping(String key, @Nullable Object value, String expected, Set<String> known) {
		if (!(value instanceof Map<?, ?> map)) {
			throw new LinkDefinitionException(key, expected + "; got " + describe(value));
		}
		for (Object name : map.keySet()) {
			if (!known.contains(name)) {
				throw new LinkDefinitionException(key + "." + name,
						"unknown key: give " + String.join(", ", known.stream().sorted().toList()));
			}
		}
		return (Map<String, Object>) map;
	}

	private static String describe(@Nullable Object value) {
		if (value == null) {
			return "nothing";
		}
		if (value instanceof Map) {
			return "a mapping";
		}
		if (value instanceof List) {
			return "a list";
		}
		return "'" + oneLine(String.valueOf(value)) + "'";
	}

	private static String problem(MarkedYAMLException ex) {
		String context = ex.getContext();
		return oneLine(((context != null) ? context + ", " : "") + ex.getProblem());
	}

	private static String at(@Nullable Mark mark) {
		return (mark != null) ? " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")" : "";
	}

	private static String oneLine(String text) {
		return text.replaceAll("\\s+", " ").strip();
	}

}
