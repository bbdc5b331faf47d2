package io.cannobserv.reconciler.watcher;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.cannobserv.reconciler.link.LinkFile;
import io.cannobserv.reconciler.run.ReconcilerProperties;
import io.cannobserv.reconciler.run.Strategy;
import io.cannobserv.reconciler.support.WatcherBodies;
import io.cannobserv.reconciler.watcher.WatchedItemLookup.Outcome;

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
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Tests for {@link WatcherClient} against a real HTTP server answering with Watcher's
 * real bodies ({@code watcher-contract.md}), plus {@link RetryAfter} and
 * {@link WatcherProperties}.
 */
class WatcherClientTests {

	private static final String API_KEY = "test-key";

	private static final String ID = "01HZZWATCHER00000000000001";

	private static final String INFO_ITEM_ID = "01HZZ000000000000000000003";

	private static final String OTHER_ID = "01HZZWATCHER00000000000002";

	private static final String ITEM_PATH = "/api/v1/watched-items/" + ID;

	private static final int MAX_ATTEMPTS = 3;

	// generous, so that a cold server on a busy CI machine is not mistaken for a timeout
	private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration SHORT_READ_TIMEOUT = Duration.ofMillis(300);

	@RegisterExtension
	static WireMockExtension watcher = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	// where a redirect would lead: it must never see a request (nor the key)
	@RegisterExtension
	static WireMockExtension otherHost = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort())
		.build();

	@BeforeAll
	static void warmUp() {
		// one retried lookup first, so that timing assertions measure waits, not class
		// loading and JIT on a busy machine; the extension resets stubs and journal after
		stubInScenario(Scenario.STARTED, "failed once", plain(503, "Service Unavailable"));
		stubInScenario("failed once", "answered", json(200, WatcherBodies.live(ID, INFO_ITEM_ID)));
		client().lookup(ID);
	}

	@Test
	void lookupWhenLiveItemReturnsActive() {
		// given
		stubItem(json(200, WatcherBodies.live(ID, INFO_ITEM_ID)));
		// when
		WatchedItemLookup lookup = client().lookup(ID);
		// then
		assertThat(lookup.outcome()).isEqualTo(Outcome.ACTIVE);
		assertThat(lookup.httpStatus()).isEqualTo(200);
		assertThat(lookup.evidence()).isEqualTo("HTTP 200 active");
		assertThat(lookup.archiverInfoItemId()).isEqualTo(INFO_ITEM_ID);
		assertThat(lookup.attempts()).isEqualTo(1);
		assertOnlyItemRequests(1);
	}

	@Test
	void lookupWhenLiveItemIsUnlinkedReturnsActiveWithoutBackLink() {
		// given
		stubItem(json(200, WatcherBodies.live(ID, null)));
		// when
		WatchedItemLookup lookup = client().lookup(ID);
		// then
		assertThat(lookup.outcome()).isEqualTo(Outcome.ACTIVE);
		assertThat(lookup.archiverInfoItemId()).isNull();
		assertOnlyItemRequests(1);
	}

	@Test
	void lookupWhenArchivedItemReturnsArchived() {
		// given: archived items still exist, Watcher answers 200 with archived_at set
		stubItem(json(200, WatcherBodies.archived(ID, INFO_ITEM_ID)));
		// when
		WatchedItemLookup lookup = client().lookup(ID);
		// then
		assertThat(lookup.outcome()).isEqualTo(Outcome.ARCHIVED);
		assertThat(lookup.httpStatus()).isEqualTo(200);
		assertThat(lookup.evidence()).isEqualTo("HTTP 200 archived_at=2026-06-12T09:30:00Z");
		assertThat(lookup.archiverInfoItemId()).isEqualTo(INFO_ITEM_ID);
		assertThat(lookup.attempts()).isEqualTo(1);
		assertOnlyItemRequests(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "2026-06-12T09:30:00Z", "2026-06-12T09:30:00+00:00", "2026-06-12T09:30:00.123456+00:00" })
	void lookupWhenArchivedAtInAnyIsoFormReturnsArchived(String archivedAt) {
		// given: Watcher's timestamps come both as ...Z and as Python's ...+00:00
		String body = WatcherBodies.archived(ID, INFO_ITEM_ID)
			.replace("\"archived_at\":\"2026-06-12T09:30:00Z\"", "\"archived_at\":\"" + archivedAt + "\"");
		assertThat(body).contains(archivedAt);
		stubItem(json(200, body));
		// when
		WatchedItemLookup lookup = client().lookup(ID);
		// then
		assertThat(lookup.outcome()).isEqualTo(Outcome.ARCHIVED);
		assertThat(lookup.evidence()).isEqualTo("HTTP 200 archived_at=" + archivedAt);
		assertOnlyItemRequests(1);
	}

	@Test
	void lookupWhenBodyHasUnknownFieldsIgnoresThem() {
		// given: a newer Watcher adds fields, objects and arrays
		String body = WatcherBodies.live(ID, INFO_ITEM_ID)
			.replaceFirst("^\\{", "{\"added_in_watcher_9\":{\"nested\":[1,2,{\"x\":null}]},\"priority\":7,");
		stubItem(json(200, body));
		// when
		WatchedItemLookup lookup = client().lookup(ID);
		// then
		assertThat(lookup.outcome()).isEqualTo(Outcome.ACTIVE);
		assertThat(lookup.archiverInfoItemId()).isEqualTo(INFO_ITEM_ID);
		assertOnlyItemRequests(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"detail\":\"WatchedItem not found\"}", "{\"detail\": \"WatchedItem not found\"}",
			"{ \"detail\" : \"WatchedItem not found\" }\n", "\n{\n  \"detail\": \"WatchedItem not found\"\n}\n" })
	void lookupWhenTypedNotFoundReturnsDeletedWithoutRetry(String body) {
		// given
		stubItem(json(404, body));
		// when
		WatchedItemLookup lookup = client().lookup(ID);
		// then
		assertThat(lookup.outcome()).isEqualTo(Outcome.DELETED);
		assertThat(lookup.httpStatus()).isEqualTo(404);
		assertThat(lookup.evidence()).startsWith("HTTP 404 {").contains("WatchedItem not found").doesNotContain("\n");
		assertThat(lookup.archiverInfoItemId()).isNull();
		assertThat(lookup.attempts()).isEqualTo(1);
		assertOnlyItemRequests(1);
	}

	@Test
	void lookupWhenTypedNotFoundFixtureReturnsDeleted() {
		// given: the exact bytes of the shared fixture
		stubItem(json(404, WatcherBodies.WATCHED_ITEM_NOT_FOUND));
		// when
		WatchedItemLookup lookup = client().lookup(ID);
		// then
		assertThat(lookup.outcome()).isEqualTo(Outcome.DELETED);
		assertThat(lookup.evidence()).isEqualTo("HTTP 404 {\"detail\":\"WatchedItem not found\"}");
		assertOnlyItemRequests(1);
	}

	static Stream<Arguments> untypedNotFounds() {
		return Stream.of(arguments("resource not found", "application/json", WatcherBodies.RESOURCE_NOT_FOUND),
				arguments("route not found", "application/json", WatcherBodies.ROUTE_NOT_FOUND),
				arguments("nginx HTML", "text/html", WatcherBodies.NGINX_NOT_FOUND),
				arguments("empty body", "application/json", ""),
				arguments("typed detail plus a field", "application/json",
						"{\"detail\":\"WatchedItem not found\",\"extra\":1}"),
				arguments("typed detail in an array", "application/json", "[{\"detail\":\"WatchedItem not found\"}]"),
				arguments("detail differs in case", "application/json", "{\"detail\":\"watcheditem not found\"}"),
				arguments("typed detail as plain text", "text/plain", "WatchedItem not found"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("untypedNotFounds")
	void lookupWhenOtherNotFoundReturnsUnconfirmedWithoutRetry(String label, String contentType, String body) {
		// given: any 404 but Watcher's typed one is no proof of deletion
		stubItem(aResponse().withStatus(404).withHeader("Content-Type", contentType).withBody(body));
		// when
		WatchedItemLookup lookup = client().lookup(ID);
		// then
		assertThat(lookup.outcome()).isEqualTo(Outcome.NOT_FOUND_UNCONFIRMED);
		assertThat(lookup.httpStatus()).isEqualTo(404);
		assertThat(lookup.evidence()).startsWith("HTTP 404").doesNotContain("\n").doesNotContain("\r");
		assertThat(lookup.archiverInfoItemId()).isNull();
		assertThat(lookup.attempts()).isEqualTo(1);
		assertOnlyItemRequests(1);
	}

	@Test
	void lookupWhenProxyNotFoundKeepsBodyOnOneLineInEvidence() {
		// given
		stubItem(aResponse().withStatus(404)
			.withHeader("Content-Type", "text/html")
			.withBody(WatcherBodies.NGINX_NOT_FOUND));
		// when
		WatchedItemLookup lookup = client().lookup(ID);
		// then: the report must show what answered, on one line
		assertThat(lookup.evidence()).startsWith("HTTP 404 <html> <head><title>404 Not Found</title>")
			.contains("nginx");
	}

	static Stream<Arguments> authenticationFailures() {
		return Stream.of(arguments(401, WatcherBodies.INVALID_API_KEY),
				arguments(403, WatcherBodies.NOT_AUTHENTICATED));
	}

	@ParameterizedTest(name = "HTTP {0}")
	@MethodSource("authenticationFailures")
	void lookupWhenKeyRejectedThrowsAfterOneRequest(int status, String body) {
		// given
		stubItem(json(status, body));
		WatcherClient client = client();
		// when, then
		assertThatExceptionOfType(WatcherAuthenticationException.class).isThrownBy(() -> client.lookup(ID))
			.withMessageContaining("HTTP " + status)
			.withMessageContaining(body)
			.withMessageContaining("WATCHER_API_KEY")
			.withMessageNotContaining(API_KEY);
		assertOnlyItemRequests(1);
	}

	static Stream<Arguments> transientAnswers() {
		String notTheItem = "200 without the WatchedItem " + ID + ":";
		// the last argument: requests per attempt at most (see the test)
		return Stream.of(
				arguments("500 uvicorn", plain(500, WatcherBodies.INTERNAL_SERVER_ERROR), 500,
						"HTTP 500 Internal Server Error", 1),
				arguments("502", plain(502, "Bad Gateway"), 502, "HTTP 502 Bad Gateway", 1),
				arguments("503", plain(503, "Service Unavailable"), 503, "HTTP 503 Service Unavailable", 1),
				arguments("504", plain(504, "Gateway Timeout"), 504, "HTTP 504 Gateway Timeout", 1),
				arguments("429 without Retry-After", plain(429, "Too Many Requests"), 429, "HTTP 429 Too Many Requests",
						1),
				arguments("connection reset", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), 0,
						"SocketException: Connection reset", 2),
				arguments("empty response", aResponse().withFault(Fault.EMPTY_RESPONSE), 0,
						"SocketException: Unexpected end of file", 2),
				arguments("malformed chunk", aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK), 200,
						"HTTP 200 answer's chunked encoding broken (", 1),
				arguments("random data", aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE), 0, "IOException", 1),
				arguments("200 larger than the body limit", json(200, " ".repeat(WatcherHttp.MAX_BODY_BYTES + 1)), 0,
						"IOException: answer larger than", 1),
				arguments("200 with an empty array", json(200, "[]"), 200, notTheItem + " []", 1),
				arguments("200 with the health body", json(200, WatcherBodies.HEALTH_OK), 200,
						notTheItem + " {\"status\":\"ok\"}", 1),
				arguments("200 with HTML",
						aResponse().withStatus(200)
							.withHeader("Content-Type", "text/html")
							.withBody("<html><body>Welcome to nginx!</body></html>"),
						200, notTheItem + " <html>", 1),
				arguments("200 with truncated JSON", json(200, "{\"id\":\"" + ID + "\",\"archiver_info_item_id\":"),
						200, notTheItem, 1),
				arguments("200 with an empty body", json(200, ""), 200, notTheItem, 1),
				arguments("200 with another WatchedItem", json(200, WatcherBodies.live(OTHER_ID, INFO_ITEM_ID)), 200,
						notTheItem + " {\"id\":\"" + OTHER_ID + "\"", 1),
				arguments("200 with the id under another name",
						json(200, WatcherBodies.live(ID, INFO_ITEM_ID).replace("\"id\":", "\"uid\":")), 200, notTheItem,
						1));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("transientAnswers")
	void lookupWhenTransientFailurePersistsRetriesThenReturnsUnavailable(String label, ResponseDefinitionBuilder answer,
			int expectedStatus, String expectedEvidence, int requestsPerAttempt) {
		// given
		stubItem(answer);
		// when
		WatchedItemLookup lookup = client().lookup(ID);
		// then
		assertThat(lookup.outcome()).isEqualTo(Outcome.UNAVAILABLE);
		assertThat(lookup.httpStatus()).isEqualTo(expectedStatus);
		assertThat(lookup.evidence()).contains(expectedEvidence)
			.endsWith("(" + MAX_ATTEMPTS + " attempts)")
			.doesNotContain("\n");
		assertThat(lookup.archiverInfoItemId()).isNull();
		assertThat(lookup.attempts()).isEqualTo(MAX_ATTEMPTS);
		if (requestsPerAttempt == 1) {
			assertOnlyItemRequests(MAX_ATTEMPTS);
		}
		else {
			// a GET whose kept-alive connection closes before any byte of the answer is
			// sent again once, unseen, as the JDK's clients do: up to two requests per
			// attempt, never more
			assertItemRequestsBetween(MAX_ATTEMPTS, requestsPerAttempt * MAX_ATTEMPTS);
		}
	}

	@Test
	void lookupWhenAnswerSlowerThanReadTimeoutRetriesThenReturnsUnavailable() {
		// given: the WatchedItem, but only after the read timeout
		int delayMillis = (int) SHORT_READ_TIMEOUT.toMillis() + 700;
		stubItem(json(200, WatcherBodies.live(ID, INFO_ITEM_ID)).withFixedDelay(delayMillis));
		WatcherClient client = client(new WatcherProperties(watcher.baseUrl(), API_KEY, Duration.ofMillis(500),
				SHORT_READ_TIMEOUT, Duration.ofSeconds(30), MAX_ATTEMPTS, Duration.ofMillis(10), Duration.ofMillis(40),
				Duration.ofSeconds(1), 0));
		// when
		long start = System.nanoTime();
		WatchedItemLookup lookup = client.lookup(ID);
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		// then: each attempt gave up at the timeout, not when the late answer came
		assertThat(lookup.outcome()).isEqualTo(Outcome.UNAVAILABLE);
		assertThat(lookup.httpStatus()).isZero();
		assertThat(lookup.evidence()).startsWith("SocketTimeoutException").endsWith("(" + MAX_ATTEMPTS + " attempts)");
		assertThat(lookup.archiverInfoItemId()).isNull();
		assertThat(lookup.attempts()).isEqualTo(MAX_ATTEMPTS);
		assertOnlyItemRequests(MAX_ATTEMPTS);
		assertThat(elapsed).isGreaterThanOrEqualTo(SHORT_READ_TIMEOUT.multipliedBy(MAX_ATTEMPTS))
			.isLessThan(Duration.ofSeconds(5));
	}

	@Test
	void lookupWhenServiceUnavailableTwiceThenLiveReturnsActive() {
		// given
		stubInScenario(Scenario.STARTED, "failed once", plain(503, "Service Unavailable"));
		stubInScenario("failed once", "failed twice", plain(503, "Service Unavailable"));
		stubInScenario("failed twice", "answered", json(200, WatcherBodies.live(ID, INFO_ITEM_ID)));
		// when
		WatchedItemLookup lookup = client().lookup(ID);
		// then
		assertThat(lookup.outcome()).isEqualTo(Outcome.ACTIVE);
		assertThat(lookup.httpStatus()).isEqualTo(200);
		assertThat(lookup.evidence()).isEqualTo("HTTP 200 active");
		assertThat(lookup.archiverInfoItemId()).isEqualTo(INFO_ITEM_ID);
		assertThat(lookup.attempts()).isEqualTo(3);
		assertOnlyItemRequests(3);
	}

	@Test
	void lookupWhenServiceUnavailableThenDeletedReturnsDeleted() {
		// given: a typed 404 after a transient failure still proves deletion
		stubInScenario(Scenario.STARTED, "failed once", plain(503, "Service Unavailable"));
		stubInScenario("failed once", "answered", json(404, WatcherBodies.WATCHED_ITEM_NOT_FOUND));
		// when
		WatchedItemLookup lookup = client().lookup(ID);
		// then
		assertThat(lookup.outcome()).isEqualTo(Outcome.DELETED);
		assertThat(lookup.attempts()).isEqualTo(2);
		assertOnlyItemRequests(2);
	}

	@Test
	@Timeout(10) // an uncapped wait must fail the test, not hang the build
	void lookupWhenTooManyRequestsWithRetryAfterWaitsBeforeRetrying() {
		// given
		stubInScenario(Scenario.STARTED, "throttled", plain(429, "Too Many Requests").withHeader("Retry-After", "1"));
		stubInScenario("throttled", "answered", json(200, WatcherBodies.live(ID, INFO_ITEM_ID)));
		WatcherClient client = client(properties(watcher.baseUrl(), MAX_ATTEMPTS, Duration.ofSeconds(5), 0));
		// when
		long start = System.nanoTime();
		WatchedItemLookup lookup = client.lookup(ID);
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		// then: the backoff alone (10-40 ms) would retry far sooner than the hint
		assertThat(lookup.outcome()).isEqualTo(Outcome.ACTIVE);
		assertThat(lookup.attempts()).isEqualTo(2);
		assertOnlyItemRequests(2);
		List<LoggedRequest> requests = itemRequestsOldestFirst();
		assertThat(requests).hasSize(2);
		long gapMillis = requests.get(1).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime();
		assertThat(gapMillis).isGreaterThanOrEqualTo(900);
		assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(900)).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	@Timeout(10) // an uncapped wait must fail the test, not hang the build
	void lookupWhenRetryAfterExceedsCapWaitsOnlyTheCap() {
		// given: a proxy asks for an hour; the cap is 200 ms
		stubItem(plain(429, "Too Many Requests").withHeader("Retry-After", "3600"));
		WatcherClient client = client(properties(watcher.baseUrl(), MAX_ATTEMPTS, Duration.ofMillis(200), 0));
		// when
		long start = System.nanoTime();
		WatchedItemLookup lookup = client.lookup(ID);
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		// then: two capped waits, not two hours, and not none
		assertThat(lookup.outcome()).isEqualTo(Outcome.UNAVAILABLE);
		assertThat(lookup.httpStatus()).isEqualTo(429);
		assertThat(lookup.attempts()).isEqualTo(MAX_ATTEMPTS);
		assertOnlyItemRequests(MAX_ATTEMPTS);
		assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(350)).isLessThan(Duration.ofSeconds(5));
	}

	@Test
	@Timeout(10) // an uncapped wait must fail the test, not hang the build
	void lookupWhenServiceUnavailableWithRetryAfterHonoursIt() {
		// given: a 503 may carry the hint too
		stubInScenario(Scenario.STARTED, "throttled", plain(503, "Service Unavailable").withHeader("Retry-After", "1"));
		stubInScenario("throttled", "answered", json(200, WatcherBodies.live(ID, INFO_ITEM_ID)));
		WatcherClient client = client(properties(watcher.baseUrl(), MAX_ATTEMPTS, Duration.ofMillis(500), 0));
		// when
		long start = System.nanoTime();
		WatchedItemLookup lookup = client.lookup(ID);
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		// then: waited the hint, cut to 500 ms (the backoff alone is 10-40 ms)
		assertThat(lookup.outcome()).isEqualTo(Outcome.ACTIVE);
		assertThat(lookup.attempts()).isEqualTo(2);
		assertOnlyItemRequests(2);
		assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(450)).isLessThan(Duration.ofSeconds(5));
	}

	static Stream<Arguments> unexpectedStatuses() {
		return Stream.of(arguments(400, "{\"detail\":\"Bad Request\"}"), arguments(410, "{\"detail\":\"Gone\"}"),
				arguments(418, "I'm a teapot"));
	}

	@ParameterizedTest(name = "HTTP {0}")
	@MethodSource("unexpectedStatuses")
	void lookupWhenUnexpectedStatusReturnsUnavailableWithoutRetry(int status, String body) {
		// given: not retried (it would not change) and not proof of anything (even 410)
		stubItem(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body));
		// when
		WatchedItemLookup lookup = client().lookup(ID);
		// then
		assertThat(lookup.outcome()).isEqualTo(Outcome.UNAVAILABLE);
		assertThat(lookup.httpStatus()).isEqualTo(status);
		assertThat(lookup.evidence()).isEqualTo("unexpected HTTP " + status + " " + body);
		assertThat(lookup.attempts()).isEqualTo(1);
		assertOnlyItemRequests(1);
	}

	@Test
	void lookupWhenRedirectedToAnotherHostDoesNotFollow() {
		// given: following would hand the key to another origin
		String elsewhere = otherHost.baseUrl() + ITEM_PATH;
		otherHost.stubFor(get(anyUrl()).willReturn(json(200, WatcherBodies.live(ID, INFO_ITEM_ID))));
		stubItem(aResponse().withStatus(302).withHeader("Location", elsewhere));
		// when
		WatchedItemLookup lookup = client().lookup(ID);
		// then
		assertThat(lookup.outcome()).isEqualTo(Outcome.UNAVAILABLE);
		assertThat(lookup.httpStatus()).isEqualTo(302);
		assertThat(lookup.evidence()).startsWith("unexpected HTTP 302");
		assertThat(lookup.attempts()).isEqualTo(1);
		assertOnlyItemRequests(1);
		assertThat(otherHost.getAllServeEvents()).isEmpty();
	}

	@Test
	void lookupWhenBaseUrlHasTrailingSlashSendsExactPath() {
		// given: WATCHER_BASE_URL=http://host:port/ must not produce //api/v1
		stubItem(json(200, WatcherBodies.live(ID, INFO_ITEM_ID)));
		WatcherClient client = client(properties(watcher.baseUrl() + "/", MAX_ATTEMPTS, Duration.ofSeconds(1), 0));
		// when
		WatchedItemLookup lookup = client.lookup(ID);
		// then
		assertThat(lookup.outcome()).isEqualTo(Outcome.ACTIVE);
		assertOnlyItemRequests(1);
	}

	@Test
	void lookupWhenRateCappedSpacesRequests() {
		// given: 20 requests per second, so 11 lookups need at least 10 intervals of 50
		// ms
		stubItem(json(200, WatcherBodies.live(ID, INFO_ITEM_ID)));
		WatcherClient client = client(properties(watcher.baseUrl(), MAX_ATTEMPTS, Duration.ofSeconds(1), 20));
		// when
		Duration elapsed = timeLiveLookups(client, 11);
		// then
		assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(450));
		assertOnlyItemRequests(11);
	}

	@Test
	void lookupAgainAsksOnceAndCountsARetryWhereTheFirstAskCountsNone() {
		// given a Watcher failing every time
		stubItem(aResponse().withStatus(500).withBody(WatcherBodies.INTERNAL_SERVER_ERROR));
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		WatcherClient client = new WatcherClient(properties(watcher.baseUrl(), MAX_ATTEMPTS, Duration.ofSeconds(1), 0),
				LinkFile.archiverWatcher(), meters, new ReconcilerProperties(250, 8, 0, 1, Path.of("reports"),
						Duration.ofSeconds(10), "watcher_link_reconciler", Strategy.PER_ITEM, false, false));
		// when
		WatchedItemLookup first = client.lookupOnce(ID);
		WatchedItemLookup again = client.lookupAgain(ID);
		// then one request each, the second counted as a retry
		assertThat(first.outcome()).isEqualTo(WatchedItemLookup.Outcome.UNAVAILABLE);
		assertThat(again.outcome()).isEqualTo(WatchedItemLookup.Outcome.UNAVAILABLE);
		assertThat(again.attempts()).isEqualTo(1);
		assertOnlyItemRequests(2);
		assertThat(meters.get("reconciler.watcher.retries").counter().count()).isEqualTo(1.0);
	}

	@Test
	void lookupWhenRunIsSplitIntoPartitionsTakesItsShareOfTheRateCap() {
		// given: 40 requests per second for a run split into 4 partitions, so this
		// partition takes 10 per second, and 11 lookups need at least 10 intervals of
		// 100 ms
		stubItem(json(200, WatcherBodies.live(ID, INFO_ITEM_ID)));
		ReconcilerProperties partition = new ReconcilerProperties(250, 8, 1, 4, Path.of("reports"),
				Duration.ofSeconds(10), "watcher_link_reconciler", Strategy.PER_ITEM, false, false);
		WatcherClient client = new WatcherClient(properties(watcher.baseUrl(), MAX_ATTEMPTS, Duration.ofSeconds(1), 40),
				LinkFile.archiverWatcher(), new SimpleMeterRegistry(), partition);
		// when
		Duration elapsed = timeLiveLookups(client, 11);
		// then
		assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(900));
		assertOnlyItemRequests(11);
	}

	@Test
	void parseWhenDelaySecondsReturnsThem() {
		assertThat(RetryAfter.parse("1")).isEqualTo(Duration.ofSeconds(1));
		assertThat(RetryAfter.parse(" 120 ")).isEqualTo(Duration.ofSeconds(120));
		assertThat(RetryAfter.parse("0")).isEqualTo(Duration.ZERO);
	}

	@Test
	void parseWhenHttpDateReturnsTimeUntilIt() {
		// given
		ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
		String inOneMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(60));
		// when
		Duration delay = RetryAfter.parse(inOneMinute);
		// then: the date has one-second resolution
		assertThat(delay).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(61));
	}

	@Test
	void parseWhenHttpDateIsPastReturnsZero() {
		assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "", " ", "soon", "1.5", "-5", "1s", "Wed, 99 Oct 2015 07:28:00 GMT", "2026-06-12T09:30:00Z" })
	void parseWhenUnreadableReturnsZero(String value) {
		assertThat(RetryAfter.parse(value)).isEqualTo(Duration.ZERO);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "   " })
	void requiredBaseUrlWhenBlankThrowsNamingVariable(String blank) {
		// given: blank binds (so --help and dry runs start), but no lookup may proceed
		WatcherProperties properties = properties(blank, MAX_ATTEMPTS, Duration.ofSeconds(1), 0);
		// when, then
		assertThat(properties.baseUrl()).isNull();
		assertThatIllegalStateException().isThrownBy(properties::requiredBaseUrl)
			.withMessageContaining("WATCHER_BASE_URL");
		assertThatIllegalStateException().isThrownBy(() -> client(properties).lookup(ID))
			.withMessageContaining("WATCHER_BASE_URL");
	}

	@Test
	void requiredBaseUrlWhenNullThrowsNamingVariable() {
		WatcherProperties properties = properties(null, MAX_ATTEMPTS, Duration.ofSeconds(1), 0);
		assertThatIllegalStateException().isThrownBy(properties::requiredBaseUrl)
			.withMessageContaining("WATCHER_BASE_URL");
	}

	@Test
	void requiredBaseUrlWhenValidStripsTrailingSlashes() {
		WatcherProperties properties = properties(" http://watcher:8000// ", MAX_ATTEMPTS, Duration.ofSeconds(1), 0);
		assertThat(properties.requiredBaseUrl()).hasToString("http://watcher:8000");
	}

	static Stream<Arguments> refusedBaseUrls() {
		return Stream.of(arguments("ftp://x", "http(s) URL"), arguments("watcher.internal:8000", "http(s) URL"),
				arguments("http://watcher:8000?x=1", "no query"), arguments("not a url", "is not a URL"),
				arguments("http://watcher:8000/api/v1", "without the /api/v1 suffix"),
				arguments("http://watcher:8000/api/v1/", "without the /api/v1 suffix"),
				arguments("http://reconciler:s3cret@watcher:8000", "user name or password"),
				arguments("http://reconciler@watcher:8000", "user name or password"),
				arguments("http://watcher:8000/#s3cret", "no fragment"),
				arguments("http://watcher:8000/?token=s3cret", "no query"),
				arguments("http://watcher:8000/s3cret\nsecond-line", "is not a URL"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("refusedBaseUrls")
	void constructorWhenBaseUrlInvalidThrowsNamingFix(String baseUrl, String fix) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> properties(baseUrl, MAX_ATTEMPTS, Duration.ofSeconds(1), 0))
			.withMessageContaining("WATCHER_BASE_URL")
			.withMessageContaining(fix)
			.withMessageNotContaining(baseUrl);
	}

	@ParameterizedTest
	@ValueSource(strings = { "s3cret\nsecond-line", "s3cret\rrest", "s3cret\trest", "s3cret\u0000rest",
			"s3cret\u001b[0m", "s3cret\u007f", "s3cret\u0085rest" })
	void constructorWhenKeyHoldsAControlCharacterThrowsNamingTheVariableNotTheKey(String key) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new WatcherProperties("http://watcher:8000", key, READ_TIMEOUT, READ_TIMEOUT,
					READ_TIMEOUT, 3, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(1), 0))
			.withMessageContaining("WATCHER_API_KEY")
			.withMessageContaining("control character")
			.withMessageNotContaining("s3cret")
			.withMessageNotContaining("rest");
	}

	@Test
	void constructorWhenKeyEndsWithALineBreakTrimsIt() {
		// given: a Secret made from a file keeps the file's last line break
		WatcherProperties properties = new WatcherProperties("http://watcher:8000", " s3cret-key\n", READ_TIMEOUT,
				READ_TIMEOUT, READ_TIMEOUT, 3, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(1), 0);
		// then
		assertThat(properties.requiredApiKey()).isEqualTo("s3cret-key");
	}

	@Test
	void constructorWhenMaxAttemptsZeroThrowsNamingOption() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> properties("http://watcher:8000", 0, Duration.ofSeconds(1), 0))
			.withMessageContaining("--max-attempts");
	}

	@Test
	void constructorWhenTimeoutNegativeThrowsNamingOption() {
		Duration negative = Duration.ofMillis(-1);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new WatcherProperties("http://watcher:8000", API_KEY, negative, READ_TIMEOUT,
					Duration.ofSeconds(30), 3, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(1), 0))
			.withMessageContaining("--connect-timeout");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new WatcherProperties("http://watcher:8000", API_KEY, READ_TIMEOUT, negative,
					Duration.ofSeconds(30), 3, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(1), 0))
			.withMessageContaining("--read-timeout");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new WatcherProperties("http://watcher:8000", API_KEY, READ_TIMEOUT, Duration.ZERO,
					Duration.ofSeconds(30), 3, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(1), 0))
			.withMessageContaining("--read-timeout");
		assertThatIllegalArgumentException().isThrownBy(() -> properties("http://watcher:8000", 3, negative, 0))
			.withMessageContaining("--max-retry-after");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new WatcherProperties("http://watcher:8000", API_KEY, READ_TIMEOUT, READ_TIMEOUT,
					Duration.ZERO, 3, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(1), 0))
			.withMessageContaining("--request-timeout");
	}

	@ParameterizedTest
	@ValueSource(doubles = { -1, Double.NaN })
	void constructorWhenRateNegativeThrowsNamingOption(double rate) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> properties("http://watcher:8000", MAX_ATTEMPTS, Duration.ofSeconds(1), rate))
			.withMessageContaining("--max-requests-per-second");
	}

	@Test
	void toStringWhenKeySetMasksIt() {
		// given
		String key = "s3cr3t-watcher-key-0123456789";
		WatcherProperties properties = new WatcherProperties("http://watcher:8000", key, READ_TIMEOUT, READ_TIMEOUT,
				Duration.ofSeconds(30), 3, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(1), 0);
		// when
		String text = properties.toString();
		// then
		assertThat(text).doesNotContain(key)
			.doesNotContain("s3cr3t")
			.contains("apiKey=****")
			.contains("http://watcher:8000");
		assertThat(properties.requiredApiKey()).isEqualTo(key);
	}

	@Test
	void toStringWhenKeyUnsetSaysSo() {
		WatcherProperties properties = new WatcherProperties("http://watcher:8000", " ", READ_TIMEOUT, READ_TIMEOUT,
				Duration.ofSeconds(30), 3, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(1), 0);
		assertThat(properties.toString()).contains("apiKey=unset");
		assertThatIllegalStateException().isThrownBy(properties::requiredApiKey)
			.withMessageContaining("WATCHER_API_KEY");
	}

	/** How long {@code n} lookups of a live item take, one after the other. */
	private static Duration timeLiveLookups(WatcherClient client, int n) {
		long start = System.nanoTime();
		for (int i = 0; i < n; i++) {
			assertThat(client.lookup(ID).outcome()).isEqualTo(Outcome.ACTIVE);
		}
		return Duration.ofNanos(System.nanoTime() - start);
	}

	private static WatcherClient client() {
		return client(properties(watcher.baseUrl(), MAX_ATTEMPTS, Duration.ofSeconds(1), 0));
	}

	private static WatcherClient client(WatcherProperties properties) {
		return new WatcherClient(properties);
	}

	private static WatcherProperties properties(String baseUrl, int maxAttempts, Duration maxRetryAfter,
			double maxRequestsPerSecond) {
		return new WatcherProperties(baseUrl, API_KEY, Duration.ofMillis(500), READ_TIMEOUT, Duration.ofSeconds(30),
				maxAttempts, Duration.ofMillis(10), Duration.ofMillis(40), maxRetryAfter, maxRequestsPerSecond);
	}

	private static void stubItem(ResponseDefinitionBuilder answer) {
		watcher.stubFor(get(urlPathEqualTo(ITEM_PATH)).willReturn(answer));
	}

	private static void stubInScenario(String state, String nextState, ResponseDefinitionBuilder answer) {
		watcher.stubFor(get(urlPathEqualTo(ITEM_PATH)).inScenario("answers")
			.whenScenarioStateIs(state)
			.willSetStateTo(nextState)
			.willReturn(answer));
	}

	/**
	 * Exactly {@code count} requests, all GETs of the item's exact path with the key, and
	 * nothing else.
	 */
	private static void assertOnlyItemRequests(int count) {
		watcher.verify(count, getRequestedFor(urlEqualTo(ITEM_PATH)).withHeader("X-API-Key", equalTo(API_KEY)));
		watcher.verify(count, anyRequestedFor(anyUrl()));
	}

	private static void assertItemRequestsBetween(int min, int max) {
		List<LoggedRequest> requests = watcher.findAll(anyRequestedFor(anyUrl()));
		assertThat(requests).hasSizeBetween(min, max).allSatisfy((request) -> {
			assertThat(request.getUrl()).isEqualTo(ITEM_PATH);
			assertThat(request.getHeader("X-API-Key")).isEqualTo(API_KEY);
		});
	}

	private static List<LoggedRequest> itemRequestsOldestFirst() {
		return watcher.findAll(getRequestedFor(urlEqualTo(ITEM_PATH)))
			.stream()
			.sorted(Comparator.comparing(LoggedRequest::getLoggedDate))
			.toList();
	}

	private static ResponseDefinitionBuilder json(int status, String body) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
	}

	private static ResponseDefinitionBuilder plain(int status, String body) {
		return aResponse().withStatus(status).withHeader("Content-Type", "text/plain; charset=utf-8").withBody(body);
	}

}
