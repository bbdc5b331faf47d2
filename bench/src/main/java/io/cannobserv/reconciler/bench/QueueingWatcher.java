package io.cannobserv.reconciler.bench;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A fake Watcher whose latency grows with its load, as a server with a fixed number of
 * workers does: each answer takes a worker for the service time, a request that finds
 * every worker busy waits in a queue, and past the queue's length it is refused at once
 * with 503. Its capacity is workers ÷ service time; without workers ({@code 0}) it has
 * ample capacity and answers every request after the service time. It can slow down
 * mid-run: past a moment, the service time is multiplied.
 * <p>
 * In this process, not WireMock's: what matters here is the latency's shape, and this
 * fake records every answer's latency (arrival to answer sent), the requests it refused,
 * and the requests in it over time. Watcher's bodies as {@link WireMockWatcher} gives
 * them, by the pointer's class letter.
 */
final class QueueingWatcher implements Closeable {

	private static final String ITEM = "{\"id\":\"%s\",\"archiver_info_item_id\":null,\"name\":\"Test WatchedItem\","
			+ "\"is_active\":true,\"archived_at\":%s,\"health_status\":\"ok\",\"created_at\":\"2026-06-10T00:00:00Z\"}";

	private final HttpServer server;

	private final ExecutorService handlers = Executors.newCachedThreadPool();

	private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

	private final int workers;

	private final Semaphore busy;

	private final int maxQueue;

	private final long serviceMicros;

	private final double slowFactor;

	private final long slowAfterNanos;

	private final AtomicInteger inside = new AtomicInteger();

	private final AtomicLong refused = new AtomicLong();

	private final AtomicLong transientItems = new AtomicLong();

	private final List<long[]> answers = Collections.synchronizedList(new ArrayList<>());

	private final List<int[]> timeline = Collections.synchronizedList(new ArrayList<>());

	private volatile long firstItemRequest;

	private volatile byte[] list = new byte[0];

	private final AtomicInteger listRequests = new AtomicInteger();

	/**
	 * Starts the fake on a free port.
	 * @param workers answers served at once; 0 = as many as ask
	 * @param serviceMillis how long an answer takes a worker
	 * @param maxQueue requests that may wait for a worker; more are refused with 503
	 * @param slowAfterSeconds when, after the first lookup, the service time is multiplied
	 * by {@code slowFactor}; 0 = never
	 */
	QueueingWatcher(int workers, double serviceMillis, int maxQueue, double slowAfterSeconds, double slowFactor)
			throws IOException {
		this.workers = workers;
		this.busy = new Semaphore(Math.max(workers, 1), true);
		this.maxQueue = maxQueue;
		this.serviceMicros = Math.round(serviceMillis * 1000);
		this.slowAfterNanos = (slowAfterSeconds > 0) ? Math.round(slowAfterSeconds * 1e9) : Long.MAX_VALUE;
		this.slowFactor = slowFactor;
		// without it the JDK's server leaves Nagle's algorithm on: a small answer on a kept
		// alive connection then waits for the client's delayed ACK, some 40 ms
		System.setProperty("sun.net.httpserver.nodelay", "true");
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4096);
		this.server.setExecutor(this.handlers);
		this.server.createContext("/", this::handle);
		this.server.start();
		this.sampler.scheduleAtFixedRate(this::sample, 250, 250, TimeUnit.MILLISECONDS);
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/**
	 * Serves the list for a registry seeded with {@code size} pointers: every WatchedItem
	 * but the gone ones, as {@link WireMockWatcher#writeList} writes it. The list takes a
	 * worker for one service time, as a lookup does, then streams.
	 */
	void list(int size) {
		StringBuilder body = new StringBuilder("[");
		for (int i = 0; i < size; i++) {
			char kind = BenchDatabase.kindOf(i);
			if (kind != BenchDatabase.GONE) {
				body.append((body.length() > 1) ? "," : "")
					.append(ITEM.formatted(BenchDatabase.watchedItemId(i),
							(kind == BenchDatabase.ARCHIVED) ? "\"2026-06-12T09:30:00Z\"" : "null"));
			}
		}
		this.list = body.append(']').toString().getBytes(StandardCharsets.UTF_8);
	}

	/** Requests for the list since the last reset. */
	int listRequests() {
		return this.listRequests.get();
	}

	/** Forgets what earlier runs measured. */
	void reset() {
		this.listRequests.set(0);
		this.answers.clear();
		this.timeline.clear();
		this.refused.set(0);
		this.transientItems.set(0);
		this.firstItemRequest = 0;
	}

