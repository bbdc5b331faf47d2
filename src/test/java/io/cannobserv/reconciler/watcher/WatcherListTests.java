package io.cannobserv.reconciler.watcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.WatcherBodies;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link WatcherClient}'s two uses of Watcher's list, against a real HTTP
 * server answering with Watcher's real bodies: the search for the WatchedItems that link
 * back to an InfoItem ({@code --relink}), which re-links only on exactly one, and the
 * snapshot ({@code --strategy=snapshot}), which is used only when it is whole.
 */
class WatcherListTests {

	private static final String API_KEY = "list-test-key";

	private static final String INFO_ITEM_ID = "01HZZ000000000000000000003";

	private static final String OTHER_INFO_ITEM_ID = "01HZZ000000000000000000004";

	private static final String ID = "01HZZWATCHER00000000000001";

	private static final String OTHER_ID = "01HZZWATCHER00000000000002";

	private static final String SEARCH = FakeWatcher.WATCHED_ITEMS_PATH + "?archiver_info_item_id=" + INFO_ITEM_ID
			+ "&include_archived=true";

	private static final String SNAPSHOT = FakeWatcher.WATCHED_ITEMS_PATH + "?include_archived=true";

	private static final int MAX_ATTEMPTS = 3;

	@RegisterExtension
	static WireMockExtension watcher = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Test
	void linkedToWhenExactlyOneItemLinksBackFindsIt() {
		stubSearch(json(200, list(WatcherBodies.live(ID, INFO_ITEM_ID))));
		LinkLookup lookup = client().linkedTo(INFO_ITEM_ID);
		assertThat(lookup).isEqualTo(new LinkLookup(LinkLookup.Outcome.ONE, ID, 200,
				"list HTTP 200: 1 WatchedItem(s) link back to " + INFO_ITEM_ID + " (" + ID + ")", 1));
		watcher.verify(1, getRequestedFor(urlEqualTo(SEARCH)).withHeader("X-API-Key", equalTo(API_KEY)));
		watcher.verify(1, anyRequestedFor(anyUrl()));
	}

	@Test
	void linkedToWhenTheOneItemIsArchivedFindsItAndSaysSo() {
		stubSearch(json(200, list(WatcherBodies.archived(ID, INFO_ITEM_ID))));
		LinkLookup lookup = client().linkedTo(INFO_ITEM_ID);
		assertThat(lookup.outcome()).isEqualTo(LinkLookup.Outcome.ONE);
		assertThat(lookup.watchedItemId()).isEqualTo(ID);
		assertThat(lookup.evidence()).endsWith("(" + ID + " (archived))");
	}

	@Test
	void linkedToWhenNoneLinksBackFindsNone() {
		stubSearch(json(200, "[]"));
		LinkLookup lookup = client().linkedTo(INFO_ITEM_ID);
		assertThat(lookup).isEqualTo(new LinkLookup(LinkLookup.Outcome.NONE, null, 200,
				"list HTTP 200: 0 WatchedItem(s) link back to " + INFO_ITEM_ID, 1));
	}

	@Test
	void linkedToWhenTwoLinkBackIsAmbiguous() {
		stubSearch(json(200, list(WatcherBodies.live(ID, INFO_ITEM_ID), WatcherBodies.live(OTHER_ID, INFO_ITEM_ID))));
		LinkLookup lookup = client().linkedTo(INFO_ITEM_ID);
		assertThat(lookup.outcome()).isEqualTo(LinkLookup.Outcome.AMBIGUOUS);
		assertThat(lookup.watchedItemId()).isNull();
		assertThat(lookup.evidence()).isEqualTo(
				"list HTTP 200: 2 WatchedItem(s) link back to " + INFO_ITEM_ID + " (" + ID + ", " + OTHER_ID + ")");
	}

