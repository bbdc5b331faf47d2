package io.cannobserv.reconciler.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy in front of a test database that can lose a connection at the worst moment:
 * right after a client's {@code COMMIT} has reached the database, before the answer gets
 * back. The database commits; the client cannot know whether it did, as after a network
 * failure or a failover in the middle of a commit.
 */
public final class CommitCuttingProxy implements AutoCloseable {

	/** The statement as the protocol carries it, a null-terminated string. */
	private static final byte[] COMMIT = "COMMIT\0".getBytes(StandardCharsets.US_ASCII);

	/** Time for the database to commit before the connection is cut. */
	private static final long COMMIT_GRACE_MILLIS = 500;

	private final ServerSocket listener;

	private final String host;

	private final int port;

	private final ExecutorService threads = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "commit-cutting-proxy");
		thread.setDaemon(true);
		return thread;
	});

	private final AtomicBoolean cutNextCommit = new AtomicBoolean();

	private final AtomicBoolean cut = new AtomicBoolean();

	private CommitCuttingProxy(String host, int port) throws IOException {
		this.host = host;
		this.port = port;
		this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.threads.execute(this::accept);
	}

	/** A proxy in front of {@code database}. */
	public static CommitCuttingProxy before(TestDatabase database) {
		URI uri = URI.create(database.jdbcUrl().substring("jdbc:".length()));
		try {
			return new CommitCuttingProxy(uri.getHost(), uri.getPort());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * {@code database} reached through this proxy. Its connections send the text of every
	 * statement (no server-prepared statements), so that a {@code COMMIT} can be told.
	 */
	public TestDatabase database(TestDatabase database) {
		String url = database.jdbcUrl()
			.replace(this.host + ":" + this.port, "localhost:" + this.listener.getLocalPort());
		return new TestDatabase(url + (url.contains("?") ? "&" : "?") + "prepareThreshold=0", database.username(),
				database.password());
	}

	/**
	 * The next {@code COMMIT} any client sends is passed on, then its connection is cut
	 * before the database's answer comes back.
	 */
	public void cutAfterNextCommit() {
		this.cutNextCommit.set(true);
	}

	/** Whether a connection was cut after its commit. */
	public boolean hasCut() {
		return this.cut.get();
	}

	@Override
	public void close() throws IOException {
		this.listener.close();
		this.threads.shutdownNow();
	}

	private void accept() {
		while (!this.listener.isClosed()) {
			try {
				Socket client = this.listener.accept();
				Socket database = new Socket(this.host, this.port);
				AtomicBoolean answerLost = new AtomicBoolean();
				this.threads.execute(() -> pump(client, database, answerLost, true));
				this.threads.execute(() -> pump(database, client, answerLost, false));
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	private void pump(Socket from, Socket to, AtomicBoolean answerLost, boolean fromClient) {
		byte[] buffer = new byte[16384];
		try (from; to) {
			InputStream in = from.getInputStream();
			OutputStream out = to.getOutputStream();
			int read;
			while ((read = in.read(buffer)) >= 0) {
				if (!fromClient && answerLost.get()) {
					return;
				}
				boolean commit = fromClient && contains(buffer, read, COMMIT)
						&& this.cutNextCommit.compareAndSet(true, false);
				if (commit) {
					answerLost.set(true);
					this.cut.set(true);
				}
				out.write(buffer, 0, read);
				out.flush();
				if (commit) {
					Thread.sleep(COMMIT_GRACE_MILLIS);
					return;
				}
			}
		}
		catch (IOException ex) {
			// one side closed: the other closes with it
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static boolean contains(byte[] buffer, int length, byte[] word) {
		for (int i = 0; i + word.length <= length; i++) {
			int j = 0;
			while (j < word.length && buffer[i + j] == word[j]) {
				j++;
			}
			if (j == word.length) {
				return true;
			}
		}
		return false;
	}

}
