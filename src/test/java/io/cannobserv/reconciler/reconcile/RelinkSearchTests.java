package io.cannobserv.reconciler.reconcile;

import java.time.Duration;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cannobserv.reconciler.archiver.InfoItemPointer;
import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.support.WatcherBodies;
import io.cannobserv.reconciler.watcher.WatcherClient;
import io.cannobserv.reconciler.watcher.WatcherProperties;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RelinkSearch} against a real HTTP server answering with Watcher's real
 * bodies: a stale pointer is re-linked only to the one WatchedItem the list names and a
 * lookup of it confirms; every other answer keeps the verdict and says why, and a search
 * without an answer is asked again by the recheck, never guessed.
 */
class RelinkSearchTests {

	private static final String INFO_ITEM_ID = "01HZZ000000000000000000003";

	private static final String OTHER_INFO_ITEM_ID = "01HZZ000000000000000000004";

	private static final String POINTER = "01HZZWATCHER00000000000001";

	private static final String CANDIDATE = "01HZZWATCHER00000000000002";

	private static final String LIST_PATH = "/api/v1/watched-items";

	private static final PointerVerdict GONE = new PointerVerdict(new InfoItemPointer(INFO_ITEM_ID, POINTER),
			Outcome.GONE, 404, "HTTP 404 WatchedItem not found");

	@RegisterExtension
	static WireMockExtension watcher = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@Test
	void searchWhenTheListNamesOneAndItsLookupConfirmsMovesThePointer() {
		// given
		stubList(json(200, list(WatcherBodies.live(CANDIDATE, INFO_ITEM_ID))));
		stubItem(CANDIDATE, json(200, WatcherBodies.live(CANDIDATE, INFO_ITEM_ID)));
		// when
		PointerVerdict verdict = RelinkSearch.lastRound(client()).search(GONE);
		// then
		assertThat(verdict.outcome()).isEqualTo(Outcome.MOVED);
		assertThat(verdict.httpStatus()).isEqualTo(404);
		assertThat(verdict.evidence()).isEqualTo(GONE.evidence());
		assertThat(verdict.relink()).isNotNull();
		assertThat(verdict.relink().watchedItemId()).isEqualTo(CANDIDATE);
		assertThat(verdict.relink().listEvidence())
			.isEqualTo("list HTTP 200: 1 WatchedItem(s) link back to " + INFO_ITEM_ID + " (" + CANDIDATE + ")");
		assertThat(verdict.relink().confirmEvidence())
			.isEqualTo("lookup of " + CANDIDATE + ": HTTP 200 active, links back to " + INFO_ITEM_ID);
	}

	@Test
	void searchWhenTheConfirmedOneIsArchivedMovesThePointerAllTheSame() {
		stubList(json(200, list(WatcherBodies.archived(CANDIDATE, INFO_ITEM_ID))));
		stubItem(CANDIDATE, json(200, WatcherBodies.archived(CANDIDATE, INFO_ITEM_ID)));
		PointerVerdict verdict = RelinkSearch.firstPass(client()).search(GONE);
		assertThat(verdict.outcome()).isEqualTo(Outcome.MOVED);
		assertThat(verdict.relink().watchedItemId()).isEqualTo(CANDIDATE);
	}

	@Test
	void searchWhenTheInfoItemIdIsNoUlidSendsNothing() {
		PointerVerdict stale = new PointerVerdict(new InfoItemPointer("legacy-42", POINTER), Outcome.GONE, 404,
				"HTTP 404 WatchedItem not found");
		PointerVerdict verdict = RelinkSearch.lastRound(client()).search(stale);
		assertKept(verdict, "not re-linked: the InfoItem id is not a ULID, never sent to Watcher");
		watcher.verify(0, anyRequestedFor(anyUrl()));
	}

	@Test
	void searchWhenNoneOrSeveralLinkBackKeepsTheVerdict() {
		stubList(json(200, "[]"));
		assertKept(RelinkSearch.lastRound(client()).search(GONE),
				"not re-linked: list HTTP 200: 0 WatchedItem(s) link back to " + INFO_ITEM_ID);
		watcher.resetAll();
		stubList(json(200, list(WatcherBodies.live(CANDIDATE, INFO_ITEM_ID),
				WatcherBodies.live("01HZZWATCHER00000000000003", INFO_ITEM_ID))));
		PointerVerdict verdict = RelinkSearch.lastRound(client()).search(GONE);
		assertThat(verdict.outcome()).isEqualTo(Outcome.GONE);
		assertThat(verdict.evidence()).contains("not re-linked: list HTTP 200: 2 WatchedItem(s) link back");
		watcher.verify(0, getRequestedFor(urlPathEqualTo(LIST_PATH + "/" + CANDIDATE)));
	}

	@Test
	void searchWhenTheListNamesThePointersOwnItemKeepsTheVerdict() {
		// a list that lies: it names the WatchedItem that was just found deleted
		stubList(json(200, list(WatcherBodies.live(POINTER, INFO_ITEM_ID))));
		PointerVerdict verdict = RelinkSearch.lastRound(client()).search(GONE);
		assertThat(verdict.outcome()).isEqualTo(Outcome.GONE);
		assertThat(verdict.evidence()).contains("not re-linked: the list names the pointer's own WatchedItem: ");
		watcher.verify(0, getRequestedFor(urlPathEqualTo(LIST_PATH + "/" + POINTER)));
	}

