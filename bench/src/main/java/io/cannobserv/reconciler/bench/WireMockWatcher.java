package io.cannobserv.reconciler.bench;

import java.io.Closeable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.json.JsonMapper;

/**
 * The fake Watcher: WireMock standalone in a process of its own (so its CPU is not the
 * job's, and it can be measured alone), answering with Watcher's real bodies
 * ({@code watcher-contract.md}) after a fixed delay. The pointer's class letter, at index
 * 3 of the id, picks the answer: see {@link BenchDatabase}.
 */
final class WireMockWatcher implements Closeable {

	static final String API_KEY = "benchmark-api-key";

	static final String ITEM_PATH = WatcherContract.ITEM_PATH;

	static final String LIST_PATH = WatcherContract.LIST_PATH;

	/** The list's answer, written for each seeded registry (WireMock reads it per request). */
	static final String LIST_FILE = "watched-items.json";

	/** A live id, for wrk. */
	static final String LIVE_ID = "01W" + BenchDatabase.LIVE + "0000000000000000000001";


	/** WireMock's template of the id in the request's path. */
	private static final String ECHOED_ID = "{{request.pathSegments.[" + WatcherContract.ID_SEGMENT + "]}}";

	/**
	 * Watcher's WatchedItem (watcher-contract.md), its id echoed from the request path.
	 */
	private static final String ITEM_BODY = "{\"id\":\"" + ECHOED_ID + "\",\"archiver_info_item_id\":null,"
			+ "\"name\":\"Test WatchedItem\",\"description\":null,\"is_active\":%s,\"archived_at\":%s,"
			+ "\"last_reviewed_at\":null,\"last_checked_at\":\"2026-06-10T00:05:00Z\",\"last_changed_at\":null,"
			+ "\"health_status\":\"ok\",\"default_schedule_config\":{\"interval\":\"1d\"},"
			+ "\"effective_url\":\"https://example.com/data\","
			+ "\"source_specs\":[{\"schema_version\":1,\"extraction\":{\"algorithm\":\"full_page\"}}],"
			+ "\"archiver_info_source_id\":\"01HZZ000000000000000000001\",\"domain_name\":\"example.com\","
			+ "\"domain_suspended\":false,\"created_at\":\"2026-06-10T00:00:00Z\","
			+ "\"updated_at\":\"2026-06-10T00:00:00+00:00\",\"media_type_essence\":\"text/html\"}";

	private final Process process;

	private final int port;

	private final int latencyMillis;

	private final Path dir;

	private WireMockWatcher(Process process, int port, int latencyMillis, Path dir) {
		this.process = process;
		this.port = port;
		this.latencyMillis = latencyMillis;
		this.dir = dir;
	}

