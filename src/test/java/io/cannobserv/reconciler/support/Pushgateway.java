package io.cannobserv.reconciler.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;

import io.cannobserv.reconciler.support.NeedsTool.Tool;
import io.cannobserv.reconciler.support.PrometheusText.Sample;

/**
 * A real Prometheus Pushgateway (Debian's {@code prometheus-pushgateway}, or the upstream
 * {@code pushgateway} on the {@code PATH}), started on a free port of the loopback
 * interface, with no persistence file and with its admin API, so that a test can wipe it.
 * <p>
 * Where none is installed, a test that needs one is skipped with the reason, unless
 * {@code -Dreconciler.test.require-pushgateway=true} (or {@code CI=true}, which CI sets)
 * makes its absence a failure: CI installs it ({@code .ci/check-monitoring.sh}).
 */
public final class Pushgateway implements AutoCloseable {

	private static final String REQUIRE = "reconciler.test.require-pushgateway";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

	private final Process process;

	private final int port;

	private final Path log;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private Pushgateway(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	/**
	 * Start a Pushgateway, or skip the calling test (fail it under CI) when none is
	 * installed.
	 */
	public static Pushgateway startOrSkip() {
		Optional<Path> binary = Tool.PUSHGATEWAY.path();
		if (binary.isEmpty()) {
			String reason = Tool.PUSHGATEWAY.missing();
			if (Boolean.parseBoolean(System.getProperty(REQUIRE, System.getenv().getOrDefault("CI", "false")))) {
				throw new IllegalStateException(reason + " (-D" + REQUIRE + "=true or CI=true require it)");
			}
			Assumptions.abort(reason);
		}
		IOException last = null;
		for (int attempt = 0; attempt < 3; attempt++) {
			try {
				Pushgateway gateway = start(binary.get(), freePort());
				if (gateway.awaitReady()) {
					return gateway;
				}
				gateway.close();
			}
			catch (IOException ex) {
				last = ex;
			}
		}
		throw new IllegalStateException("The Pushgateway did not start (see " + ChildJvm.outputDirectory() + ")", last);
	}

	private static Pushgateway start(Path binary, int port) throws IOException {
		Path log = ChildJvm.outputDirectory().resolve("pushgateway-" + port + ".log");
		Process process = new ProcessBuilder(binary.toString(), "--web.listen-address=127.0.0.1:" + port,
				"--persistence.file=", "--web.enable-admin-api", "--log.level=warn")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		return new Pushgateway(process, port, log);
	}

	private boolean awaitReady() {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline && this.process.isAlive()) {
			try {
				if (send(HttpRequest.newBuilder(uri("/-/ready")).GET()).statusCode() == 200) {
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
	 * {@code host:port}, as
	 * {@code management.prometheus.metrics.export.pushgateway.address} takes it.
	 */
	public String address() {
		return "127.0.0.1:" + this.port;
	}

	/**
	 * What Prometheus would scrape: every group's samples, with their grouping labels.
	 */
	public List<Sample> metrics() {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/metrics")).GET());
		return PrometheusText.parse(response.body());
	}

	/**
	 * The samples of one group: those carrying every grouping label of
	 * {@code groupingKey}.
	 */
	public List<Sample> group(Map<String, String> groupingKey) {
		return metrics().stream().filter((sample) -> sample.has(groupingKey)).toList();
	}

	/** Delete every group. */
	public void wipe() {
		HttpResponse<String> response = send(
				HttpRequest.newBuilder(uri("/api/v1/admin/wipe")).PUT(HttpRequest.BodyPublishers.noBody()));
		if (response.statusCode() / 100 != 2) {
			throw new IllegalStateException("Pushgateway wipe answered " + response.statusCode());
		}
	}

	@Override
	public void close() {
		Processes.stop(this.process);
	}

	@Override
	public String toString() {
		return "Pushgateway on " + address() + " (log " + this.log + ")";
	}

	private URI uri(String path) {
		return URI.create("http://" + address() + path);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.http.send(request.timeout(Duration.ofSeconds(10)).build(),
					HttpResponse.BodyHandlers.ofString());
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

}