	@Test
	void linkedToWhenTheListHoldsItemsThatDoNotLinkBackIsAmbiguous() {
		// the filter was not applied: the one that links back proves nothing
		stubSearch(
				json(200, list(WatcherBodies.live(ID, INFO_ITEM_ID), WatcherBodies.live(OTHER_ID, OTHER_INFO_ITEM_ID),
						WatcherBodies.live("01HZZWATCHER00000000000009", null))));
		LinkLookup lookup = client().linkedTo(INFO_ITEM_ID);
		assertThat(lookup.outcome()).isEqualTo(LinkLookup.Outcome.AMBIGUOUS);
		assertThat(lookup.watchedItemId()).isNull();
		assertThat(lookup.evidence()).isEqualTo("list HTTP 200: 1 WatchedItem(s) link back to " + INFO_ITEM_ID + " ("
				+ ID + "), 2 other(s) that do not");
	}

	@Test
	void linkedToWhenOnlyOthersAreListedIsAmbiguous() {
		stubSearch(json(200, list(WatcherBodies.live(OTHER_ID, OTHER_INFO_ITEM_ID))));
		LinkLookup lookup = client().linkedTo(INFO_ITEM_ID);
		assertThat(lookup.outcome()).isEqualTo(LinkLookup.Outcome.AMBIGUOUS);
		assertThat(lookup.evidence())
			.isEqualTo("list HTTP 200: 0 WatchedItem(s) link back to " + INFO_ITEM_ID + ", 1 other(s) that do not");
	}

	@Test
	void linkedToWhenTheAnswerIsNotAListRetriesThenIsUnavailable() {
		stubSearch(json(200, WatcherBodies.live(ID, INFO_ITEM_ID)));
		LinkLookup lookup = client().linkedTo(INFO_ITEM_ID);
		assertThat(lookup.outcome()).isEqualTo(LinkLookup.Outcome.UNAVAILABLE);
		assertThat(lookup.watchedItemId()).isNull();
		assertThat(lookup.httpStatus()).isEqualTo(200);
		assertThat(lookup.evidence()).startsWith("list: list: 200 without a list of WatchedItems: ")
			.endsWith("(" + MAX_ATTEMPTS + " attempts)");
		assertThat(lookup.attempts()).isEqualTo(MAX_ATTEMPTS);
		watcher.verify(MAX_ATTEMPTS, getRequestedFor(urlEqualTo(SEARCH)));
	}

	@Test
	void linkedToWhenAnEntryIsNotAWatchedItemIsUnavailable() {
		// an entry whose id is no ULID, and an entry that is no object at all
		for (String entry : List.of(WatcherBodies.live("not-a-ulid", INFO_ITEM_ID), "\"" + ID + "\"", "{}")) {
			watcher.resetAll();
			stubSearch(json(200, list(WatcherBodies.live(ID, INFO_ITEM_ID), entry)));
			LinkLookup lookup = client().linkedToOnce(INFO_ITEM_ID);
			assertThat(lookup.outcome()).as(entry).isEqualTo(LinkLookup.Outcome.UNAVAILABLE);
			assertThat(lookup.watchedItemId()).isNull();
			assertThat(lookup.evidence()).as(entry).contains("200 with an entry that is not a WatchedItem");
			assertThat(lookup.attempts()).isOne();
		}
	}

	@Test
	void linkedToWhenTheBackLinkIsNotAStringDoesNotCountIt() {
		String numeric = WatcherBodies.live(ID, INFO_ITEM_ID).replace("\"" + INFO_ITEM_ID + "\"", "3");
		stubSearch(json(200, list(numeric)));
		LinkLookup lookup = client().linkedTo(INFO_ITEM_ID);
		assertThat(lookup.outcome()).isEqualTo(LinkLookup.Outcome.AMBIGUOUS);
	}

	@Test
	void linkedToWhenTheRouteIsRefusedSaysSoWithoutAskingAgain() {
		stubSearch(json(422, "{\"detail\":\"unknown filter\"}"));
		LinkLookup lookup = client().linkedTo(INFO_ITEM_ID);
		assertThat(lookup.outcome()).isEqualTo(LinkLookup.Outcome.REFUSED);
		assertThat(lookup.httpStatus()).isEqualTo(422);
		assertThat(lookup.evidence()).startsWith("list answered unexpected HTTP 422");
		watcher.verify(1, anyRequestedFor(anyUrl()));
	}