	/**
	 * Writes the mappings to {@code dir/mappings} and starts WireMock on a free port.
	 * @param latencyMillis the fixed delay of every Watcher API answer
	 */
	static WireMockWatcher start(Path wiremockJar, Path dir, int latencyMillis)
			throws IOException, InterruptedException {
		Path mappings = dir.resolve("mappings");
		Files.createDirectories(mappings);
		try (var old = Files.list(mappings)) {
			for (Path file : old.toList()) {
				Files.delete(file);
			}
		}
		Files.createDirectories(dir.resolve("__files"));
		JsonMapper json = JsonMapper.builder().build();
		List<Map<String, Object>> stubs = mappings(latencyMillis);
		for (int i = 0; i < stubs.size(); i++) {
			Files.writeString(mappings.resolve("stub-" + i + ".json"), json.writeValueAsString(stubs.get(i)));
		}
		int port = freePort();
		// WireMock holds an answer's body in memory: the snapshot's list is 600 MB at
		// 1 000 000 pointers
		List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx2g", "-jar", wiremockJar.toString(),
				"--port", String.valueOf(port), "--bind-address", "127.0.0.1", "--root-dir", dir.toString(),
				"--no-request-journal", "--disable-request-logging", "--disable-banner",
				"--async-response-enabled=true", "--container-threads", "64"));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("wiremock.log").toFile()))
			.start();
		WireMockWatcher watcher = new WireMockWatcher(process, port, latencyMillis, dir);
		watcher.awaitHealthy(Duration.ofSeconds(60));
		return watcher;
	}

	private static List<Map<String, Object>> mappings(int latencyMillis) {
		List<Map<String, Object>> stubs = new ArrayList<>();
		stubs.add(stub(1, Map.of("method", "GET", "urlPath", WatcherContract.HEALTH_PATH),
				response(200, "application/json", "{\"status\":\"ok\"}", 0, false)));
		Map<String, Object> key = Map.of(WatcherContract.KEY_HEADER, Map.of("equalTo", API_KEY));
		stubs.add(stub(1, Map.of("method", "GET", "urlPath", ITEM_PATH + WatcherContract.PROBE_ID, "headers", key),
				response(WatcherContract.GONE_STATUS, "application/json", WatcherContract.GONE_BODY, latencyMillis, false)));
		stubs.add(stub(2, item(BenchDatabase.LIVE, key),
				response(200, "application/json", ITEM_BODY.formatted("true", "null"), latencyMillis, true)));
		stubs.add(stub(2, item(BenchDatabase.GONE, key),
				response(WatcherContract.GONE_STATUS, "application/json", WatcherContract.GONE_BODY, latencyMillis,
						false)));
		stubs.add(stub(2, item(BenchDatabase.ARCHIVED, key), response(200, "application/json",
				ITEM_BODY.formatted("false", "\"2026-06-12T09:30:00Z\""), latencyMillis, true)));
		stubs.add(stub(2, item(BenchDatabase.TRANSIENT, key),
				response(503, "text/plain", "Service Unavailable", latencyMillis, false)));
		// the snapshot strategy's one request: every WatchedItem that exists, archived ones
		// included
		Map<String, Object> list = new LinkedHashMap<>();
		list.put("status", 200);
		list.put("headers", Map.of("Content-Type", "application/json"));
		list.put("bodyFileName", LIST_FILE);
		if (latencyMillis > 0) {
			list.put("fixedDelayMilliseconds", latencyMillis);
		}
		stubs.add(stub(2, Map.of("method", "GET", "urlPath", LIST_PATH, "headers", key, "queryParameters",
				Map.of(WatcherContract.LIST_QUERY[0], Map.of("equalTo", WatcherContract.LIST_QUERY[1]))), list));
		// without the key: Watcher's answer; anything else: FastAPI's route 404 (and no
		// near-miss search)
		stubs.add(stub(5, Map.of("method", "ANY", "urlPathPattern", "/api/v1/.*"),
				response(403, "application/json", "{\"detail\":\"Not authenticated\"}", 0, false)));
		stubs.add(stub(9, Map.of("method", "ANY", "urlPathPattern", ".*"),
				response(404, "application/json", "{\"detail\":\"Not Found\"}", 0, false)));
		return stubs;
	}

	private static Map<String, Object> item(char kind, Map<String, Object> key) {
		return Map.of("method", "GET", "urlPathPattern", ITEM_PATH + "01W" + kind + "[0-9A-Z]{22}", "headers", key);
	}

	private static Map<String, Object> stub(int priority, Map<String, Object> request, Map<String, Object> response) {
		return Map.of("priority", priority, "request", request, "response", response);
	}

	private static Map<String, Object> response(int status, String contentType, String body, int delayMillis,
			boolean template) {
		Map<String, Object> response = new LinkedHashMap<>();
		response.put("status", status);
		response.put("headers", Map.of("Content-Type", contentType));
		response.put("body", body);
		if (delayMillis > 0) {
			response.put("fixedDelayMilliseconds", delayMillis);
		}
		if (template) {
			response.put("transformers", List.of("response-template"));
		}
		return response;
	}

	/**
	 * Writes the list's answer for a registry seeded with {@code size} pointers: every
	 * WatchedItem but the gone ones, in full (Watcher's real body), as one JSON array.
	 */
	void writeList(int size) throws IOException {
		Path file = this.dir.resolve("__files").resolve(LIST_FILE);
		try (var out = Files.newBufferedWriter(file)) {
			out.write('[');
			boolean first = true;
			for (int i = 0; i < size; i++) {
				char kind = BenchDatabase.kindOf(i);
				if (kind == BenchDatabase.GONE) {
					continue;
				}
				if (!first) {
					out.write(',');
				}
				first = false;
				String id = BenchDatabase.watchedItemId(i);
				boolean archived = kind == BenchDatabase.ARCHIVED;
				out.write(ITEM_BODY.replace(ECHOED_ID, id)
					.formatted(archived ? "false" : "true", archived ? "\"2026-06-12T09:30:00Z\"" : "null"));
			}
			out.write(']');
		}
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	int latencyMillis() {
		return this.latencyMillis;
	}

	/** The URL of a live WatchedItem, for wrk. */
	String liveItemUrl() {
		return baseUrl() + ITEM_PATH + LIVE_ID;
	}

	private void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
		HttpClient client = HttpClient.newHttpClient();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IOException("WireMock exited with " + this.process.exitValue() + ": see its log");
			}
			try {
				HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + WatcherContract.HEALTH_PATH))
					.timeout(Duration.ofSeconds(2))
					.build(), HttpResponse.BodyHandlers.ofString());
				HttpResponse<String> live = client.send(HttpRequest.newBuilder(URI.create(liveItemUrl()))
					.header(WatcherContract.KEY_HEADER, API_KEY)
					.timeout(Duration.ofSeconds(5))
					.build(), HttpResponse.BodyHandlers.ofString());
				if (health.statusCode() == 200 && live.statusCode() == 200 && live.body().contains(LIVE_ID)) {
					return;
				}
				throw new IOException("WireMock answers unexpectedly: " + live.statusCode() + " " + live.body());
			}
			catch (ConnectException | HttpTimeoutException ex) {
				// not listening yet, or still starting on a busy machine
				TimeUnit.MILLISECONDS.sleep(200);
			}
		}
		throw new IOException("WireMock did not answer within " + timeout);
	}

	@Override
	public void close() {
		// SIGTERM, then SIGKILL when it has not ended within 10 seconds (the tests'
		// support/Processes, which this project cannot see)
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static String javaBinary() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
