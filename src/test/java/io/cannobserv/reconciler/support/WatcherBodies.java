package io.cannobserv.reconciler.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Watcher's real response bodies, read from {@code src/test/resources/watcher/*.json}
 * (see {@code watcher-contract.md}). Placeholders such as {@code {{id}}} are replaced
 * here, in Java, so the fixtures stay plain JSON and no WireMock templating is involved.
 * <p>
 * Public so classifier tests with a mock HTTP server can answer with the same bytes as
 * {@link FakeWatcher}.
 */
public final class WatcherBodies {

	/** The body that alone proves a WatchedItem was deleted. */
	public static final String WATCHED_ITEM_NOT_FOUND = load("watched-item-not-found.json");

	/** 404 for an id that is not a ULID. */
	public static final String RESOURCE_NOT_FOUND = load("resource-not-found.json");

	/** FastAPI's 404 for a route that does not exist: wrong base URL or path prefix. */
	public static final String ROUTE_NOT_FOUND = load("route-not-found.json");

	public static final String INVALID_API_KEY = load("invalid-api-key.json");

	public static final String NOT_AUTHENTICATED = load("not-authenticated.json");

	public static final String HEALTH_OK = load("health-ok.json");

	public static final String READY = load("ready.json");

	public static final String NOT_READY = load("not-ready.json");

	/** 400 of the list endpoint for a malformed {@code archiver_info_item_id} filter. */
	public static final String INVALID_FILTER = load("invalid-filter.json");

	/** What uvicorn sends, as {@code text/plain}, for an unhandled exception. */
	public static final String INTERNAL_SERVER_ERROR = "Internal Server Error";

	/**
	 * A 404 page of an nginx ingress in front of Watcher: not Watcher's, so not proof of
	 * anything.
	 */
	public static final String NGINX_NOT_FOUND = "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
			+ "<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

	private static final String LIVE = load("watched-item-live.json");

	private static final String ARCHIVED = load("watched-item-archived.json");

	private WatcherBodies() {
	}

	/**
	 * An active WatchedItem; {@code archiverInfoItemId} may be {@code null} (unlinked).
	 */
	public static String live(String id, @Nullable String archiverInfoItemId) {
		return watchedItem(LIVE, id, archiverInfoItemId);
	}

	/**
	 * An archived WatchedItem: {@code "is_active":false}, {@code archived_at} set. It
	 * still exists.
	 */
	public static String archived(String id, @Nullable String archiverInfoItemId) {
		return watchedItem(ARCHIVED, id, archiverInfoItemId);
	}

	private static String watchedItem(String template, String id, @Nullable String archiverInfoItemId) {
		return template.replace("\"{{id}}\"", json(id))
			.replace("\"{{archiverInfoItemId}}\"", (archiverInfoItemId != null) ? json(archiverInfoItemId) : "null");
	}

	/** A JSON string literal, quotes included. */
	static String json(String value) {
		StringBuilder json = new StringBuilder("\"");
		for (char c : value.toCharArray()) {
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				default -> {
					if (c < 0x20) {
						json.append(String.format("\\u%04x", (int) c));
					}
					else {
						json.append(c);
					}
				}
			}
		}
		return json.append('"').toString();
	}

	private static String load(String name) {
		try (InputStream in = WatcherBodies.class.getResourceAsStream("/watcher/" + name)) {
			if (in == null) {
				throw new IllegalStateException("Missing test resource watcher/" + name);
			}
			// fixtures end with a newline for editors; Watcher's bodies do not
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
