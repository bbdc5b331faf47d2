package io.cannobserv.reconciler.bench;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;

/**
 * A Pushgateway that only listens: keeps the last body the job pushed (text format; the
 * job pushes with PUT when it exits, and its progress with POST before that), and sums
 * its samples by metric name over all label sets.
 */
final class PushReceiver implements Closeable {

	private final HttpServer server;

	private volatile String lastBody = "";

	private PushReceiver(HttpServer server) {
		this.server = server;
	}

	static PushReceiver start() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		PushReceiver receiver = new PushReceiver(server);
		server.createContext("/", (exchange) -> {
			try (InputStream body = exchange.getRequestBody()) {
				String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
				String method = exchange.getRequestMethod();
				if (method.equals("PUT") || method.equals("POST")) {
					receiver.lastBody = text;
				}
			}
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		server.start();
		return receiver;
	}

	int port() {
		return this.server.getAddress().getPort();
	}

	void reset() {
		this.lastBody = "";
	}

	/** The last push, summed by metric name (labels dropped); empty when nothing came. */
	Map<String, Double> lastPush() {
		Map<String, Double> sums = new HashMap<>();
		for (String line : this.lastBody.split("\n")) {
			line = line.strip();
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			// name{labels} value [timestamp], or name value [timestamp]
			int brace = line.indexOf('{');
			String name;
			String rest;
			if (brace > 0) {
				name = line.substring(0, brace);
				rest = line.substring(line.lastIndexOf('}') + 1).strip();
			}
			else {
				String[] parts = line.split("\\s+", 2);
				if (parts.length < 2) {
					continue;
				}
				name = parts[0];
				rest = parts[1];
			}
			try {
				sums.merge(name, Double.parseDouble(rest.split("\\s+")[0]), Double::sum);
			}
			catch (NumberFormatException ex) {
				// a timestamp or an odd line: not a sample we sum
			}
		}
		return sums;
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
