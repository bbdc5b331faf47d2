package io.cannobserv.reconciler.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.json.JsonMapper;

/**
 * Watcher's contract as the job's built-in link file says it
 * ({@code src/main/resources/links/archiver-watcher.yaml}, on this project's class path
 * by {@code bench/pom.xml}): the fakes answer the paths, header, probe and gone body the
 * job is configured with, instead of a copy that could drift from it.
 */
final class WatcherContract {

	private static final Map<String, Object> RESOURCE;

	private static final Map<String, Object> GONE;

	static {
		Map<String, Object> link = load();
		RESOURCE = map(link.get("resource"));
		GONE = map(((List<?>) link.get("gone")).get(0));
	}

	/** The path of one WatchedItem, up to its id: {@code /api/v1/watched-items/}. */
	static final String ITEM_PATH = before((String) RESOURCE.get("item"), "{id}");

	/**
	 * The index of the id among the item path's segments, for WireMock's
	 * {@code request.pathSegments}.
	 */
	static final int ID_SEGMENT = ITEM_PATH.split("/").length - 1;

	/** The list's path, without its query: {@code /api/v1/watched-items}. */
	static final String LIST_PATH = before((String) RESOURCE.get("list"), "?");

	/** The list's query parameter and value: {@code include_archived=true}. */
	static final String[] LIST_QUERY = ((String) RESOURCE.get("list")).split("\\?", 2)[1].split("=", 2);

	/** The header that carries the key: {@code X-API-Key}. */
	static final String KEY_HEADER = (String) map(RESOURCE.get("auth")).get("header");

	/** The path asked without the key before a run: {@code /health}. */
	static final String HEALTH_PATH = (String) RESOURCE.get("health");

	/** The id no WatchedItem has, which the job asks before a run. */
	static final String PROBE_ID = (String) RESOURCE.get("probe");

	/** The gone answer's status: {@code 404}. */
	static final int GONE_STATUS = (Integer) GONE.get("status");

	/** The gone answer's exact body: {@code {"detail":"WatchedItem not found"}}. */
	static final String GONE_BODY = JsonMapper.builder().build().writeValueAsString(GONE.get("body"));

	private WatcherContract() {
	}

	private static Map<String, Object> load() {
		try (InputStream in = WatcherContract.class.getClassLoader()
			.getResourceAsStream("links/archiver-watcher.yaml")) {
			if (in == null) {
				throw new IllegalStateException(
						"links/archiver-watcher.yaml is not on the class path: build with bench/pom.xml");
			}
			return map(new Yaml(new SafeConstructor(new LoaderOptions())).load(in));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

	private static String before(String text, String end) {
		return text.substring(0, text.indexOf(end));
	}

}
