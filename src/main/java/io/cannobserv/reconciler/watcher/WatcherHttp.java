package io.cannobserv.reconciler.watcher;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.EndpointDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * Blocking HTTP/1.1 GETs with kept-alive connections, on Apache HttpClient 5 (classic).
 * <p>
 * An answer counts only when it arrived whole and unambiguous ({@link FramedConnection}):
 * otherwise it is a {@link MalformedAnswer}, whatever its bytes. HttpClient enforces the
 * framing of a body itself, which the JDK's {@code HttpURLConnection} (used before) does
 * not: it hands a body cut short of its {@code Content-Length} over as whole. Measured
 * beside it ({@code bench/}), it spends about the same CPU per request; the JDK's
 * {@code java.net.http} spends several times as much, and takes duplicate
 * {@code Content-Length} headers, and {@code Content-Length} beside chunked, as it finds
 * them. Redirects are never followed, nothing is decompressed (none is asked for), and
 * answers larger than {@link #MAX_BODY_BYTES} are refused rather than buffered.
 * <p>
 * Every request ends by its deadline ({@code --request-timeout}), however slowly its
 * answer trickles in: the read timeout bounds only each wait for the next bytes. At the
 * deadline a timer cancels the request, which closes its connection in whatever phase it
 * is (connecting, waiting for the head, reading the body), and each read of the body
 * checks the deadline too.
 * <p>
 * Like the JDK's clients, a request sent on a kept-alive connection that Watcher closed
 * while it was idle (the request got no byte of answer, or the connection was reset) is
 * sent again once, at once, on a new connection, unseen by the retries and the rate cap:
 * that connection could not have carried it. Nothing else is resent here.
 */
final class WatcherHttp {

	/** Far above any Watcher answer; a proxy's error page or a stream is cut off here. */
	static final int MAX_BODY_BYTES = 1 << 20;

	/** Connections kept per Watcher: above the largest {@code --concurrency}. */
	private static final int MAX_CONNECTIONS = 256;

	private static final ScheduledThreadPoolExecutor deadlines = deadlineTimer();

	private final CloseableHttpClient client;

	private final Duration requestTimeout;

	WatcherHttp(Duration connectTimeout, Duration readTimeout, Duration requestTimeout) {
		this.requestTimeout = requestTimeout;
		this.client = HttpClients.custom()
			.setConnectionManager(connections(connectTimeout, readTimeout))
			.setDefaultRequestConfig(RequestConfig.custom()
				.setResponseTimeout(timeout(readTimeout))
				.setConnectionRequestTimeout(timeout(requestTimeout))
				.build())
			.disableRedirectHandling()
			.disableContentCompression()
			.disableCookieManagement()
			.disableAuthCaching()
			.setRetryStrategy(new IdleConnectionResend())
			.build();
	}

	private static HttpClientConnectionManager connections(Duration connectTimeout, Duration readTimeout) {
		return PoolingHttpClientConnectionManagerBuilder.create()
			.setConnectionFactory(FramedConnection.FACTORY)
			.setMaxConnPerRoute(MAX_CONNECTIONS)
			.setMaxConnTotal(MAX_CONNECTIONS)
			.setDefaultConnectionConfig(ConnectionConfig.custom()
				.setConnectTimeout(timeout(connectTimeout))
				.setSocketTimeout(timeout(readTimeout))
				// FramedConnection's check never waits: each connection, each time
				.setValidateAfterInactivity(TimeValue.ZERO_MILLISECONDS)
				.build())
			.build();
	}

	/**
	 * GET {@code uri}.
	 * @param credential the header that carries the secret, or null for none
	 * @return the status, the body (UTF-8, as JSON is) and the {@code Retry-After} and
	 * {@code Content-Type} headers
	 * @throws MalformedAnswer when the answer did not arrive whole and unambiguous
	 * @throws IOException when no complete HTTP answer arrived in time
	 */
	Answer get(URI uri, @Nullable Credential credential) throws IOException {
		long deadline = System.nanoTime() + this.requestTimeout.toNanos();
		try (Streamed answer = open(uri, credential, deadline)) {
			return answer.whole();
		}
	}

	/**
	 * GET {@code uri}, for an answer read as it arrives: its status line and headers come
	 * by the request's deadline ({@code --request-timeout}), and the whole answer by
	 * {@code deadline}, which may be later. Past it, the request is cancelled and the
	 * body's reads fail. The caller reads the body, which is not limited in size, and
	 * closes it.
	 * @param credential the header that carries the secret, or null for none
	 * @param deadline {@link System#nanoTime()} by which the whole answer must have come
	 * @return the status and the body as a stream
	 * @throws MalformedAnswer when the answer's head says two things about its framing
	 * @throws IOException when no HTTP answer arrived in time
	 */
	Streamed open(URI uri, @Nullable Credential credential, long deadline) throws IOException {
		HttpGet request = new HttpGet(uri);
		request.setHeader(HttpHeaders.ACCEPT, "application/json");
		if (credential != null) {
			request.setHeader(credential.header(), credential.value());
		}
		long requestDeadline = System.nanoTime() + this.requestTimeout.toNanos();
		Exchange exchange = new Exchange(request);
		exchange.cancelAt((deadline - requestDeadline < 0) ? deadline : requestDeadline);
		ClassicHttpResponse response;
		try {
			response = this.client.executeOpen(HttpHost.create(uri), request, null);
		}
		catch (IOException | RuntimeException ex) {
			exchange.end();
			if (exchange.expired()) {
				throw pastDeadline();
			}
			throw io(translated(ex));
		}
		exchange.cancelAt(deadline);
		return new Streamed(response, exchange);
	}

	/**
	 * Apache's wording of what the JDK's clients also say, as the JDK says it: evidence
	 * and messages read as they did. Protocol errors become plain {@link IOException}s.
	 */
	private static Exception translated(Exception ex) {
		if (ex instanceof ConnectTimeoutException) {
			return new SocketTimeoutException("Connect timed out");
		}
		if (ex instanceof HttpHostConnectException && ex.getCause() instanceof ConnectException cause) {
			return cause;
		}
		if (ex instanceof NoHttpResponseException) {
			return new SocketException("Unexpected end of file from server");
		}
		if (ex instanceof ClientProtocolException) {
			Throwable cause = ex.getCause();
			return new IOException("not an HTTP answer: " + ((cause != null) ? cause.getMessage() : ex.getMessage()));
		}
		return ex;
	}

	private static IOException io(Exception ex) {
		if (ex instanceof IOException io) {
			return io;
		}
		throw (RuntimeException) ex;
	}

	private SocketTimeoutException pastDeadline() {
		return new SocketTimeoutException(
				"no complete answer within " + text(this.requestTimeout) + " (--request-timeout)");
	}

	/** {@code 10s}, {@code 1500ms}: as the option is written. */
	private static String text(Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

	private static Timeout timeout(Duration duration) {
		return Timeout.ofMilliseconds(duration.toMillis());
	}

	private static ScheduledThreadPoolExecutor deadlineTimer() {
		ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "watcher-request-deadline");
			thread.setDaemon(true);
			return thread;
		});
		// most requests end long before their deadline: drop their timers at once
		timer.setRemoveOnCancelPolicy(true);
		return timer;
	}

	/**
	 * One request and its deadline: the timer cancels it there, which closes its
	 * connection whatever it is waiting for.
	 */
	private static final class Exchange {

		private final HttpGet request;

		private volatile long deadline;

		private @Nullable ScheduledFuture<?> timer;

		private volatile boolean expired;

		Exchange(HttpGet request) {
			this.request = request;
		}

		synchronized void cancelAt(long deadline) {
			end();
			this.deadline = deadline;
			this.timer = deadlines.schedule(this::expire, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
		}

		/** At the deadline, on the timer's thread. */
		private void expire() {
			this.expired = true;
			this.request.cancel();
		}

		/**
		 * Whether the deadline has passed: the request was, or is about to be, cancelled.
		 */
		boolean expired() {
			if (!this.expired && System.nanoTime() - this.deadline > 0) {
				expire();
			}
			return this.expired;
		}

		synchronized void end() {
			if (this.timer != null) {
				this.timer.cancel(false);
				this.timer = null;
			}
		}

	}

	/**
	 * An answer whose body is read as it arrives. Closing it after the body was read to
	 * its end keeps the connection for the next request; closing it sooner drops the
	 * connection.
	 */
	final class Streamed implements Closeable {

		private final ClassicHttpResponse response;

		private final Exchange exchange;

		private final InputStream body;

		private volatile boolean ended;

		Streamed(ClassicHttpResponse response, Exchange exchange) throws IOException {
			this.response = response;
			this.exchange = exchange;
			HttpEntity entity = response.getEntity();
			this.body = new DeadlineBody((entity != null) ? entity.getContent() : InputStream.nullInputStream());
		}

		int status() {
			return this.response.getCode();
		}

		/** The body, read as it arrives, failing past the deadline. */
		InputStream body() {
			return this.body;
		}

		/**
		 * The whole answer, its body read to the end by the deadline, up to
		 * {@link #MAX_BODY_BYTES}.
		 * @throws MalformedAnswer when the body did not arrive whole, with what did
		 */
		Answer whole() throws IOException {
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			byte[] buffer = new byte[8192];
			try {
				for (int read = this.body.read(buffer); read >= 0; read = this.body.read(buffer)) {
					body.write(buffer, 0, read);
					if (body.size() > MAX_BODY_BYTES) {
						throw new IOException("answer larger than " + MAX_BODY_BYTES + " bytes");
					}
				}
			}
			catch (MalformedAnswer ex) {
				throw ex.received(body.toString(StandardCharsets.UTF_8));
			}
			return new Answer(status(), body.toString(StandardCharsets.UTF_8), header("Retry-After"),
					header(HttpHeaders.CONTENT_TYPE));
		}

		private @Nullable String header(String name) {
			Header header = this.response.getFirstHeader(name);
			return (header != null) ? header.getValue() : null;
		}

		@Override
		public void close() throws IOException {
			this.exchange.end();
			if (!this.ended) {
				// not read to its end: the connection cannot serve another request, and
				// is closed rather than drained
				this.exchange.request.cancel();
			}
			// a body read to its end has given its connection back already
			this.response.close();
		}

		/** Reads that fail once past the deadline, saying so. */
		private final class DeadlineBody extends FilterInputStream {

			DeadlineBody(InputStream in) {
				super(in);
			}

			@Override
			public int read() throws IOException {
				try {
					int b = super.read();
					Streamed.this.ended = b < 0;
					checkDeadline();
					return b;
				}
				catch (IOException | RuntimeException ex) {
					throw failure(ex);
				}
			}

			@Override
			public int read(byte[] bytes, int offset, int count) throws IOException {
				try {
					int read = super.read(bytes, offset, count);
					Streamed.this.ended = read < 0;
					checkDeadline();
					return read;
				}
				catch (IOException | RuntimeException ex) {
					throw failure(ex);
				}
			}

			private void checkDeadline() throws SocketTimeoutException {
				if (Streamed.this.exchange.expired()) {
					throw pastDeadline();
				}
			}

			private IOException failure(Exception ex) {
				if (ex instanceof SocketTimeoutException timeout && Streamed.this.exchange.expired()) {
					return timeout;
				}
				if (Streamed.this.exchange.expired()) {
					return pastDeadline();
				}
				return io(translated(ex));
			}

		}

	}

	/**
	 * Sends a GET again, once, at once, when the kept-alive connection it went out on
	 * turned out closed: no byte of answer, or a reset, on a connection that had answered
	 * before. A request cancelled at its deadline is never sent again.
	 */
	private static final class IdleConnectionResend implements HttpRequestRetryStrategy {

		@Override
		public boolean retryRequest(HttpRequest request, IOException exception, int execCount, HttpContext context) {
			if (execCount > 1 || !"GET".equals(request.getMethod())
					|| (request instanceof HttpGet get && get.isCancelled())) {
				return false;
			}
			if (!(exception instanceof NoHttpResponseException) && !(exception instanceof SocketException)) {
				return false;
			}
			EndpointDetails connection = HttpCoreContext.cast(context).getEndpointDetails();
			return connection != null && connection.getResponseCount() > 0;
		}

		@Override
		public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
			return false;
		}

		@Override
		public TimeValue getRetryInterval(HttpResponse response, int execCount, HttpContext context) {
			return TimeValue.ZERO_MILLISECONDS;
		}

	}

	/**
	 * An HTTP answer.
	 *
	 * @param status the status code
	 * @param body the body, empty when there was none
	 * @param retryAfter the {@code Retry-After} header, or null
	 * @param contentType the {@code Content-Type} header, or null
	 */
	record Answer(int status, String body, @Nullable String retryAfter, @Nullable String contentType) {

	}

	/**
	 * The header that carries the secret, as {@code X-API-Key: <key>} or
	 * {@code Authorization: Bearer <key>}.
	 *
	 * @param header its name
	 * @param value its value, the secret included
	 */
	record Credential(String header, String value) {

		@Override
		public String toString() {
			// the value holds the secret
			return "Credential[header=" + this.header + "]";
		}

	}

}
