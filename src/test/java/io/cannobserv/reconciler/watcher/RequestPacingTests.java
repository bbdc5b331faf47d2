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
import io.cannobserv.reconciler.run.Strategy;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.RequestRate;
import io.cannobserv.reconciler.support.WatcherBodies;
import io.cannobserv.reconciler.watcher.WatchedItemLookup.Outcome;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How fast the job asks, counted at the fake Watcher: a {@code Retry-After} holds every
 * request of the process, not only the next attempt of the lookup that got it, and the
 * rate cap holds however many threads queue for the concurrency limit.
 */
class RequestPacingTests {

	private static final String ID = "01HZZWATCHER00000000000001";

	private static final String OTHER_ID = "01HZZWATCHER00000000000002";

	private static final String INFO_ITEM_ID = "01HZZ000000000000000000003";

	@RegisterExtension
	static WireMockExtension watcher = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().containerThreads(64))
		.build();

	@Test
	@Timeout(20)
	void lookupWhenAnotherLookupGotRetryAfterWaitsForItToo() {
		// given: a proxy throttles one id; the next lookup is of another id
		stub(ID, aResponse().withStatus(429).withHeader("Retry-After", "1").withBody("Too Many Requests"));
		stub(OTHER_ID, live(OTHER_ID));
		WatcherClient client = client(Duration.ofSeconds(5), 0, 8);
		// when
		WatchedItemLookup throttled = client.lookupOnce(ID);
		WatchedItemLookup other = client.lookupOnce(OTHER_ID);
		// then: the second request waited for the hint, though it was another id's
		assertThat(throttled.outcome()).isEqualTo(Outcome.UNAVAILABLE);
		assertThat(throttled.httpStatus()).isEqualTo(429);
		assertThat(other.outcome()).isEqualTo(Outcome.ACTIVE);
		List<Long> sent = sentMillis();
		assertThat(sent).hasSize(2);
		assertThat(sent.get(1) - sent.get(0)).isGreaterThanOrEqualTo(900);
	}

	@Test
	@Timeout(20)
	void lookupWhenRetryAfterIsBeyondTheCapHoldsOtherLookupsOnlyForTheCap() {
		// given: a proxy asks for an hour; --max-retry-after is 300 ms
		stub(ID, aResponse().withStatus(503).withHeader("Retry-After", "3600").withBody("Service Unavailable"));
		stub(OTHER_ID, live(OTHER_ID));
		WatcherClient client = client(Duration.ofMillis(300), 0, 8);
		// when
		client.lookupOnce(ID);
		WatchedItemLookup other = client.lookupOnce(OTHER_ID);
		// then
		assertThat(other.outcome()).isEqualTo(Outcome.ACTIVE);
		List<Long> sent = sentMillis();
		assertThat(sent.get(1) - sent.get(0)).isBetween(250L, 5000L);
	}

	@Test
	@Timeout(60)
	void lookupsWhenThreadsQueueForTheConcurrencyLimitStayUnderTheRateCap() throws Exception {
		// given 30 threads asking at once, 2 requests in flight at most and a cap of 10
		// per second; Watcher is slow at first (the threads queue), then fast
		int cap = 10;
		stub(ID, live(ID));
		WatcherClient client = client(Duration.ofSeconds(1), cap, 2);
		watcher.setGlobalFixedDelay(1000);
		ExecutorService threads = Executors.newFixedThreadPool(30);
		List<Future<WatchedItemLookup>> lookups = new ArrayList<>();
		try {
			// when
			for (int i = 0; i < 30; i++) {
				lookups.add(threads.submit(() -> client.lookupOnce(ID)));
			}
			Thread.sleep(1500);
			watcher.setGlobalFixedDelay(0);
			for (Future<WatchedItemLookup> lookup : lookups) {
				assertThat(lookup.get().outcome()).isEqualTo(Outcome.ACTIVE);
			}
		}
		finally {
			threads.shutdownNow();
		}
		// then no second at Watcher saw more requests than the cap (two more: the fake
		// Watcher's threads log an arrival late on a loaded machine; without the pacing
		// 24 arrived in one second)
		assertThat(RequestRate.mostInAnySecond(watcher.findAll(anyRequestedFor(anyUrl()))))
			.isLessThanOrEqualTo(cap + 2);
	}

	/** When each request arrived, oldest first. */
	private static List<Long> sentMillis() {
		return RequestRate.arrivals(watcher.findAll(anyRequestedFor(anyUrl())));
	}

	private static WatcherClient client(Duration maxRetryAfter, double maxRequestsPerSecond, int concurrency) {
		WatcherProperties properties = new WatcherProperties(watcher.baseUrl(), "test-key", Duration.ofSeconds(2),
				Duration.ofSeconds(5), Duration.ofSeconds(30), 3, Duration.ofMillis(10), Duration.ofMillis(40),
				maxRetryAfter, maxRequestsPerSecond);
		ReconcilerProperties run = new ReconcilerProperties(250, concurrency, 0, 1, Path.of("reports"),
				Duration.ofSeconds(10), "watcher_link_reconciler", Strategy.PER_ITEM, false, false);
		return new WatcherClient(properties, LinkFile.archiverWatcher(), new SimpleMeterRegistry(), run);
	}

	private static void stub(String id, ResponseDefinitionBuilder answer) {
		watcher.stubFor(get(urlPathEqualTo(FakeWatcher.ITEM_PATH + id)).willReturn(answer));
	}

	private static ResponseDefinitionBuilder live(String id) {
		return aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withBody(WatcherBodies.live(id, INFO_ITEM_ID));
	}

}