	@Test
	void linkedToWhenWatcherFailsOnceAsksAgain() {
		watcher.stubFor(get(urlEqualTo(SEARCH)).inScenario("search")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("failed")
			.willReturn(aResponse().withStatus(503).withBody("busy")));
		watcher.stubFor(get(urlEqualTo(SEARCH)).inScenario("search")
			.whenScenarioStateIs("failed")
			.willReturn(json(200, list(WatcherBodies.live(ID, INFO_ITEM_ID)))));
		assertThat(client().linkedToOnce(INFO_ITEM_ID).outcome()).isEqualTo(LinkLookup.Outcome.UNAVAILABLE);
		LinkLookup lookup = client().linkedTo(INFO_ITEM_ID);
		assertThat(lookup.outcome()).isEqualTo(LinkLookup.Outcome.ONE);
		assertThat(lookup.attempts()).isEqualTo(1);
	}

	@Test
	void linkedToWhenTheKeyIsRejectedThrows() {
		stubSearch(json(401, "{\"detail\":\"Invalid API key\"}"));
		assertThatExceptionOfType(WatcherAuthenticationException.class)
			.isThrownBy(() -> client().linkedTo(INFO_ITEM_ID));
	}

	@Test
	void snapshotWhenTheListIsWholeTakesEveryItem() {
		stubSnapshot(json(200, list(WatcherBodies.live(ID, INFO_ITEM_ID), WatcherBodies.archived(OTHER_ID, null))));
		CollectingSink sink = new CollectingSink();
		WatcherSnapshot snapshot = client().snapshot(new SnapshotProperties(10, Duration.ofSeconds(30)), sink);
		assertThat(snapshot.complete()).isTrue();
		assertThat(snapshot.items()).isEqualTo(2);
		assertThat(snapshot.failure()).isNull();
		assertThat(snapshot.attempts()).isOne();
		assertThat(snapshot.took()).isPositive().isLessThan(Duration.ofSeconds(30));
		assertThat(sink.items).extracting(SnapshotItem::id).containsExactly(ID, OTHER_ID);
		assertThat(sink.discards).isOne();
		watcher.verify(1, getRequestedFor(urlEqualTo(SNAPSHOT)).withHeader("X-API-Key", equalTo(API_KEY)));
	}

	@Test
	void snapshotWhenTheFirstAnswerFailsDiscardsItAndAsksAgain() {
		watcher.stubFor(get(urlEqualTo(SNAPSHOT)).inScenario("snapshot")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("cut")
			.willReturn(json(200, "[" + WatcherBodies.live(ID, INFO_ITEM_ID) + ",")));
		watcher.stubFor(get(urlEqualTo(SNAPSHOT)).inScenario("snapshot")
			.whenScenarioStateIs("cut")
			.willReturn(json(200, list(WatcherBodies.live(OTHER_ID, null)))));
		CollectingSink sink = new CollectingSink();
		WatcherSnapshot snapshot = client().snapshot(new SnapshotProperties(10, Duration.ofSeconds(30)), sink);
		assertThat(snapshot.complete()).isTrue();
		assertThat(snapshot.attempts()).isEqualTo(2);
		assertThat(sink.items).extracting(SnapshotItem::id).containsExactly(OTHER_ID);
	}

	@Test
	void snapshotWhenEveryAnswerIsCutShortIsIncompleteAndKeepsNothing() {
		stubSnapshot(json(200, "[" + WatcherBodies.live(ID, INFO_ITEM_ID) + ","));
		CollectingSink sink = new CollectingSink();
		WatcherSnapshot snapshot = client().snapshot(new SnapshotProperties(10, Duration.ofSeconds(30)), sink);
		assertThat(snapshot.complete()).isFalse();
		assertThat(snapshot.attempts()).isEqualTo(MAX_ATTEMPTS);
		assertThat(snapshot.failure()).startsWith("list: ").endsWith("(" + MAX_ATTEMPTS + " attempts)");
		assertThat(sink.items).isEmpty();
	}

	@Test
	void snapshotWhenTheListHasMoreItemsThanItsLimitIsIncompleteWithoutAskingAgain() {
		stubSnapshot(json(200, list(WatcherBodies.live(ID, INFO_ITEM_ID), WatcherBodies.live(OTHER_ID, null))));
		CollectingSink sink = new CollectingSink();
		WatcherSnapshot snapshot = client().snapshot(new SnapshotProperties(1, Duration.ofSeconds(30)), sink);
		assertThat(snapshot.complete()).isFalse();
		assertThat(snapshot.failure()).contains("more than 1 WatchedItems (--snapshot-max-items)");
		assertThat(snapshot.attempts()).isOne();
		assertThat(sink.items).isEmpty();
	}

