package io.cannobserv.reconciler.watcher;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cannobserv.reconciler.link.LinkFile;
import io.cannobserv.reconciler.run.ReconcilerProperties;
import io.cannobserv.reconciler.run.Strategy;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.WatcherBodies;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for what {@link WatcherClient} does around its answers: the Retry-After hold it
 * shares with the run's other processes, the stop that sends nothing more, an interrupt,
 * the permits of requests in flight, and the request timer the dashboard reads.
 */
@Timeout(60)
class WatcherClientLifecycleTests {

	private static final String ID = "01HZZWATCHER00000000000001";

	private static final String INFO_ITEM_ID = "01HZZ000000000000000000003";

	private static final String ITEM_PATH = FakeWatcher.ITEM_PATH + ID;

	@RegisterExtension
	static WireMockExtension watcher = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Test
	void lookupWhenWatcherAsksToWaitTellsTheListenerTheCappedPause() {
		// given a Retry-After of an hour, capped at --max-retry-after (1 s)
		stubItem(aResponse().withStatus(429).withHeader("Retry-After", "3600").withBody("slow down"));
		WatcherClient client = client(Duration.ofMillis(10), 1);
		List<String> held = new ArrayList<>();
		client.onHold((status, pause) -> held.add(status + " " + pause));
		// when
		WatchedItemLookup lookup = client.lookupOnce(ID);
		// then
		assertThat(lookup.outcome()).isEqualTo(WatchedItemLookup.Outcome.UNAVAILABLE);
		assertThat(held).containsExactly("429 PT1S");
	}

	@Test
	void holdWhenAnotherProcessWasAskedToWaitBeginsOnePauseAndHoldsTheRequests() {
		// given
		stubItem(json(200, WatcherBodies.live(ID, INFO_ITEM_ID)));
		WatcherClient client = client(Duration.ofMillis(10), 1);
		// when
		boolean begins = client.hold(Duration.ofMillis(800));
		boolean within = client.hold(Duration.ofMillis(100));
		long started = System.nanoTime();
		WatchedItemLookup lookup = client.lookupOnce(ID);
		Duration waited = Duration.ofNanos(System.nanoTime() - started);
		// then
		assertThat(begins).isTrue();
		assertThat(within).isFalse();
		assertThat(lookup.outcome()).isEqualTo(WatchedItemLookup.Outcome.ACTIVE);
		assertThat(waited).isGreaterThan(Duration.ofMillis(500));
	}

