package io.cannobserv.reconciler.reconcile;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.cannobserv.reconciler.archiver.InfoItemPointer;
import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.support.WatcherBodies;
import io.cannobserv.reconciler.watcher.WatcherAuthenticationException;
import io.cannobserv.reconciler.watcher.WatcherClient;
import io.cannobserv.reconciler.watcher.WatcherProperties;

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
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Tests for {@link WatcherPointerClassifier} against a real HTTP server answering with
 * Watcher's real bodies: every lookup outcome maps to one verdict, and a pointer that is
 * not a ULID never leaves the process.
 */
class WatcherPointerClassifierTests {

	private static final String API_KEY = "test-key";

	private static final String INFO_ITEM_ID = "01HZZ000000000000000000003";

	private static final String OTHER_INFO_ITEM_ID = "01HZZ000000000000000000004";

	private static final String WATCHED_ID = "01HZZWATCHER00000000000001";

	private static final int MAX_ATTEMPTS = 2;

	@RegisterExtension
	static WireMockExtension watcher = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Test
	void processWhenItemLinksBackReturnsLive() {
		// given
		InfoItemPointer pointer = new InfoItemPointer(INFO_ITEM_ID, WATCHED_ID);
		stubItem(WATCHED_ID, json(200, WatcherBodies.live(WATCHED_ID, INFO_ITEM_ID)));
		// when
		PointerVerdict verdict = classifier().process(pointer);
		// then
		assertThat(verdict.outcome()).isEqualTo(Outcome.LIVE);
		assertThat(verdict.httpStatus()).isEqualTo(200);
		assertThat(verdict.evidence()).isEqualTo("HTTP 200 active");
		assertThat(verdict.pointer()).isSameAs(pointer);
		assertOnlyRequestsFor(WATCHED_ID, 1);
	}

	@Test
	void processWhenItemLinksToNoInfoItemReturnsLive() {
		// given: archiver_info_item_id is nullable; no back link is no contradiction
		InfoItemPointer pointer = new InfoItemPointer(INFO_ITEM_ID, WATCHED_ID);
		stubItem(WATCHED_ID, json(200, WatcherBodies.live(WATCHED_ID, null)));
		// when
		PointerVerdict verdict = classifier().process(pointer);
		// then
		assertThat(verdict.outcome()).isEqualTo(Outcome.LIVE);
		assertThat(verdict.httpStatus()).isEqualTo(200);
		assertOnlyRequestsFor(WATCHED_ID, 1);
	}

	@Test
	void processWhenPointerIsLargestUlidSendsIt() {
		// given: '7' is the last first character that fits 128 bits; it must not be
		// refused
		String largest = "7ZZZZZZZZZZZZZZZZZZZZZZZZZ";
		InfoItemPointer pointer = new InfoItemPointer(INFO_ITEM_ID, largest);
		stubItem(largest, json(200, WatcherBodies.live(largest, INFO_ITEM_ID)));
		// when
		PointerVerdict verdict = classifier().process(pointer);
		// then
		assertThat(verdict.outcome()).isEqualTo(Outcome.LIVE);
		assertOnlyRequestsFor(largest, 1);
	}

	@Test
	void processWhenItemArchivedReturnsArchived() {
		// given: archived still exists, so the pointer is not stale
		InfoItemPointer pointer = new InfoItemPointer(INFO_ITEM_ID, WATCHED_ID);
		stubItem(WATCHED_ID, json(200, WatcherBodies.archived(WATCHED_ID, INFO_ITEM_ID)));
		// when
		PointerVerdict verdict = classifier().process(pointer);
		// then
		assertThat(verdict.outcome()).isEqualTo(Outcome.ARCHIVED);
		assertThat(verdict.httpStatus()).isEqualTo(200);
		assertThat(verdict.evidence()).isEqualTo("HTTP 200 archived_at=2026-06-12T09:30:00Z");
		assertThat(verdict.pointer()).isSameAs(pointer);
		assertOnlyRequestsFor(WATCHED_ID, 1);
	}

	@Test
	void processWhenTypedNotFoundReturnsGone() {
		// given
		InfoItemPointer pointer = new InfoItemPointer(INFO_ITEM_ID, WATCHED_ID);
		stubItem(WATCHED_ID, json(404, WatcherBodies.WATCHED_ITEM_NOT_FOUND));
		// when
		PointerVerdict verdict = classifier().process(pointer);
		// then
		assertThat(verdict.outcome()).isEqualTo(Outcome.GONE);
		assertThat(verdict.httpStatus()).isEqualTo(404);
		assertThat(verdict.evidence()).isEqualTo("HTTP 404 {\"detail\":\"WatchedItem not found\"}");
		assertThat(verdict.pointer()).isSameAs(pointer);
		assertOnlyRequestsFor(WATCHED_ID, 1);
	}

