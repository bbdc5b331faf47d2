package io.cannobserv.reconciler.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cannobserv.reconciler.support.NeedsTool.Tool;

/**
 * A real Prometheus server (Debian's {@code prometheus}) on a free port of the loopback
 * interface, with a storage directory of its own, scraping one target every second with
 * {@code honor_labels: true}, as the monitoring files expect a Pushgateway to be scraped,
 * and evaluating the given rule files. Queries go through its HTTP API, as Grafana's do.
 * Callers are annotated {@code @NeedsTool(Tool.PROMETHEUS)}.
 */
public final class Prometheus implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Process process;

	private final int port;

	private final Path directory;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private Prometheus(Process process, int port, Path directory) {
		this.process = process;
		this.port = port;
		this.directory = directory;
	}

	/**
	 * Start Prometheus scraping {@code target} ({@code host:port}) and evaluating
	 * {@code ruleFiles}.
	 */
	public static Prometheus start(String target, List<Path> ruleFiles) {
		Path binary = Tool.PROMETHEUS.path().orElseThrow(() -> new IllegalStateException(Tool.PROMETHEUS.missing()));
		IOException last = null;
		for (int attempt = 0; attempt < 3; attempt++) {
			try {
				Prometheus prometheus = start(binary, freePort(), target, ruleFiles);
				if (prometheus.awaitReady()) {
					return prometheus;
				}
				prometheus.close();
			}
			catch (IOException ex) {
				last = ex;
			}
		}
		throw new IllegalStateException("Prometheus did not start (see " + ChildJvm.outputDirectory() + ")", last);
	}

	private static Prometheus start(Path binary, int port, String target, List<Path> ruleFiles) throws IOException {
		Path directory = Files.createTempDirectory(ChildJvm.outputDirectory(), "prometheus-" + port + "-");
		StringBuilder config = new StringBuilder();
		config.append("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n");
		if (!ruleFiles.isEmpty()) {
			config.append("rule_files:\n");
			ruleFiles.forEach((file) -> config.append("  - '").append(file.toAbsolutePath()).append("'\n"));
		}
		config.append("scrape_configs:\n  - job_name: pushgateway\n    honor_labels: true\n")
			.append("    static_configs:\n      - targets: ['")
			.append(target)
			.append("']\n");
		Path configFile = Files.writeString(directory.resolve("prometheus.yml"), config);
		Process process = new ProcessBuilder(binary.toString(), "--config.file=" + configFile,
				"--storage.tsdb.path=" + directory.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
				"--log.level=warn")
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("prometheus.log").toFile())
			.start();
		return new Prometheus(process, port, directory);
	}

	private boolean awaitReady() {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline && this.process.isAlive()) {
			try {
				if (get("/-/ready").statusCode() == 200) {
					return true;
				}
			}
			catch (UncheckedIOException ex) {
				// not listening yet
			}
			sleep(100);
		}
		return false;
	}

	/**
	 * The instant vector {@code promql} evaluates to now, as {@code /api/v1/query}
	 * answers it (a scalar is one series without labels).
	 * @throws AssertionError when Prometheus refuses the expression
	 */
	public List<Series> query(String promql) {
		JsonNode data = data("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8), promql);
		List<Series> series = new ArrayList<>();
		if ("scalar".equals(data.path("resultType").asString())) {
			series.add(new Series(Map.of(), data.path("result").get(1).asString()));
			return series;
		}
		for (JsonNode result : data.path("result")) {
			Map<String, String> labels = new TreeMap<>();
			result.path("metric")
				.properties()
				.forEach((entry) -> labels.put(entry.getKey(), entry.getValue().asString()));
			series.add(new Series(labels, result.path("value").get(1).asString()));
		}
		return series;
	}

	/** The values of {@code label} among the series {@code match} selects. */
	public List<String> labelValues(String label, String match) {
		JsonNode data = data(
				"/api/v1/label/" + label + "/values?match[]=" + URLEncoder.encode(match, StandardCharsets.UTF_8),
				match);
		List<String> values = new ArrayList<>();
		data.forEach((value) -> values.add(value.asString()));
		return values;
	}

	/** Every rule Prometheus evaluates: name to its health and last error. */
	public Map<String, String> ruleHealth() {
		Map<String, String> health = new TreeMap<>();
		for (JsonNode group : data("/api/v1/rules", "rules").path("groups")) {
			for (JsonNode rule : group.path("rules")) {
				String error = rule.path("lastError").asString("");
				health.put(rule.path("name").asString(),
						rule.path("health").asString() + (error.isEmpty() ? "" : ": " + error));
			}
		}
		return health;
	}

	private JsonNode data(String path, String what) {
		HttpResponse<String> response = get(path);
		JsonNode body = json.readTree(response.body());
		if (response.statusCode() != 200 || !"success".equals(body.path("status").asString())) {
			throw new AssertionError("Prometheus refused " + what + ": HTTP " + response.statusCode() + " "
					+ body.path("error").asString(response.body()));
		}
		return body.path("data");
	}

	@Override
	public void close() {
		Processes.stop(this.process);
	}

	@Override
	public String toString() {
		return "Prometheus on 127.0.0.1:" + this.port + " (" + this.directory + ")";
	}

	private HttpResponse<String> get(String path) {
		try {
			return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
				.timeout(Duration.ofSeconds(10))
				.GET()
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * One series of an instant vector.
	 *
	 * @param labels its labels, {@code __name__} included where the expression keeps it
	 * @param value its value as Prometheus writes it ({@code "NaN"} included)
	 */
	public record Series(Map<String, String> labels, String value) {

		public double number() {
			return Double.parseDouble(this.value);
		}

	}

}
