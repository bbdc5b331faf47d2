package io.cannobserv.reconciler.watcher;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.Socket;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.net.ssl.SSLSocket;

import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.TruncatedChunkException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.DefaultBHttpClientConnection;
import org.apache.hc.core5.http.impl.io.SocketHolder;
import org.apache.hc.core5.http.io.HttpConnectionFactory;
import org.apache.hc.core5.http.io.SessionInputBuffer;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * A connection to Watcher that takes an answer as whole only when its framing says one
 * thing and its body kept to it. HttpClient already refuses a body that ends before its
 * {@code Content-Length}, broken chunks and two {@code Content-Length} headers; this adds
 * what no client checks, because a client may read on regardless:
 * <ul>
 * <li>bytes after the body, already there when it ends: the body was longer than its
 * {@code Content-Length} (or than its last chunk), and what was read is a part of it;
 * <li>{@code Content-Length} beside {@code Transfer-Encoding}, or a length that is not a
 * number: two framings, or none that can be read (RFC 9112 §6.3);
 * <li>neither, on a 404: a body that ends when the connection closes cannot be told from
 * one cut short, and a 404 is the one answer that can clear a pointer (of any other, only
 * a complete JSON value is ever read, and a health check must not fail on it);
 * <li>two {@code Content-Type} headers: which one is the answer's is anyone's guess;
 * <li>any {@code Content-Encoding}: the job asks for none, so the bytes are not what they
 * seem.
 * </ul>
 * Each becomes a {@link MalformedAnswer} saying what was wrong, and the connection is
 * closed rather than reused. A kept-alive connection that received bytes between answers
 * is not reused either.
 */
final class FramedConnection extends DefaultBHttpClientConnection implements ManagedHttpClientConnection {

	/** Creates the pool's connections. */
	static final HttpConnectionFactory<ManagedHttpClientConnection> FACTORY = (socket) -> {
		FramedConnection connection = new FramedConnection();
		if (socket != null) {
			connection.bind(socket);
		}
		return connection;
	};

	private static final Pattern LENGTH = Pattern.compile("[0-9]{1,18}");

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile Timeout socketTimeout = Timeout.DISABLED;

	/** The status of the answer whose body is being read. */
	private volatile int status;

	/** The connection's input buffer, once an answer has had a body. */
	private volatile @Nullable SessionInputBuffer buffer;

	private FramedConnection() {
		// the strict parser of HttpCore: no lenient skipping of lines before a status
		// line
		super(Http1Config.DEFAULT);
	}

	@Override
	public void receiveResponseEntity(ClassicHttpResponse response) throws HttpException, IOException {
		this.status = response.getCode();
		checkFraming(response);
		super.receiveResponseEntity(response);
	}

	private static void checkFraming(ClassicHttpResponse response) throws MalformedAnswer {
		int status = response.getCode();
		Header[] lengths = response.getHeaders(HttpHeaders.CONTENT_LENGTH);
		Header[] transferCodings = response.getHeaders(HttpHeaders.TRANSFER_ENCODING);
		if (lengths.length > 1) {
			throw new MalformedAnswer(status,
					"answer with " + lengths.length + " Content-Length headers (" + values(lengths) + ")");
		}
		if (lengths.length == 1 && transferCodings.length > 0) {
			throw new MalformedAnswer(status, "answer with both Content-Length and Transfer-Encoding");
		}
		if (lengths.length == 1 && !LENGTH.matcher(lengths[0].getValue().strip()).matches()) {
			throw new MalformedAnswer(status,
					"answer with Content-Length \"" + lengths[0].getValue().strip() + "\", not a length");
		}
		if (transferCodings.length > 1 || (transferCodings.length == 1
				&& !"chunked".equals(transferCodings[0].getValue().strip().toLowerCase(Locale.ROOT)))) {
			throw new MalformedAnswer(status,
					"answer with Transfer-Encoding \"" + values(transferCodings) + "\", not chunked alone");
		}
		if (lengths.length == 0 && transferCodings.length == 0 && status == 404) {
			// legitimate HTTP, but only a 404 can clear a pointer, and this one's end
			// cannot be known; of other answers, only a complete JSON value is read
			throw new MalformedAnswer(status,
					"answer without Content-Length or chunked encoding: its end cannot be told from a cut");
		}
		Header[] types = response.getHeaders(HttpHeaders.CONTENT_TYPE);
		if (types.length > 1) {
			throw new MalformedAnswer(status,
					"answer with " + types.length + " Content-Type headers (" + values(types) + ")");
		}
		Header[] contentCodings = response.getHeaders(HttpHeaders.CONTENT_ENCODING);
		if (contentCodings.length > 0) {
			throw new MalformedAnswer(status, "answer encoded as " + values(contentCodings)
					+ " (Content-Encoding), which the job did not ask for");
		}
	}