	static Stream<Arguments> untypedNotFounds() {
		return Stream.of(arguments("resource not found", json(404, WatcherBodies.RESOURCE_NOT_FOUND)),
				arguments("route not found", json(404, WatcherBodies.ROUTE_NOT_FOUND)),
				arguments("nginx HTML",
						aResponse().withStatus(404)
							.withHeader("Content-Type", "text/html")
							.withBody(WatcherBodies.NGINX_NOT_FOUND)),
				arguments("empty body", aResponse().withStatus(404)), arguments("typed detail plus a field",
						json(404, "{\"detail\":\"WatchedItem not found\",\"extra\":1}")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("untypedNotFounds")
	void processWhenOtherNotFoundReturnsUnconfirmed(String label, ResponseDefinitionBuilder answer) {
		// given: a wrong base URL or an ingress answers 404 too; only the typed one is
		// proof
		InfoItemPointer pointer = new InfoItemPointer(INFO_ITEM_ID, WATCHED_ID);
		stubItem(WATCHED_ID, answer);
		// when
		PointerVerdict verdict = classifier().process(pointer);
		// then
		assertThat(verdict.outcome()).isEqualTo(Outcome.NOT_FOUND_UNCONFIRMED);
		assertThat(verdict.httpStatus()).isEqualTo(404);
		assertThat(verdict.evidence()).startsWith("HTTP 404");
		assertOnlyRequestsFor(WATCHED_ID, 1);
	}

	@Test
	void processWhenWatcherKeepsFailingReturnsTransient() {
		// given
		InfoItemPointer pointer = new InfoItemPointer(INFO_ITEM_ID, WATCHED_ID);
		stubItem(WATCHED_ID,
				aResponse().withStatus(500)
					.withHeader("Content-Type", "text/plain; charset=utf-8")
					.withBody(WatcherBodies.INTERNAL_SERVER_ERROR));
		// when
		PointerVerdict verdict = classifier().process(pointer);
		// then
		assertThat(verdict.outcome()).isEqualTo(Outcome.TRANSIENT);
		assertThat(verdict.httpStatus()).isEqualTo(500);
		assertThat(verdict.evidence()).isEqualTo("HTTP 500 Internal Server Error (1 attempt)");
		assertThat(verdict.pointer()).isSameAs(pointer);
		// asked once: the recheck's rounds ask again, not the classifier
		assertOnlyRequestsFor(WATCHED_ID, 1);
	}

	@Test
	void processWhenUnexpectedStatusReturnsTransient() {
		// given: a 410 from a proxy is not Watcher's proof of deletion
		InfoItemPointer pointer = new InfoItemPointer(INFO_ITEM_ID, WATCHED_ID);
		stubItem(WATCHED_ID, json(410, "{\"detail\":\"Gone\"}"));
		// when
		PointerVerdict verdict = classifier().process(pointer);
		// then
		assertThat(verdict.outcome()).isEqualTo(Outcome.TRANSIENT);
		assertThat(verdict.httpStatus()).isEqualTo(410);
		assertOnlyRequestsFor(WATCHED_ID, 1);
	}

	@Test
	void processWhenKeyRejectedThrows() {
		// given: a wrong key must stop the run, not become a verdict that a writer could
		// act on
		InfoItemPointer pointer = new InfoItemPointer(INFO_ITEM_ID, WATCHED_ID);
		stubItem(WATCHED_ID, json(401, WatcherBodies.INVALID_API_KEY));
		WatcherPointerClassifier classifier = classifier();
		// when, then
		assertThatExceptionOfType(WatcherAuthenticationException.class).isThrownBy(() -> classifier.process(pointer))
			.withMessageNotContaining(API_KEY);
		assertOnlyRequestsFor(WATCHED_ID, 1);
	}

	@Test
	void processWhenItemLinksToAnotherInfoItemReturnsMismatched() {
		// given
		InfoItemPointer pointer = new InfoItemPointer(INFO_ITEM_ID, WATCHED_ID);
		stubItem(WATCHED_ID, json(200, WatcherBodies.live(WATCHED_ID, OTHER_INFO_ITEM_ID)));
		// when
		PointerVerdict verdict = classifier().process(pointer);
		// then
		assertThat(verdict.outcome()).isEqualTo(Outcome.MISMATCHED);
		assertThat(verdict.httpStatus()).isEqualTo(200);
		assertThat(verdict.pointer()).isSameAs(pointer);
		assertOnlyRequestsFor(WATCHED_ID, 1);
	}

	@Test
	void processWhenArchivedItemLinksToAnotherInfoItemReturnsMismatched() {
		// given: the mismatch matters more than the archive state
		InfoItemPointer pointer = new InfoItemPointer(INFO_ITEM_ID, WATCHED_ID);
		stubItem(WATCHED_ID, json(200, WatcherBodies.archived(WATCHED_ID, OTHER_INFO_ITEM_ID)));
		// when
		PointerVerdict verdict = classifier().process(pointer);
		// then
		assertThat(verdict.outcome()).isEqualTo(Outcome.MISMATCHED);
		assertThat(verdict.httpStatus()).isEqualTo(200);
		assertOnlyRequestsFor(WATCHED_ID, 1);
	}

	static Stream<Arguments> malformedPointers() {
		String ulid = WATCHED_ID;
		String head = ulid.substring(0, 25);
		return Stream.of(arguments("blank", ""), arguments("one space", " "), arguments("leading spaces", "   " + ulid),
				arguments("trailing space", ulid + " "), arguments("trailing newline", ulid + "\n"),
				arguments("lowercase", ulid.toLowerCase(Locale.ROOT)), arguments("25 chars", ulid.substring(1)),
				arguments("27 chars", ulid + "0"), arguments("path traversal", "../admin"),
				arguments("encoded slash", "%2F.."), arguments("slash", "a/b"),
				arguments("query", "?archiver_info_item_id=" + ulid), arguments("non-ASCII letter", head + "É"),
				arguments("full-width digit", "\uFF10" + ulid.substring(1)), arguments("single quote", "'"),
				arguments("double quote", "\""), arguments("SQL fragment", "x' OR '1'='1"),
				arguments("first char 8 (overflow)", "8" + ulid.substring(1)),
				arguments("first char Z (overflow)", "Z" + ulid.substring(1)), arguments("letter I", head + "I"),
				arguments("letter L", head + "L"), arguments("letter O", head + "O"),
				arguments("letter U", head + "U"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformedPointers")
	void processWhenPointerIsNotUlidReturnsMalformedWithoutRequest(String label, String watcherItemId) {
		// given: Watcher would answer every id, so any request at all would be a leak
		InfoItemPointer pointer = new InfoItemPointer(INFO_ITEM_ID, watcherItemId);
		watcher.stubFor(get(anyUrl()).willReturn(json(200, WatcherBodies.live(WATCHED_ID, INFO_ITEM_ID))));
		// when
		PointerVerdict verdict = classifier().process(pointer);
		// then
		assertThat(verdict.outcome()).isEqualTo(Outcome.MALFORMED);
		assertThat(verdict.httpStatus()).isZero();
		assertThat(verdict.evidence()).isEqualTo("not a ULID, never sent to Watcher");
		assertThat(verdict.pointer()).isSameAs(pointer);
		assertThat(watcher.getAllServeEvents()).isEmpty();
	}

	@Test
	void processWhenListedInTheSnapshotJudgesWithoutARequest() {
		// the snapshot's entry is judged as a lookup by id of the same WatchedItem would
		// be
		assertListed(new InfoItemPointer.Listed(INFO_ITEM_ID, false), Outcome.LIVE, "listed in the snapshot: active");
		assertListed(new InfoItemPointer.Listed(null, false), Outcome.LIVE, "listed in the snapshot: active");
		assertListed(new InfoItemPointer.Listed(INFO_ITEM_ID, true), Outcome.ARCHIVED,
				"listed in the snapshot: archived");
		assertListed(new InfoItemPointer.Listed(OTHER_INFO_ITEM_ID, false), Outcome.MISMATCHED,
				"listed in the snapshot: active, links back to InfoItem " + OTHER_INFO_ITEM_ID);
		assertListed(new InfoItemPointer.Listed(OTHER_INFO_ITEM_ID, true), Outcome.MISMATCHED,
				"listed in the snapshot: archived, links back to InfoItem " + OTHER_INFO_ITEM_ID);
		assertThat(watcher.getAllServeEvents()).isEmpty();
	}

	@Test
	void processWhenFirstPassMeetsATransientAnswerAsksOnceAndLeavesItToTheRecheck() {
		// given
		InfoItemPointer pointer = new InfoItemPointer(INFO_ITEM_ID, WATCHED_ID);
		stubItem(WATCHED_ID, aResponse().withStatus(503).withBody("busy"));
		// when
		PointerVerdict verdict = WatcherPointerClassifier.firstPass(client(), false).process(pointer);
		// then
		assertThat(verdict.outcome()).isEqualTo(Outcome.TRANSIENT);
		assertOnlyRequestsFor(WATCHED_ID, 1);
	}

	@Test
	void processWhenGoneAndRelinkingSearchesTheListAndMovesThePointer() {
		// given a deleted WatchedItem, and exactly one other that tracks the InfoItem
		String movedTo = "01HZZWATCHER00000000000002";
		InfoItemPointer pointer = new InfoItemPointer(INFO_ITEM_ID, WATCHED_ID);
		stubItem(WATCHED_ID, json(404, WatcherBodies.WATCHED_ITEM_NOT_FOUND));
		stubItem(movedTo, json(200, WatcherBodies.live(movedTo, INFO_ITEM_ID)));
		stubLinks("[" + WatcherBodies.live(movedTo, INFO_ITEM_ID) + "]");
		// when
		PointerVerdict first = WatcherPointerClassifier.firstPass(client(), true).process(pointer);
		PointerVerdict recheck = WatcherPointerClassifier.lastRound(client(), true).process(pointer);
		// then
		for (PointerVerdict verdict : List.of(first, recheck)) {
			assertThat(verdict.outcome()).isEqualTo(Outcome.MOVED);
			assertThat(verdict.relink()).isNotNull();
			assertThat(verdict.relink().watchedItemId()).isEqualTo(movedTo);
		}
	}

	@Test
	void processWhenMismatchedAndRelinkingSearchesTheList() {
		// given a WatchedItem that links back to another InfoItem, and none that tracks
		// this one
		InfoItemPointer pointer = new InfoItemPointer(INFO_ITEM_ID, WATCHED_ID);
		stubItem(WATCHED_ID, json(200, WatcherBodies.live(WATCHED_ID, OTHER_INFO_ITEM_ID)));
		stubLinks("[]");
		// when
		PointerVerdict verdict = WatcherPointerClassifier.lastRound(client(), true).process(pointer);
		// then: kept as mismatched, and the search says why it did not re-link
		assertThat(verdict.outcome()).isEqualTo(Outcome.MISMATCHED);
		assertThat(verdict.evidence()).contains("not re-linked: list HTTP 200: 0 WatchedItem(s) link back");
		watcher.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/watched-items")));
	}

	@Test
	void processWhenLiveOrArchivedAndRelinkingDoesNotSearch() {
		// given
		stubItem(WATCHED_ID, json(200, WatcherBodies.live(WATCHED_ID, INFO_ITEM_ID)));
		String archivedId = "01HZZWATCHER00000000000005";
		stubItem(archivedId, json(200, WatcherBodies.archived(archivedId, INFO_ITEM_ID)));
		stubLinks("[]");
		WatcherPointerClassifier classifier = WatcherPointerClassifier.lastRound(client(), true);
		// when
		PointerVerdict live = classifier.process(new InfoItemPointer(INFO_ITEM_ID, WATCHED_ID));
		PointerVerdict archived = classifier.process(new InfoItemPointer(INFO_ITEM_ID, archivedId));
		// then
		assertThat(live.outcome()).isEqualTo(Outcome.LIVE);
		assertThat(archived.outcome()).isEqualTo(Outcome.ARCHIVED);
		watcher.verify(0, getRequestedFor(urlPathEqualTo("/api/v1/watched-items")));
	}

	private static void assertListed(InfoItemPointer.Listed listed, Outcome outcome, String evidence) {
		PointerVerdict verdict = classifier().process(new InfoItemPointer(INFO_ITEM_ID, WATCHED_ID, listed));
		assertThat(verdict.outcome()).as(evidence).isEqualTo(outcome);
		assertThat(verdict.httpStatus()).isEqualTo(200);
		assertThat(verdict.evidence()).isEqualTo(evidence);
	}

	private static void stubLinks(String list) {
		watcher.stubFor(get(urlPathEqualTo("/api/v1/watched-items")).willReturn(json(200, list)));
	}

	private static WatcherPointerClassifier classifier() {
		return WatcherPointerClassifier.lastRound(client(), false);
	}

	private static WatcherClient client() {
		return new WatcherClient(new WatcherProperties(watcher.baseUrl(), API_KEY, Duration.ofMillis(500),
				Duration.ofSeconds(2), Duration.ofSeconds(30), MAX_ATTEMPTS, Duration.ofMillis(10),
				Duration.ofMillis(40), Duration.ofSeconds(1), 0));
	}

	private static void stubItem(String watchedId, ResponseDefinitionBuilder answer) {
		watcher.stubFor(get(urlPathEqualTo("/api/v1/watched-items/" + watchedId)).willReturn(answer));
	}

	/** Exactly {@code count} keyed GETs of the item's exact path, and nothing else. */
	private static void assertOnlyRequestsFor(String watchedId, int count) {
		watcher.verify(count, getRequestedFor(urlEqualTo("/api/v1/watched-items/" + watchedId)).withHeader("X-API-Key",
				equalTo(API_KEY)));
		watcher.verify(count, anyRequestedFor(anyUrl()));
	}

	private static ResponseDefinitionBuilder json(int status, String body) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
	}

}