	@Test
	void snapshotWhenTheRouteIsRefusedIsIncompleteWithoutAskingAgain() {
		stubSnapshot(json(404, "{\"detail\":\"Not Found\"}"));
		CollectingSink sink = new CollectingSink();
		WatcherSnapshot snapshot = client().snapshot(new SnapshotProperties(10, Duration.ofSeconds(30)), sink);
		assertThat(snapshot.complete()).isFalse();
		assertThat(snapshot.failure()).startsWith("list answered unexpected HTTP 404");
		assertThat(snapshot.attempts()).isOne();
	}

	@Test
	void snapshotWhenItsTimeoutHasPassedBeforeTheFirstRequestSendsNone() {
		stubSnapshot(json(200, "[]"));
		WatcherSnapshot snapshot = client().snapshot(new SnapshotProperties(10, Duration.ofNanos(1)),
				new CollectingSink());
		assertThat(snapshot.complete()).isFalse();
		assertThat(snapshot.failure()).startsWith("not taken within");
		assertThat(snapshot.attempts()).isZero();
		watcher.verify(0, anyRequestedFor(anyUrl()));
	}

	@Test
	void snapshotWhenTheRunStopsSendsNothingMore() {
		stubSnapshot(json(200, "[]"));
		WatcherClient client = client();
		client.stop();
		WatcherSnapshot snapshot = client.snapshot(new SnapshotProperties(10, Duration.ofSeconds(30)),
				new CollectingSink());
		assertThat(snapshot.complete()).isFalse();
		assertThat(snapshot.failure()).isEqualTo("not asked: the run is stopping");
		watcher.verify(0, anyRequestedFor(anyUrl()));
	}

	@Test
	void snapshotWhenRefusedAfterAWholeBatchForgetsWhatItTook() {
		// given one batch more than the limit allows: the first batch reached the sink
		List<String> items = new ArrayList<>();
		for (int i = 0; i < SnapshotSink.BATCH + 2; i++) {
			items.add(WatcherBodies.live(String.format("01HZZWATCHER%014d", i), null));
		}
		stubSnapshot(json(200, list(items.toArray(String[]::new))));
		CollectingSink sink = new CollectingSink();
		// when
		WatcherSnapshot snapshot = client()
			.snapshot(new SnapshotProperties(SnapshotSink.BATCH + 1, Duration.ofSeconds(30)), sink);
		// then
		assertThat(snapshot.complete()).isFalse();
		assertThat(snapshot.failure()).contains("(--snapshot-max-items)");
		assertThat(sink.accepted).isEqualTo(SnapshotSink.BATCH);
		assertThat(sink.items).isEmpty();
	}

	private static WatcherClient client() {
		return new WatcherClient(new WatcherProperties(watcher.baseUrl(), API_KEY, Duration.ofMillis(500),
				Duration.ofSeconds(2), Duration.ofSeconds(30), MAX_ATTEMPTS, Duration.ofMillis(10),
				Duration.ofMillis(40), Duration.ofSeconds(1), 0));
	}

	private static void stubSearch(ResponseDefinitionBuilder answer) {
		watcher.stubFor(get(urlEqualTo(SEARCH)).willReturn(answer));
	}

	private static void stubSnapshot(ResponseDefinitionBuilder answer) {
		watcher.stubFor(get(urlPathEqualTo(FakeWatcher.WATCHED_ITEMS_PATH)).willReturn(answer));
	}

	private static String list(String... items) {
		return "[" + String.join(",", items) + "]";
	}

	private static ResponseDefinitionBuilder json(int status, String body) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
	}

	private static final class CollectingSink implements SnapshotSink {

		private final List<SnapshotItem> items = new ArrayList<>();

		private int discards;

		private int accepted;

		@Override
		public void accept(List<SnapshotItem> batch) {
			this.items.addAll(batch);
			this.accepted += batch.size();
		}

		@Override
		public void discard() {
			this.items.clear();
			this.discards++;
		}

	}

}
