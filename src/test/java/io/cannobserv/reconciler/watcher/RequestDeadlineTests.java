package io.cannobserv.reconciler.watcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.WatcherBodies;
import io.cannobserv.reconciler.watcher.WatchedItemLookup.Outcome;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request ends by its deadline, however its answer trickles in: a few bytes at a time,
 * each gap shorter than the read timeout, in the body or in the status line and headers.
 */
class RequestDeadlineTests {

	private static final String ID = "01HZZWATCHER00000000000001";

	private static final String INFO_ITEM_ID = "01HZZ000000000000000000003";

	private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);

	@RegisterExtension
	static WireMockExtension watcher = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Test
	@Timeout(30)
	void lookupWhenBodyDripsSlowerThanTheDeadlineGivesUpAtIt() {
		// given: the WatchedItem in 40 pieces over 8 s, every gap (200 ms) far under the
		// read timeout
		watcher.stubFor(get(urlPathEqualTo(FakeWatcher.ITEM_PATH + ID)).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withBody(WatcherBodies.live(ID, INFO_ITEM_ID))
			.withChunkedDribbleDelay(40, 8000)));
		WatcherClient client = client(watcher.baseUrl());
		// when
		long start = System.nanoTime();
		WatchedItemLookup lookup = client.lookupOnce(ID);
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		// then: given up at the deadline, where nothing else would have
		assertThat(lookup.outcome()).isEqualTo(Outcome.UNAVAILABLE);
		assertThat(lookup.httpStatus()).isZero();
		assertThat(lookup.evidence())
			.isEqualTo("SocketTimeoutException: no complete answer within 1s (--request-timeout) (1 attempt)");
		assertThat(elapsed).isGreaterThanOrEqualTo(REQUEST_TIMEOUT).isLessThan(Duration.ofSeconds(5));
	}

	@Test
	@Timeout(30)
	void lookupWhenStatusLineDripsSlowerThanTheDeadlineGivesUpAtIt() throws Exception {
		// given a server that sends its status line and headers one byte every 100 ms
		try (DrippingServer server = new DrippingServer()) {
			WatcherClient client = client("http://localhost:" + server.port());
			// when
			long start = System.nanoTime();
			WatchedItemLookup lookup = client.lookupOnce(ID);
			Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
			// then: the timer closed the connection at the deadline
			assertThat(lookup.outcome()).isEqualTo(Outcome.UNAVAILABLE);
			assertThat(lookup.evidence())
				.isEqualTo("SocketTimeoutException: no complete answer within 1s (--request-timeout) (1 attempt)");
			assertThat(elapsed).isGreaterThanOrEqualTo(REQUEST_TIMEOUT).isLessThan(Duration.ofSeconds(5));
		}
	}

	private static WatcherClient client(String baseUrl) {
		return new WatcherClient(new WatcherProperties(baseUrl, "test-key", Duration.ofSeconds(2), READ_TIMEOUT,
				REQUEST_TIMEOUT, 1, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(1), 0));
	}

	/**
	 * A server that answers every request with a status line and a header that go on for
	 * 15 s, one byte every 100 ms: what no read timeout notices.
	 */
	static final class DrippingServer implements AutoCloseable {

		private final ServerSocket socket = new ServerSocket(0);

		private final Thread acceptor = new Thread(this::serve, "dripping-server");

		DrippingServer() throws IOException {
			this.acceptor.setDaemon(true);
			this.acceptor.start();
		}

		int port() {
			return this.socket.getLocalPort();
		}

		private void serve() {
			while (!this.socket.isClosed()) {
				try {
					Socket connection = this.socket.accept();
					Thread dripper = new Thread(() -> drip(connection), "dripping-connection");
					dripper.setDaemon(true);
					dripper.start();
				}
				catch (IOException closed) {
					return;
				}
			}
		}

		private static void drip(Socket connection) {
			try (connection;
					InputStream in = connection.getInputStream();
					OutputStream out = connection.getOutputStream()) {
				// the request's head, up to its blank line
				int matched = 0;
				byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
				while (matched < end.length) {
					int b = in.read();
					if (b < 0) {
						return;
					}
					matched = (b == end[matched]) ? matched + 1 : ((b == end[0]) ? 1 : 0);
				}
				byte[] head = "HTTP/1.1 200 OK\r\nX-Drip: ".getBytes(StandardCharsets.US_ASCII);
				for (byte b : head) {
					out.write(b);
					out.flush();
					Thread.sleep(100);
				}
				// for 15 s, so that a client without a deadline ends the test rather than
				// hangs it
				for (int i = 0; i < 150; i++) {
					out.write('a');
					out.flush();
					Thread.sleep(100);
				}
			}
			catch (IOException | InterruptedException ex) {
				// the client gave up: done
			}
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

}