	/** Latencies of the answers since the last reset, in microseconds, with when they came. */
	List<long[]> answers() {
		synchronized (this.answers) {
			return new ArrayList<>(this.answers);
		}
	}

	/** Requests inside the fake every 250 ms since the first lookup: {ms since, requests, service µs}. */
	List<int[]> timeline() {
		synchronized (this.timeline) {
			return new ArrayList<>(this.timeline);
		}
	}

	/** Requests refused with 503 for want of a place in the queue. */
	long refused() {
		return this.refused.get();
	}

	/** 503s of the registry's transient pointers (2 in 100): not overload. */
	long transientItems() {
		return this.transientItems.get();
	}

	private void sample() {
		long first = this.firstItemRequest;
		if (first != 0) {
			long now = System.nanoTime();
			this.timeline.add(new int[] { (int) ((now - first) / 1_000_000), this.inside.get(),
					(int) serviceMicros(now) });
		}
	}

	private long serviceMicros(long now) {
		long first = this.firstItemRequest;
		return (first != 0 && now - first > this.slowAfterNanos) ? Math.round(this.serviceMicros * this.slowFactor)
				: this.serviceMicros;
	}

	private void handle(HttpExchange exchange) throws IOException {
		long arrived = System.nanoTime();
		String path = exchange.getRequestURI().getPath();
		try (exchange) {
			if (path.equals(WatcherContract.HEALTH_PATH)) {
				send(exchange, 200, "{\"status\":\"ok\"}");
				return;
			}
			boolean keyed = WireMockWatcher.API_KEY.equals(exchange.getRequestHeaders().getFirst(WatcherContract.KEY_HEADER));
			if (keyed && path.equals(WireMockWatcher.LIST_PATH)) {
				this.listRequests.incrementAndGet();
				this.firstItemRequest = arrived;
				serve(arrived);
				send(exchange, 200, this.list);
				record(arrived);
				return;
			}
			if (!path.startsWith(WireMockWatcher.ITEM_PATH) || !keyed) {
				send(exchange, 404, "{\"detail\":\"Not Found\"}");
				return;
			}
			String id = path.substring(WireMockWatcher.ITEM_PATH.length());
			if (this.firstItemRequest == 0 && !id.startsWith("0000")) {
				this.firstItemRequest = arrived;
			}
			int inside = this.inside.incrementAndGet();
			try {
				if (this.workers > 0 && inside > this.workers + this.maxQueue) {
					this.refused.incrementAndGet();
					send(exchange, 503, "{\"detail\":\"Service Unavailable\"}");
					record(arrived);
					return;
				}
				serve(arrived);
				answer(exchange, id);
				record(arrived);
			}
			finally {
				this.inside.decrementAndGet();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void serve(long arrived) throws InterruptedException {
		if (this.workers > 0) {
			this.busy.acquire();
		}
		try {
			TimeUnit.MICROSECONDS.sleep(serviceMicros(arrived));
		}
		finally {
			if (this.workers > 0) {
				this.busy.release();
			}
		}
	}

	private void answer(HttpExchange exchange, String id) throws IOException {
		char kind = (id.length() > 3) ? id.charAt(3) : '0';
		if (kind == BenchDatabase.LIVE) {
			send(exchange, 200, ITEM.formatted(id, "null"));
		}
		else if (kind == BenchDatabase.ARCHIVED) {
			send(exchange, 200, ITEM.formatted(id, "\"2026-06-12T09:30:00Z\""));
		}
		else if (kind == BenchDatabase.TRANSIENT) {
			this.transientItems.incrementAndGet();
			send(exchange, 503, "{\"detail\":\"Service Unavailable\"}");
		}
		else {
			// gone, and the probe of an id that cannot exist
			send(exchange, WatcherContract.GONE_STATUS, WatcherContract.GONE_BODY);
		}
	}

	private void record(long arrived) {
		long now = System.nanoTime();
		this.answers.add(new long[] { now, (now - arrived) / 1000 });
	}

	private static void send(HttpExchange exchange, int status, String body) throws IOException {
		send(exchange, status, body.getBytes(StandardCharsets.UTF_8));
	}

	private static void send(HttpExchange exchange, int status, byte[] bytes) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	@Override
	public void close() {
		this.sampler.shutdownNow();
		this.server.stop(0);
		this.handlers.shutdownNow();
	}

}
