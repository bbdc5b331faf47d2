package io.cannobserv.reconciler.watcher;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * Blocking HTTP/1.1 GETs with kept-alive connections, on the JDK's
 * {@link HttpURLConnection}.
 * <p>
 * Chosen over {@code java.net.http.HttpClient} by measurement: for the job's small
 * blocking lookups it spends about a third of the CPU per request (0.19 against 0.50 ms,
 * 8 threads against WireMock) and a fraction of the JIT work, and CPU is what a 2-core
 * pod runs out of first. Redirects are never followed; answers larger than
 * {@link #MAX_BODY_BYTES} are refused rather than buffered.
 * <p>
 * Every request ends by its deadline ({@code --request-timeout}), however slowly its
 * answer trickles in: the read timeout bounds only each wait for the next bytes.
 * {@code HttpURLConnection} has no overall deadline, so a request still waiting for its
 * status line and headers at the deadline has its connection closed from a timer thread,
 * and one reading its body checks the deadline after every read.
 */
final class WatcherHttp {

	/** Far above any Watcher answer; a proxy's error page or a stream is cut off here. */
	static final int MAX_BODY_BYTES = 1 << 20;

	private static final ScheduledThreadPoolExecutor deadlines = deadlineTimer();

	static {
		// idle connections kept per host; the JDK's default of 5 would close and reopen
		// the
		// connections of every thread above five. In-flight requests stay at
		// --concurrency.
		if (System.getProperty("http.maxConnections") == null) {
			System.setProperty("http.maxConnections", "256");
		}
	}

	private final int connectTimeoutMillis;

	private final int readTimeoutMillis;

	private final Duration requestTimeout;

	WatcherHttp(Duration connectTimeout, Duration readTimeout, Duration requestTimeout) {
		this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
		this.readTimeoutMillis = Math.toIntExact(readTimeout.toMillis());
		this.requestTimeout = requestTimeout;
	}

	/**
	 * GET {@code uri}.
	 * @param apiKey sent as {@code X-API-Key}, or null for none
	 * @return the status, the body (UTF-8, as JSON is) and the {@code Retry-After} and
	 * {@code Content-Type} headers
	 * @throws IOException when no complete HTTP answer arrived in time
	 */
	Answer get(URI uri, @Nullable String apiKey) throws IOException {
		long deadline = System.nanoTime() + this.requestTimeout.toNanos();
		try (Streamed answer = open(uri, apiKey)) {
			return answer.whole(deadline);
		}
	}

	/**
	 * GET {@code uri}, for an answer read as it arrives: its status line and headers come
	 * by the deadline ({@code --request-timeout}); the caller reads the body, which is
	 * not limited in size nor bounded by that deadline, and closes it.
	 * @param apiKey sent as {@code X-API-Key}, or null for none
	 * @return the status and the body as a stream
	 * @throws IOException when no HTTP answer arrived in time
	 */
	Streamed open(URI uri, @Nullable String apiKey) throws IOException {
		HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
		Exchange exchange = new Exchange(connection);
		ScheduledFuture<?> cutOff = deadlines.schedule(exchange::expire, this.requestTimeout.toNanos(),
				TimeUnit.NANOSECONDS);
		try {
			connection.setInstanceFollowRedirects(false);
			connection.setUseCaches(false);
			connection.setConnectTimeout(this.connectTimeoutMillis);
			connection.setReadTimeout(this.readTimeoutMillis);
			connection.setRequestProperty("Accept", "application/json");
			if (apiKey != null) {
				connection.setRequestProperty("X-API-Key", apiKey);
			}
			connection.connect();
			exchange.advance(Exchange.CONNECTING, Exchange.HEAD);
			int status = connection.getResponseCode();
			exchange.advance(Exchange.HEAD, Exchange.BODY);
			if (status < 100) {
				// HttpURLConnection's reading of bytes without a status line (HTTP/0.9)
				throw new IOException("not an HTTP answer");
			}
			return new Streamed(connection, status);
		}
		catch (IOException | RuntimeException ex) {
			// never hand a half-read connection back to the keep-alive cache
			connection.disconnect();
			if (exchange.expired()) {
				throw pastDeadline();
			}
			throw ex;
		}
		finally {
			cutOff.cancel(false);
		}
	}

	/**
	 * Reads to the end, so that the connection goes back to the keep-alive cache; each
	 * read returns within the read timeout, and the deadline is checked after it.
	 */
	private String readBody(InputStream in, long deadline) throws IOException {
		try (in) {
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			byte[] buffer = new byte[8192];
			for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
				body.write(buffer, 0, read);
				if (body.size() > MAX_BODY_BYTES) {
					throw new IOException("answer larger than " + MAX_BODY_BYTES + " bytes");
				}
				if (System.nanoTime() - deadline > 0) {
					throw pastDeadline();
				}
			}
			return body.toString(StandardCharsets.UTF_8);
		}
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
	 * How far one request has got, so that its deadline cuts off only a request still
	 * waiting for its status line and headers: closing the connection ends that wait,
	 * while a read of the body, which holds the stream's lock, would make the timer wait
	 * for it. A request reading its body checks the deadline itself.
	 */
	private static final class Exchange {

		static final int CONNECTING = 0;

		static final int HEAD = 1;

		static final int BODY = 2;

		static final int EXPIRED = 3;

		private final AtomicInteger phase = new AtomicInteger(CONNECTING);

		private final HttpURLConnection connection;

		Exchange(HttpURLConnection connection) {
			this.connection = connection;
		}

		/** At the deadline, on the timer's thread. */
		void expire() {
			if (this.phase.compareAndSet(HEAD, EXPIRED)) {
				this.connection.disconnect();
			}
			else {
				// still connecting (bounded by the connect timeout): it sees this when
				// done
				this.phase.compareAndSet(CONNECTING, EXPIRED);
			}
		}

		void advance(int from, int to) throws SocketTimeoutException {
			if (!this.phase.compareAndSet(from, to)) {
				throw new SocketTimeoutException("past the deadline");
			}
		}

		boolean expired() {
			return this.phase.get() == EXPIRED;
		}

	}

	/**
	 * An answer whose body is read as it arrives. Closing it after the body was read to
	 * its end keeps the connection for the next request; closing it sooner drops the
	 * connection.
	 */
	final class Streamed implements Closeable {

		private final HttpURLConnection connection;

		private final int status;

		private final InputStream body;

		private boolean ended;

		Streamed(HttpURLConnection connection, int status) throws IOException {
			this.connection = connection;
			this.status = status;
			InputStream in = (status >= 400) ? connection.getErrorStream() : connection.getInputStream();
			this.body = (in != null) ? in : InputStream.nullInputStream();
		}

		int status() {
			return this.status;
		}

		/** The body, read as it arrives. */
		InputStream body() {
			return this.body;
		}

		/**
		 * The whole answer, its body read to the end by {@code deadline}, up to
		 * {@link #MAX_BODY_BYTES}.
		 */
		Answer whole(long deadline) throws IOException {
			this.ended = true;
			try {
				return new Answer(this.status, readBody(this.body, deadline),
						this.connection.getHeaderField("Retry-After"), this.connection.getContentType());
			}
			catch (IOException | RuntimeException ex) {
				this.connection.disconnect();
				throw ex;
			}
		}

		@Override
		public void close() {
			if (this.ended) {
				return;
			}
			this.ended = true;
			try {
				if (this.body.read() >= 0) {
					// not read to its end: the connection cannot serve another request
					this.connection.disconnect();
				}
				this.body.close();
			}
			catch (IOException ex) {
				this.connection.disconnect();
			}
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

}
