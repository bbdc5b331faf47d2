package io.cannobserv.reconciler.link;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;

import io.cannobserv.reconciler.run.SqlIdentifier;

/**
 * Reads a link file: YAML whose keys are read under {@code link}, so that an error names
 * {@code link.gone[0].body}. A link has a name, its resource and its gone rules (the
 * built-in {@code links/archiver-watcher.yaml} says every key):
 *
 * <pre>
 * name: billing-customers
 * resource:
 *   name: the customers API
 *   item: /v1/customers/{id}
 *   id: {format: "cus_[A-Za-z0-9]{14,}", called: a customer id}
 *   probe: cus_00000000000000
 *   auth: bearer                                    # or {header: X-API-Key}
 *   fields: {id: /id}
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

	private static final String RESOURCE = "resource";

	private static final String SOURCE = "source";

	private static final String CALLED = "called";

	private static final Set<String> LINK_KEYS = Set.of("name", SOURCE, RESOURCE, GONE, CALLED);

	private static final Set<String> CALLED_KEYS = Set.of("source", "row", "item");

	private static final Set<String> SOURCE_KEYS = Set.of("schema", "table", "key", "pointer", "changed-at",
			"side-effect");

	private static final Set<String> RESOURCE_KEYS = Set.of("name", "item", "id", "probe", "auth", "health", "fields",
			"list", "back-link-search");

	private static final Set<String> FORMAT_KEYS = Set.of("format", "called");

	private static final Set<String> FIELD_KEYS = Set.of("id", "archived", "back-link");

	private static final Set<String> SEARCH_KEYS = Set.of("query", "key");

	/** Lower case, digits and hyphens: a link's name becomes part of labels and locks. */
	private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

	/** An HTTP header's name: RFC 9110's token. */
	private static final Pattern HEADER = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

	private static final Set<String> RULE_KEYS = Set.of("status", "media-type", "body", "when");

	private static final Set<String> CONDITION_KEYS = Set.of("pointer", "equals");

	private LinkFile() {
	}

	/**
	 * The built-in link, Archiver to Watcher.
	 * @throws IllegalStateException when the file is missing from the class path or
	 * wrong: a broken build
	 */
	public static Link archiverWatcher() {
		return fromClassPath(ARCHIVER_WATCHER);
	}

	/**
	 * A link file shipped on the class path.
	 * @throws IllegalStateException when it is missing or wrong: a broken build
	 */
	static Link fromClassPath(String resource) {
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
	 * A link file.
	 * @param source where the file came from, for errors
	 * @param reader the file
	 * @return the link
	 * @throws LinkDefinitionException one line naming the key, or the line of the file,
	 * and what to do
	 */
	public static Link read(String source, Reader reader) {
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
		Map<String, Object> link = mapping(ROOT, root, "a mapping of keys: name, source, resource and gone", LINK_KEYS);
		GoneRules gone = gone(link.get(GONE));
		String name = required(ROOT + ".name", link.get("name"), "the link's name, as billing-customers");
		if (!NAME.matcher(name).matches()) {
			throw new LinkDefinitionException(ROOT + ".name", "'" + oneLine(name)
					+ "' is not a link name: lower-case letters, digits and hyphens, starting with a letter, as billing-customers");
		}
		Source table = link.containsKey(SOURCE) ? source(ROOT + "." + SOURCE, link.get(SOURCE)) : null;
		Called called = link.containsKey(CALLED) ? called(ROOT + "." + CALLED, link.get(CALLED)) : Called.NOTHING;
		return new Link(name, resource(ROOT + "." + RESOURCE, link.get(RESOURCE)), gone, table, called);
	}

	private static Called called(String key, @Nullable Object value) {
		Map<String, Object> called = mapping(key, value, "a mapping with source, row and item, each optional",
				CALLED_KEYS);
		return new Called(word(key + ".source", called, "what owns the table, as billing"),
				word(key + ".row", called, "what one row is called, as account"),
				word(key + ".item", called, "what one resource is called, as customer"));
	}

	private static @Nullable String word(String key, Map<String, Object> called, String what) {
		String name = key.substring(key.lastIndexOf('.') + 1);
		return called.containsKey(name) ? required(key, called.get(name), what) : null;
	}

	private static Source source(String key, @Nullable Object value) {
		Map<String, Object> source = mapping(key, value,
				"a mapping with schema, table, key and pointer, and optionally changed-at and side-effect",
				SOURCE_KEYS);
		return new Source(identifier(key + ".schema", source.get("schema"), "the table's schema, as billing"),
				identifier(key + ".table", source.get("table"), "the table holding the pointers, as accounts"),
				identifier(key + ".key", source.get("key"), "the column that names a row, as account_id"),
				identifier(key + ".pointer", source.get("pointer"),
						"the column holding the pointer, as stripe_customer_id"),
				source.containsKey("changed-at") ? identifier(key + ".changed-at", source.get("changed-at"),
						"the timestamp column every write sets, as updated_at") : null,
				source.containsKey("side-effect") ? identifier(key + ".side-effect", source.get("side-effect"),
						"a table of the same schema whose rows a clear deletes, as watch_status") : null);
	}

	/** A plain lower-case PostgreSQL identifier: it is spliced into SQL. */
	private static String identifier(String key, @Nullable Object value, String what) {
		String name = required(key, value, what);
		if (!SqlIdentifier.valid(name)) {
			throw new LinkDefinitionException(key, "'" + oneLine(name)
					+ "' is not a plain lower-case PostgreSQL identifier (letters, digits, underscores)");
		}
		return name;
	}

	private static GoneRules gone(@Nullable Object gone) {
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

	private static Resource resource(String key, @Nullable Object value) {
		Map<String, Object> resource = mapping(key, value, "a mapping with name, item, id, probe, auth and fields",
				RESOURCE_KEYS);
		String name = required(key + ".name", resource.get("name"), "what the API is called in messages, as Watcher");
		String item = path(key + ".item", resource.get("item"), Resource.ID, "/v1/customers/{id}");
		IdFormat id = format(key + ".id", resource.get("id"));
		String probe = required(key + ".probe", resource.get("probe"),
				"an id of the pointer's form that no resource can have, as cus_00000000000000");
		if (!id.matches(probe)) {
			throw new LinkDefinitionException(key + ".probe",
					"'" + oneLine(probe) + "' is not " + id.called() + " (" + key + ".id.format): the probe must be "
							+ "an id the API would look up, and answer with its gone answer");
		}
		Auth auth = auth(key + ".auth", resource.get("auth"));
		String health = resource.containsKey("health") ? path(key + ".health", resource.get("health"), null, "/health")
				: null;
		Fields fields = fields(key + ".fields", resource.get("fields"));
		String list = null;
		if (resource.containsKey("list")) {
			list = path(key + ".list", resource.get("list"), null, "/api/v1/watched-items?include_archived=true");
			for (Map.Entry<String, JsonPointer> field : fields.declared().entrySet()) {
				if (Fields.topLevelName(field.getValue()) == null) {
					throw new LinkDefinitionException(key + ".fields." + field.getKey(),
							"with a list, every field is a "
									+ "key of the resource's top-level object, as /id: the list is read as it streams");
				}
			}
		}
		BackLinkSearch search = null;
		if (resource.containsKey("back-link-search")) {
			search = search(key + ".back-link-search", resource.get("back-link-search"));
			if (fields.backLink() == null) {
				throw new LinkDefinitionException(key + ".fields.back-link",
						"missing: a back-link search needs the field that holds the back-link, as /archiver_info_item_id");
			}
		}
		return new Resource(name, item, id, probe, auth, health, fields, list, search);
	}

	private static IdFormat format(String key, @Nullable Object value) {
		Map<String, Object> format = mapping(key, value, "a mapping with format and called", FORMAT_KEYS);
		String expression = required(key + ".format", format.get("format"),
				"a regular expression the whole id must match, as cus_[A-Za-z0-9]{14,}");
		Pattern pattern;
		try {
			pattern = Pattern.compile(expression);
		}
		catch (PatternSyntaxException ex) {
			throw new LinkDefinitionException(key + ".format",
					"not a regular expression: " + oneLine(ex.getDescription()) + " at index " + ex.getIndex());
		}
		if (pattern.matcher("").matches()) {
			throw new LinkDefinitionException(key + ".format",
					"matches an empty id: give the form of an id, as cus_[A-Za-z0-9]{14,}");
		}
		String called = required(key + ".called", format.get("called"),
				"what such an id is called in messages, as a customer id");
		return new IdFormat(pattern, called);
	}

	private static Auth auth(String key, @Nullable Object value) {
		if ("bearer".equals(value)) {
			return Auth.bearer();
		}
		if (!(value instanceof Map)) {
			throw new LinkDefinitionException(key,
					"give bearer (Authorization: Bearer <secret>) or {header: <name>}; got " + describe(value));
		}
		Map<String, Object> auth = mapping(key, value, "bearer or {header: <name>}", Set.of("header"));
		String header = required(key + ".header", auth.get("header"),
				"the header that carries the secret, as X-API-Key");
		if (!HEADER.matcher(header).matches()) {
			throw new LinkDefinitionException(key + ".header", "'" + oneLine(header) + "' is not a header name");
		}
		return Auth.header(header);
	}

	private static Fields fields(String key, @Nullable Object value) {
		Map<String, Object> fields = mapping(key, value, "a mapping with id, and optionally archived and back-link",
				FIELD_KEYS);
		JsonPointer id = jsonPointer(key + ".id", fields.get("id"), true);
		return new Fields(id, jsonPointer(key + ".archived", fields.get("archived"), false),
				jsonPointer(key + ".back-link", fields.get("back-link"), false));
	}

	private static BackLinkSearch search(String key, @Nullable Object value) {
		Map<String, Object> search = mapping(key, value, "a mapping with query and key", SEARCH_KEYS);
		String query = path(key + ".query", search.get("query"), BackLinkSearch.KEY,
				"/api/v1/watched-items?archiver_info_item_id={key}&include_archived=true");
		return new BackLinkSearch(query, format(key + ".key", search.get("key")));
	}

	private static String required(String key, @Nullable Object value, String what) {
		if (!(value instanceof String text) || text.isBlank()) {
			throw new LinkDefinitionException(key, "missing: " + what + "; got " + describe(value));
		}
		if (text.chars().anyMatch(Character::isISOControl)) {
			throw new LinkDefinitionException(key, "holds a control character, such as a line break: give one line");
		}
		return text;
	}

	/**
	 * A path (and query) under the base URL, with {@code placeholder} exactly once where
	 * given, and no other brace.
	 */
	private static String path(String key, @Nullable Object value, @Nullable String placeholder, String example) {
		String path = required(key, value, "a path under the base URL, as " + example);
		String rest = (placeholder != null) ? path.replaceFirst(Pattern.quote(placeholder), "") : path;
		if (!path.startsWith("/") || path.startsWith("//") || rest.contains("{") || rest.contains("}")
				|| path.contains("#") || path.chars().anyMatch(Character::isWhitespace)
				|| (placeholder != null && !path.contains(placeholder))) {
			throw new LinkDefinitionException(key, "'" + oneLine(path) + "' is not a path under the base URL"
					+ ((placeholder != null) ? " with " + placeholder + " once" : "") + ", as " + example);
		}
		try {
			new URI("http://host" + rest);
		}
		catch (URISyntaxException ex) {
			throw new LinkDefinitionException(key,
					"'" + oneLine(path) + "' is not a valid path: " + oneLine(ex.getReason()) + "; percent-encode it");
		}
		return path;
	}

	private static @Nullable JsonPointer jsonPointer(String key, @Nullable Object value, boolean mandatory) {
		if (value == null && !mandatory) {
			return null;
		}
		if (!(value instanceof String pointer) || !pointer.startsWith("/")) {
			throw new LinkDefinitionException(key,
					"give a JSON pointer (RFC 6901) to the value, as /id; got " + describe(value));
		}
		try {
			return JsonPointer.compile(pointer);
		}
		catch (IllegalArgumentException ex) {
			throw new LinkDefinitionException(key, "'" + oneLine(pointer) + "' is not a JSON pointer (RFC 6901)");
		}
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