	@Test
	void searchWhenTheLookupFindsTheCandidateDeletedKeepsTheVerdict() {
		stubList(json(200, list(WatcherBodies.live(CANDIDATE, INFO_ITEM_ID))));
		stubItem(CANDIDATE, json(404, WatcherBodies.WATCHED_ITEM_NOT_FOUND));
		PointerVerdict verdict = RelinkSearch.lastRound(client()).search(GONE);
		assertThat(verdict.outcome()).isEqualTo(Outcome.GONE);
		assertThat(verdict.evidence()).contains(", but the lookup of " + CANDIDATE)
			.endsWith(" did not confirm")
			.doesNotContain("links back to " + OTHER_INFO_ITEM_ID);
	}

	@Test
	void searchWhenTheLookupFindsTheCandidateLinkedElsewhereKeepsTheVerdict() {
		stubList(json(200, list(WatcherBodies.live(CANDIDATE, INFO_ITEM_ID))));
		stubItem(CANDIDATE, json(200, WatcherBodies.live(CANDIDATE, OTHER_INFO_ITEM_ID)));
		PointerVerdict verdict = RelinkSearch.lastRound(client()).search(GONE);
		assertThat(verdict.outcome()).isEqualTo(Outcome.GONE);
		assertThat(verdict.evidence()).endsWith(" did not confirm (links back to " + OTHER_INFO_ITEM_ID + ")");
	}

	@Test
	void searchWhenTheLookupFindsTheCandidateUnlinkedKeepsTheVerdict() {
		stubList(json(200, list(WatcherBodies.live(CANDIDATE, INFO_ITEM_ID))));
		stubItem(CANDIDATE, json(200, WatcherBodies.live(CANDIDATE, null)));
		PointerVerdict verdict = RelinkSearch.lastRound(client()).search(GONE);
		assertThat(verdict.outcome()).isEqualTo(Outcome.GONE);
		assertThat(verdict.evidence()).endsWith(" did not confirm (links back to null)");
	}

	@Test
	void searchWhenTheListDoesNotAnswerLeavesTheFirstPassTransientAndTheRecheckKept() {
		stubList(aResponse().withStatus(503).withBody("busy"));
		PointerVerdict first = RelinkSearch.firstPass(client()).search(GONE);
		assertThat(first.outcome()).isEqualTo(Outcome.TRANSIENT);
		assertThat(first.httpStatus()).isEqualTo(503);
		assertThat(first.evidence()).startsWith(GONE.evidence() + "; re-link asked again later, no answer: list: ");
		PointerVerdict last = RelinkSearch.lastRound(client()).search(GONE);
		assertThat(last.outcome()).isEqualTo(Outcome.GONE);
		assertThat(last.evidence()).startsWith(GONE.evidence() + "; not re-linked, no answer: list: ");
	}

	@Test
	void searchWhenTheConfirmingLookupDoesNotAnswerLeavesTheFirstPassTransientAndTheRecheckKept() {
		stubList(json(200, list(WatcherBodies.live(CANDIDATE, INFO_ITEM_ID))));
		stubItem(CANDIDATE, aResponse().withStatus(502).withBody("bad gateway"));
		PointerVerdict first = RelinkSearch.firstPass(client()).search(GONE);
		assertThat(first.outcome()).isEqualTo(Outcome.TRANSIENT);
		assertThat(first.httpStatus()).isEqualTo(502);
		assertThat(first.evidence()).contains("re-link asked again later, no answer: lookup of " + CANDIDATE);
		PointerVerdict last = RelinkSearch.lastRound(client()).search(GONE);
		assertThat(last.outcome()).isEqualTo(Outcome.GONE);
		assertThat(last.evidence()).contains("not re-linked, no answer: lookup of " + CANDIDATE);
	}

	private static void assertKept(PointerVerdict verdict, String note) {
		assertThat(verdict.outcome()).isEqualTo(GONE.outcome());
		assertThat(verdict.relink()).isNull();
		assertThat(verdict.evidence()).isEqualTo(GONE.evidence() + "; " + note);
	}

	private static WatcherClient client() {
		return new WatcherClient(new WatcherProperties(watcher.baseUrl(), "relink-key", Duration.ofMillis(500),
				Duration.ofSeconds(2), Duration.ofSeconds(30), 2, Duration.ofMillis(10), Duration.ofMillis(40),
				Duration.ofSeconds(1), 0));
	}

	private static void stubList(ResponseDefinitionBuilder answer) {
		watcher.stubFor(get(urlPathEqualTo(LIST_PATH)).willReturn(answer));
	}

	private static void stubItem(String id, ResponseDefinitionBuilder answer) {
		watcher.stubFor(get(urlPathEqualTo(LIST_PATH + "/" + id)).willReturn(answer));
	}

	private static String list(String... items) {
		return "[" + String.join(",", items) + "]";
	}

	private static ResponseDefinitionBuilder json(int status, String body) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
	}

}