	private static String values(Header[] headers) {
		return Arrays.stream(headers).map((header) -> header.getValue().strip()).collect(Collectors.joining(", "));
	}

	@Override
	protected InputStream createContentInputStream(long length, SessionInputBuffer buffer, InputStream socketIn) {
		this.buffer = buffer;
		return new FramedBody(super.createContentInputStream(length, buffer, socketIn), length, this.status);
	}

	/**
	 * Never waits: a connection that received bytes no request asked for is closed rather
	 * than reused. One that Watcher closed while idle is found when it is used, and its
	 * request sent again once ({@link WatcherHttp}).
	 */
	@Override
	public boolean isStale() throws IOException {
		return !isOpen() || unasked();
	}

	/** Bytes on the connection that no request has asked for yet. */
	private boolean unasked() throws IOException {
		SessionInputBuffer input = this.buffer;
		SocketHolder socket = getSocketHolder();
		return (input != null && input.length() > 0) || (socket != null && socket.getInputStream().available() > 0);
	}

	@Override
	public void bind(Socket socket) throws IOException {
		refuseWhenClosed(socket);
		super.bind(socket);
		this.socketTimeout = Timeout.ofMilliseconds(socket.getSoTimeout());
	}

	@Override
	public void bind(SSLSocket sslSocket, Socket socket) throws IOException {
		refuseWhenClosed(sslSocket);
		super.bind(sslSocket, socket);
		this.socketTimeout = Timeout.ofMilliseconds(sslSocket.getSoTimeout());
	}

	/** A request cancelled while it connected closed this connection first. */
	private void refuseWhenClosed(Socket socket) throws IOException {
		if (this.closed.get()) {
			socket.close();
			throw new InterruptedIOException("Connection already shut down");
		}
	}

	@Override
	public @Nullable Socket getSocket() {
		SocketHolder socketHolder = getSocketHolder();
		return (socketHolder != null) ? socketHolder.getSocket() : null;
	}

	@Override
	public void setSocketTimeout(Timeout timeout) {
		super.setSocketTimeout(timeout);
		this.socketTimeout = timeout;
	}

	@Override
	public void passivate() {
		super.setSocketTimeout(Timeout.ZERO_MILLISECONDS);
	}

	@Override
	public void activate() {
		super.setSocketTimeout(this.socketTimeout);
	}

	@Override
	public void close() throws IOException {
		if (this.closed.compareAndSet(false, true)) {
			super.close();
		}
	}

	@Override
	public void close(CloseMode closeMode) {
		if (this.closed.compareAndSet(false, true)) {
			super.close(closeMode);
		}
	}

	/**
	 * A body as its framing delimits it, which fails saying what was wrong when it ends
	 * before its declared end or when more bytes follow it.
	 */
	private final class FramedBody extends FilterInputStream {

		private final long length;

		private final int status;

		private long read;

		FramedBody(InputStream body, long length, int status) {
			super(body);
			this.length = length;
			this.status = status;
		}

		@Override
		public int read() throws IOException {
			int b;
			try {
				b = super.read();
			}
			catch (IOException ex) {
				throw framingOf(ex);
			}
			return counted((b < 0) ? -1 : 1, b);
		}

		@Override
		public int read(byte[] bytes, int offset, int count) throws IOException {
			int n;
			try {
				n = super.read(bytes, offset, count);
			}
			catch (IOException ex) {
				throw framingOf(ex);
			}
			return counted(n, n);
		}

		private int counted(int bytes, int result) throws IOException {
			if (bytes < 0) {
				if (unasked()) {
					throw new MalformedAnswer(this.status,
							(this.length >= 0) ? "answer longer than its Content-Length of " + this.length + " bytes"
									: "answer with data after its last chunk");
				}
				return result;
			}
			this.read += bytes;
			return result;
		}

		private IOException framingOf(IOException ex) {
			if (ex instanceof MalformedChunkCodingException || ex instanceof TruncatedChunkException
					|| (this.length < 0 && ex instanceof ConnectionClosedException)) {
				String message = String.valueOf(ex.getMessage())
					.replaceFirst("^Premature end of chunk coded message body: ", "");
				return new MalformedAnswer(this.status, "answer's chunked encoding broken ("
						+ message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1) + ")");
			}
			if (this.length >= 0 && ex instanceof ConnectionClosedException) {
				return new MalformedAnswer(this.status,
						"answer cut short: " + this.read + " of " + this.length + " bytes (Content-Length)");
			}
			return ex;
		}

	}

}
