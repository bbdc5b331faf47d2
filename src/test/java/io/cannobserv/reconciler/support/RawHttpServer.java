package io.cannobserv.reconciler.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * An HTTP/1.1 server on a random local port that writes exactly the bytes a test gives
 * it: answers no well-behaved server sends (a body shorter or longer than its
 * {@code Content-Length}, broken chunks, a header twice), and answers that trickle in or
 * never end. WireMock's stubs cannot send these.
 * <p>
 * A request whose target starts with a prefix given to {@link #answer} gets that answer
 * (the newest prefix that matches wins); any other request goes to the upstream server,
 * if there is one (the fake Watcher), over a connection of its own, and comes back framed
 * by its length, so that a whole run meets one faulty answer among Watcher's real ones.
 * Without an upstream, it is FastAPI's 404 for an unknown route.
 * <p>
 * Closing the server closes every connection, which ends every answer still trickling.
 */
public final class RawHttpServer implements AutoCloseable {

	private final ServerSocket socket;

	private final @Nullable URI upstream;

	private final List<Map.Entry<String, RawAnswer>> answers = new CopyOnWriteArrayList<>();

	private final List<String> requests = new CopyOnWriteArrayList<>();

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private final AtomicInteger connections = new AtomicInteger();

	/** A server that answers what it is given, FastAPI's route 404 otherwise. */
	public RawHttpServer() {
		this(null);
	}

	/** A server in front of {@code upstream}, which answers what it is not given. */
	public RawHttpServer(@Nullable String upstreamBaseUrl) {
		this.upstream = (upstreamBaseUrl != null) ? URI.create(upstreamBaseUrl) : null;
		try {
			this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new IllegalStateException("No local port for the raw HTTP server", ex);
		}
		Thread acceptor = new Thread(this::accept, "raw-http-server");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Answer every request whose target (path and query) starts with {@code prefix} with
	 * {@code answer}.
	 */
	public RawHttpServer answer(String prefix, RawAnswer answer) {
		this.answers.add(0, Map.entry(prefix, answer));
		return this;
	}

	public String baseUrl() {
		return "http://localhost:" + this.socket.getLocalPort();
	}

	/** The targets of the requests received, in order. */
	public List<String> requests() {
		return List.copyOf(this.requests);
	}

	/** The targets received that start with {@code prefix}. */
	public List<String> requests(String prefix) {
		return this.requests.stream().filter((target) -> target.startsWith(prefix)).toList();
	}

	/** How many connections were accepted. */
	public int connections() {
		return this.connections.get();
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		for (Socket connection : this.open) {
			closeQuietly(connection);
		}
	}

	private void accept() {
		while (!this.socket.isClosed()) {
			try {
				Socket connection = this.socket.accept();
				this.connections.incrementAndGet();
				this.open.add(connection);
				Thread serving = new Thread(() -> serve(connection), "raw-http-connection");
				serving.setDaemon(true);
				serving.start();
			}
			catch (IOException closed) {
				return;
			}
		}
	}

	private void serve(Socket connection) {
		try (connection;
				InputStream in = connection.getInputStream();
				OutputStream out = connection.getOutputStream()) {
			boolean keepOpen = true;
			while (keepOpen) {
				byte[] head = readHead(in);
				if (head == null) {
					return;
				}
				String requestLine = new String(head, StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
				String[] parts = requestLine.split(" ");
				String target = (parts.length > 1) ? parts[1] : "";
				this.requests.add(target);
				RawAnswer answer = answerFor(target);
				if (answer != null) {
					keepOpen = answer.write(out);
					out.flush();
				}
				else {
					relay(head, out);
					keepOpen = false;
				}
			}
		}
		catch (IOException | InterruptedException ex) {
			// the client went away, or the server was closed: done
		}
		finally {
			this.open.remove(connection);
		}
	}

	private @Nullable RawAnswer answerFor(String target) {
		for (Map.Entry<String, RawAnswer> entry : this.answers) {
			if (target.startsWith(entry.getKey())) {
				return entry.getValue();
			}
		}
		return null;
	}

	/**
	 * The request goes upstream with {@code Connection: close}, and its answer comes back
	 * whole, framed by a {@code Content-Length} where the upstream ended it by closing;
	 * then this connection closes too.
	 */
	private void relay(byte[] head, OutputStream out) throws IOException {
		if (this.upstream == null) {
			String body = "{\"detail\":\"Not Found\"}";
			out.write(("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
					+ "\r\nConnection: close\r\n\r\n" + body)
				.getBytes(StandardCharsets.ISO_8859_1));
			return;
		}
		List<String> lines = new ArrayList<>(new String(head, StandardCharsets.ISO_8859_1).lines().toList());
		lines.removeIf((line) -> line.isEmpty() || line.toLowerCase(Locale.ROOT).startsWith("connection:"));
		lines.add("Connection: close");
		byte[] request = (String.join("\r\n", lines) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
		byte[] answer;
		try (Socket upstreamConnection = new Socket(this.upstream.getHost(), this.upstream.getPort())) {
			upstreamConnection.getOutputStream().write(request);
			upstreamConnection.getOutputStream().flush();
			answer = upstreamConnection.getInputStream().readAllBytes();
		}
		String text = new String(answer, StandardCharsets.ISO_8859_1);
		int endOfHead = text.indexOf("\r\n\r\n");
		String answerHead = text.substring(0, endOfHead);
		String lower = answerHead.toLowerCase(Locale.ROOT);
		if (!lower.contains("\ncontent-length:") && !lower.contains("\ntransfer-encoding:")) {
			answerHead += "\r\nContent-Length: " + (answer.length - endOfHead - 4);
		}
		out.write((answerHead + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
		out.write(answer, endOfHead + 4, answer.length - endOfHead - 4);
	}

	/** The request's head, up to its blank line, or null at the end of the stream. */
	private static byte @Nullable [] readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
		while (matched < end.length) {
			int b = in.read();
			if (b < 0) {
				return null;
			}
			head.write(b);
			if (head.size() > 65_536) {
				throw new IOException("request head too long");
			}
			matched = (b == end[matched]) ? matched + 1 : ((b == end[0]) ? 1 : 0);
		}
		return head.toByteArray();
	}

	private static void closeQuietly(Socket connection) {
		try {
			connection.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	/**
	 * What the server writes for a request.
	 */
	@FunctionalInterface
	public interface RawAnswer {

		/**
		 * Write the answer.
		 * @return whether the connection stays open for the next request
		 */
		boolean write(OutputStream out) throws IOException, InterruptedException;

		/**
		 * A status line and headers, then the blank line that ends them.
		 * @param headers whole header lines, {@code Name: value}
		 */
		static String head(int status, String... headers) {
			StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(" Status\r\n");
			for (String header : headers) {
				head.append(header).append("\r\n");
			}
			return head.append("\r\n").toString();
		}

		/** These bytes (as ISO-8859-1), and the connection stays open. */
		static RawAnswer bytes(String raw) {
			return (out) -> {
				out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
				return true;
			};
		}

		/** These bytes (as ISO-8859-1), then the connection closes. */
		static RawAnswer bytesThenClose(String raw) {
			return (out) -> {
				out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
				out.flush();
				return false;
			};
		}

		/**
		 * {@code head}, then {@code body} a {@code piece} of bytes every {@code gap},
		 * then the connection closes.
		 */
		static RawAnswer trickle(String head, String body, int piece, Duration gap) {
			return (out) -> {
				out.write(head.getBytes(StandardCharsets.ISO_8859_1));
				out.flush();
				byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
				for (int from = 0; from < bytes.length; from += piece) {
					Thread.sleep(gap.toMillis());
					out.write(bytes, from, Math.min(piece, bytes.length - from));
					out.flush();
				}
				return false;
			};
		}

		/**
		 * {@code head}, which should declare {@code Transfer-Encoding: chunked}, then
		 * {@code start} as a chunk, then a chunk of one space every {@code gap} for
		 * {@code bound} (so that a client that waits for the end ends the test rather
		 * than hangs it), then the connection closes.
		 */
		static RawAnswer padding(String head, String start, Duration gap, Duration bound) {
			return (out) -> {
				out.write((head + Integer.toHexString(start.length()) + "\r\n" + start + "\r\n")
					.getBytes(StandardCharsets.ISO_8859_1));
				out.flush();
				long end = System.nanoTime() + bound.toNanos();
				while (System.nanoTime() - end < 0) {
					Thread.sleep(gap.toMillis());
					out.write("1\r\n \r\n".getBytes(StandardCharsets.ISO_8859_1));
					out.flush();
				}
				return false;
			};
		}

	}

}