	@Test
	void lookupWhenTheRunStopsDuringABackoffSaysWhatTheLastAnswerWas() throws InterruptedException {
		// given an answer that is retried after a two-second pause
		stubItem(aResponse().withStatus(503).withBody("Service Unavailable"));
		WatcherClient client = client(Duration.ofSeconds(2), 3);
		// when the run stops once the first answer came
		CompletableFuture<WatchedItemLookup> lookup = CompletableFuture.supplyAsync(() -> client.lookup(ID));
		awaitRequests(1);
		client.stop();
		// then
		WatchedItemLookup stopped = lookup.join();
		assertThat(stopped.outcome()).isEqualTo(WatchedItemLookup.Outcome.UNAVAILABLE);
		assertThat(stopped.httpStatus()).isEqualTo(503);
		assertThat(stopped.evidence()).endsWith("(1 attempt; not asked again: the run is stopping)")
			.startsWith("HTTP 503");
		assertThat(watcher.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
	}

	@Test
	void lookupWhenTheThreadIsInterruptedGivesUpAndKeepsTheInterrupt() {
		// given
		stubItem(json(200, WatcherBodies.live(ID, INFO_ITEM_ID)));
		WatcherClient client = new WatcherClient(properties(Duration.ofMillis(10), 3), LinkFile.archiverWatcher(),
				new SimpleMeterRegistry(), run(1));
		// when
		Thread.currentThread().interrupt();
		WatchedItemLookup lookup = client.lookup(ID);
		boolean stillInterrupted = Thread.interrupted();
		// then
		assertThat(lookup.outcome()).isEqualTo(WatchedItemLookup.Outcome.UNAVAILABLE);
		assertThat(lookup.evidence()).startsWith("lookup interrupted: ");
		assertThat(stillInterrupted).isTrue();
	}

	@Test
	void snapshotWhenDoneFreesItsPermitForTheLookups() {
		// given one request in flight at most
		watcher.stubFor(get(urlPathEqualTo(FakeWatcher.WATCHED_ITEMS_PATH))
			.willReturn(json(200, "[" + WatcherBodies.live(ID, INFO_ITEM_ID) + "]")));
		stubItem(json(200, WatcherBodies.live(ID, INFO_ITEM_ID)));
		WatcherClient client = new WatcherClient(properties(Duration.ofMillis(10), 3), LinkFile.archiverWatcher(),
				new SimpleMeterRegistry(), run(1));
		// when
		WatcherSnapshot snapshot = client.snapshot(new SnapshotProperties(10, Duration.ofSeconds(30)), new Discard());
		CompletableFuture<WatchedItemLookup> lookup = CompletableFuture.supplyAsync(() -> client.lookupOnce(ID));
		// then
		assertThat(snapshot.complete()).isTrue();
		assertThat(lookup).succeedsWithin(Duration.ofSeconds(10))
			.extracting(WatchedItemLookup::outcome)
			.isEqualTo(WatchedItemLookup.Outcome.ACTIVE);
	}

	@Test
	void requestsWhenAnsweredOrNotAreTimedByEndpointOutcomeAndStatusClass() throws IOException {
		// given
		stubItem(json(200, WatcherBodies.live(ID, INFO_ITEM_ID)));
		watcher.stubFor(get(urlPathEqualTo(FakeWatcher.WATCHED_ITEMS_PATH)).willReturn(json(200, "[]")));
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		WatcherClient client = new WatcherClient(properties(Duration.ofMillis(10), 1), LinkFile.archiverWatcher(),
				meters, run(8));
		// when
		client.lookupOnce(ID);
		client.linkedToOnce(INFO_ITEM_ID);
		client.snapshot(new SnapshotProperties(10, Duration.ofSeconds(30)), new Discard());
		WatcherClient unreachable = new WatcherClient(properties(closedPort(), Duration.ofMillis(10), 1),
				LinkFile.archiverWatcher(), meters, run(8));
		unreachable.lookupOnce(ID);
		WatcherSnapshot refused = unreachable.snapshot(new SnapshotProperties(10, Duration.ofSeconds(30)),
				new Discard());
		// then
		assertThat(count(meters, "item", "answered", "2xx")).isOne();
		assertThat(count(meters, "list", "answered", "2xx")).isOne();
		assertThat(count(meters, "snapshot", "answered", "2xx")).isOne();
		assertThat(count(meters, "item", "io-error", "none")).isOne();
		assertThat(count(meters, "snapshot", "io-error", "none")).isOne();
		// a snapshot that could not connect is worth asking again, not past its deadline
		assertThat(refused.complete()).isFalse();
		assertThat(refused.failure()).startsWith("list: ");
	}

	private static void awaitRequests(int count) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (watcher.findAll(anyRequestedFor(anyUrl())).size() < count && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
	}

	private static long count(SimpleMeterRegistry meters, String endpoint, String outcome, String status) {
		Timer timer = meters.find("reconciler.watcher.requests")
			.tag("endpoint", endpoint)
			.tag("outcome", outcome)
			.tag("status", status)
			.timer();
		return (timer != null) ? timer.count() : 0;
	}

	private static String closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return "http://localhost:" + socket.getLocalPort();
		}
	}

	private static WatcherClient client(Duration backoff, int maxAttempts) {
		return new WatcherClient(properties(backoff, maxAttempts));
	}

	private static WatcherProperties properties(Duration backoff, int maxAttempts) {
		return properties(watcher.baseUrl(), backoff, maxAttempts);
	}

	private static WatcherProperties properties(String baseUrl, Duration backoff, int maxAttempts) {
		return new WatcherProperties(baseUrl, "lifecycle-key", Duration.ofMillis(500), Duration.ofSeconds(2),
				Duration.ofSeconds(30), maxAttempts, backoff, backoff, Duration.ofSeconds(1), 0);
	}

	private static ReconcilerProperties run(int concurrency) {
		return new ReconcilerProperties(250, concurrency, 0, 1, Path.of("reports"), Duration.ofSeconds(10),
				"watcher_link_reconciler", Strategy.PER_ITEM, false, false);
	}

	private static void stubItem(ResponseDefinitionBuilder answer) {
		watcher.stubFor(get(urlPathEqualTo(ITEM_PATH)).willReturn(answer));
	}

	private static ResponseDefinitionBuilder json(int status, String body) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
	}

	/** A sink that keeps nothing. */
	private static final class Discard implements SnapshotSink {

		@Override
		public void accept(List<SnapshotItem> batch) {
		}

		@Override
		public void discard() {
		}

	}

}
