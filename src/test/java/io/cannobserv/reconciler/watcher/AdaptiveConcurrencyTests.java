package io.cannobserv.reconciler.watcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cannobserv.reconciler.link.LinkFile;
import io.cannobserv.reconciler.run.ReconcilerProperties;
import io.cannobserv.reconciler.run.RequestsInFlight;
import io.cannobserv.reconciler.run.Strategy;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.WatcherBodies;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limit of requests in flight adapts to Watcher: it starts at 8, grows while the
 * answers' latency stays at its floor, falls at once when Watcher answers 429 and when
 * more than a tenth of the recent answers are 5xx (not for a few broken items), never
 * passes {@code --concurrency}, and stays put with {@code --fixed-concurrency}. How fast
 * it finds a capacity is the benchmark's to measure, not a timed test's.
 */
@Timeout(120)
class AdaptiveConcurrencyTests {

	private static final String ID = "01HZZWATCHER00000000000001";

	private static final String BROKEN = "01HZZWATCHER0000000000000B";

	private static final String LIMIT = "reconciler.watcher.concurrency.limit";

	@RegisterExtension
	static WireMockExtension watcher = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().containerThreads(80))
		.build();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@Test
	void limitWhenStartedIsEight() {
		assertThat(limit(client(64, false))).isEqualTo(8);
		assertThat(limit(client(3, false))).as("never above the ceiling").isEqualTo(3);
	}

	@Test
	void limitWhenWatcherRefusesFallsAtOnce() {
		// given
		stub(aResponse().withStatus(429).withBody("slow down"));
		WatcherClient client = client(64, false);
		// when
		client.lookupOnce(ID);
		int afterOne = limit(client);
		client.lookupOnce(ID);
		client.lookupOnce(ID);
		client.lookupOnce(ID);
		// then: halved by each, down to one
		assertThat(afterOne).isEqualTo(4);
		assertThat(limit(client)).isEqualTo(1);
		assertThat(client.requestsInFlight()).isEqualTo(new RequestsInFlight(true, 64, 1, 8, 1));
		assertThat(client.requestsInFlight().describe()).isEqualTo("adaptive 1-8, 1 at the end (ceiling 64)");
	}

	@Test
	void limitWhenWatcherAnswers5xxToManyFalls() {
		// given
		stub(aResponse().withStatus(503).withBody("overloaded"));
		WatcherClient client = client(64, false);
		// when: the first three are a share of the recent answers short of a tenth
		client.lookupOnce(ID);
		client.lookupOnce(ID);
		client.lookupOnce(ID);
		int afterThree = limit(client);
		client.lookupOnce(ID);
		// then
		assertThat(afterThree).isEqualTo(8);
		assertThat(limit(client)).isEqualTo(4);
	}

	@Test
	void limitWhenRecheckedPointersAnswer5xxAgainStays() {
		// given: the recheck asks only pointers that answered 5xx before
		stub(aResponse().withStatus(503).withBody("still broken"));
		WatcherClient client = client(64, false);
		// when
		for (int i = 0; i < 6; i++) {
			client.lookup(ID);
		}
		// then
		assertThat(limit(client)).isEqualTo(8);
	}

	@Test
	void limitWhenARecheckRoundsLookupsAnswer5xxAgainStays() {
		// given: a round of the recheck asks, once each, pointers that answered 5xx
		// before
		stub(aResponse().withStatus(503).withBody("still broken"));
		WatcherClient client = client(64, false);
		// when
		for (int i = 0; i < 6; i++) {
			client.lookupAgain(ID);
		}
		// then
		assertThat(limit(client)).isEqualTo(8);
	}

	@Test
	void limitWhenARecheckRoundsReLinkSearchesAnswer5xxAgainStays() {
		// given: a round of the recheck asks again, once each, the back-link searches
		// that answered 5xx before
		watcher.stubFor(get(urlPathEqualTo(FakeWatcher.WATCHED_ITEMS_PATH))
			.willReturn(aResponse().withStatus(503).withBody("still broken")));
		WatcherClient client = client(64, false);
		// when
		for (int i = 0; i < 6; i++) {
			client.linkedToAgain(ID);
		}
		// then
		assertThat(limit(client)).isEqualTo(8);
	}

	@Test
	void limitWhenAFewItemsAnswer5xxWhateverTheLoadStays() {
		// given: one WatchedItem in twenty answers 503, the others at once
		stub(json(WatcherBodies.live(ID, null)));
		watcher.stubFor(get(urlPathMatching(FakeWatcher.ITEM_PATH + BROKEN))
			.willReturn(aResponse().withStatus(503).withBody("broken item")));
		WatcherClient client = client(64, false);
		// when
		for (int i = 0; i < 200; i++) {
			client.lookupOnce((i % 20 == 0) ? BROKEN : ID);
		}
		// then: never halved (the lookups one at a time use too little of it to grow)
		assertThat(limit(client)).isEqualTo(8);
	}

	@Test
	void limitWhenLatencyStaysAtItsFloorGrowsUpToTheCeiling() throws Exception {
		// given: a Watcher with ample capacity, whose latency does not grow with load
		stub(json(WatcherBodies.live(ID, null)).withFixedDelay(50));
		WatcherClient client = client(24, false);
		// when: more threads ask than the limit lets in flight
		lookUp(client, 40, 800);
		// then
		assertThat(limit(client)).isGreaterThan(8).isLessThanOrEqualTo(24);
		RequestsInFlight range = client.requestsInFlight();
		assertThat(range.lowest()).isEqualTo(8);
		assertThat(range.highest()).isGreaterThanOrEqualTo(limit(client)).isLessThanOrEqualTo(24);
		assertThat(range.last()).isEqualTo(limit(client));
	}

	@Test
	void limitWhenFixedStaysAtConcurrency() {
		stub(aResponse().withStatus(503).withBody("overloaded"));
		WatcherClient client = client(8, true);
		client.lookupOnce(ID);
		client.lookupOnce(ID);
		assertThat(limit(client)).isEqualTo(8);
		assertThat(client.requestsInFlight()).isEqualTo(new RequestsInFlight(false, 8, 8, 8, 8));
		assertThat(client.requestsInFlight().describe()).isEqualTo("fixed at 8");
	}

	private static void lookUp(WatcherClient client, int threads, int lookups) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<WatchedItemLookup>> answers = new ArrayList<>();
			for (int i = 0; i < lookups; i++) {
				answers.add(executor.submit(() -> client.lookupOnce(ID)));
			}
			for (Future<WatchedItemLookup> answer : answers) {
				assertThat(answer.get().outcome()).isEqualTo(WatchedItemLookup.Outcome.ACTIVE);
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	private int limit(WatcherClient client) {
		return (int) this.meters.get(LIMIT).gauge().value();
	}

	@Test
	void limitWhenTheRunIsPartitionedIsEachPartitionsShareOfTheCeiling() {
		assertThat(client(64, false, 4).requestsInFlight()).isEqualTo(new RequestsInFlight(true, 16, 8, 8, 8));
		assertThat(client(8, true, 2).requestsInFlight()).isEqualTo(new RequestsInFlight(false, 4, 4, 4, 4));
		assertThat(client(4, false, 8).requestsInFlight().ceiling()).as("at least one each").isEqualTo(1);
	}

	private WatcherClient client(int concurrency, boolean fixed) {
		return client(concurrency, fixed, 1);
	}

	private WatcherClient client(int concurrency, boolean fixed, int partitions) {
		this.meters.clear();
		return new WatcherClient(
				new WatcherProperties(watcher.baseUrl(), "adaptive-key", Duration.ofSeconds(2), Duration.ofSeconds(5),
						Duration.ofSeconds(30), 1, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ZERO, 0),
				LinkFile.archiverWatcher(), this.meters,
				new ReconcilerProperties(250, concurrency, 0, partitions, Path.of("reports"), Duration.ofSeconds(10),
						"watcher_link_reconciler", Strategy.PER_ITEM, false, fixed));
	}

	private static void stub(ResponseDefinitionBuilder answer) {
		watcher.stubFor(get(urlPathMatching(FakeWatcher.ITEM_PATH + ".*")).willReturn(answer));
	}

	private static ResponseDefinitionBuilder json(String body) {
		return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
	}

}
