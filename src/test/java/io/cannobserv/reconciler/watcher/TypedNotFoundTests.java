package io.cannobserv.reconciler.watcher;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.WatcherBodies;
import io.cannobserv.reconciler.watcher.WatchedItemLookup.Outcome;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.cannobserv.reconciler.support.AnswerBytes.gzip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * The clearing rule, exactly: only a 404 whose body, sent as JSON, parses strictly
 * (duplicate keys rejected, nothing after the value) to Watcher's answer
 * {@code {"detail":"WatchedItem not found"}} means "deleted". Every near miss is decided
 * here, row by row, with the reason; the lookups of a run and preflight's probe follow
 * the same rule. An answer that is not whole or not unambiguous is no evidence at all
 * ({@code AnswerFramingTests}).
 */
class TypedNotFoundTests {

	private static final String ID = "01HZZWATCHER00000000000001";

	private static final String ITEM_PATH = FakeWatcher.ITEM_PATH + ID;

	private static final String TYPED = WatcherBodies.WATCHED_ITEM_NOT_FOUND;

	@RegisterExtension
	static WireMockExtension watcher = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().gzipDisabled(true))
		.build();

	static Stream<NearMiss> nearMisses() {
		return Stream.of(
				// Watcher's answer, and what only the transport or JSON's own grammar
				// changes
				deleted("FastAPI's exact bytes", json(TYPED), "Watcher's answer as it sends it"),
				deleted("whitespace between tokens", json("{ \"detail\" : \"WatchedItem not found\" }"),
						"insignificant whitespace (RFC 8259 §2): the same JSON value"),
				deleted("whitespace and line breaks around the value",
						json("\n\t{\"detail\":\"WatchedItem not found\"}\r\n"),
						"insignificant whitespace (RFC 8259 §2): the same JSON value"),
				deleted("pretty-printed", json("{\n  \"detail\": \"WatchedItem not found\"\n}\n"),
						"insignificant whitespace: a proxy that re-indents JSON still relays Watcher's value"),
				deleted("the body split across HTTP chunks", json(TYPED).withChunkedDribbleDelay(5, 200),
						"transfer framing: chunked transfer coding delivers the same bytes"),
				deleted("a charset parameter", typed("application/json; charset=utf-8"),
						"the same media type; parameters do not change it"),
				deleted("the media type in capitals", typed("Application/JSON"),
						"media types are case-insensitive (RFC 9110 §8.3.1)"),
				deleted("a JSON escape in the string", json("{\"detail\":\"WatchedItem\\u0020not found\"}"),
						"JSON escapes denote the same string once parsed"),
				// near misses: none of these is Watcher's answer
				unconfirmed("two details, the typed one last",
						json("{\"detail\":\"Resource not found\",\"detail\":\"WatchedItem not found\"}"),
						"duplicate keys: which one counts depends on the parser, so it is not one answer"),
				unconfirmed("two details, the typed one first",
						json("{\"detail\":\"WatchedItem not found\",\"detail\":\"Resource not found\"}"),
						"duplicate keys, whichever comes last"),
				unconfirmed("the typed detail twice",
						json("{\"detail\":\"WatchedItem not found\",\"detail\":\"WatchedItem not found\"}"),
						"duplicate keys are rejected outright: Watcher never sends them"),
				unconfirmed("an extra key", json("{\"detail\":\"WatchedItem not found\",\"status\":404}"),
						"not exactly Watcher's answer: another service's or another version's"),
				unconfirmed("the key in other casing", json("{\"Detail\":\"WatchedItem not found\"}"),
						"JSON keys are case-sensitive"),
				unconfirmed("the message in other casing", json("{\"detail\":\"watcheditem not found\"}"),
						"not Watcher's message"),
				unconfirmed("trailing data", json(TYPED + "x"), "more than one JSON value is not an answer"),
				unconfirmed("a second JSON value", json(TYPED + "{}"), "more than one JSON value is not an answer"),
				unconfirmed("a byte order mark", json("\uFEFF" + TYPED),
						"FastAPI sends none and RFC 8259 §8.1 forbids adding one: someone else wrote this body"),
				unconfirmed("a NUL after the value", json(TYPED + "\u0000"), "a NUL is not whitespace"),
				unconfirmed("as plain text", typed("text/plain; charset=utf-8"), "another content type: not the API's"),
				unconfirmed("as HTML", typed("text/html"), "another content type: a proxy's page"),
				unconfirmed("as problem JSON", typed("application/problem+json"),
						"another media type: not what Watcher sends"),
				unconfirmed("without a content type", aResponse().withStatus(404).withBody(TYPED),
						"no content type: nothing says it is JSON"),
				notEvidence("compressed, served raw", json(gzip(TYPED)).withHeader("Content-Encoding", "gzip"),
						"the job asks for no compression: a Content-Encoding makes an answer no evidence"),
				unconfirmed("UTF-16", json(TYPED.getBytes(StandardCharsets.UTF_16LE)),
						"JSON between systems is UTF-8 (RFC 8259 §8.1); these bytes carry NULs"),
				unconfirmed("in an array", json("[" + TYPED + "]"), "not the same value"),
				unconfirmed("a null detail", json("{\"detail\":null}"), "not the same value"),
				unconfirmed("empty", json(""), "nothing was said"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("nearMisses")
	void lookupWhenNotFoundDecidesByTheExactRule(NearMiss row) {
		// given
		watcher.stubFor(get(urlPathEqualTo(ITEM_PATH)).willReturn(row.answer()));
		// when
		WatchedItemLookup lookup = client().lookupOnce(ID);
		// then
		assertThat(lookup.outcome()).as(row.why()).isEqualTo(row.expected());
		assertThat(lookup.httpStatus()).isEqualTo(404);
		assertThat(lookup.attempts()).isEqualTo(1);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("evidence")
	void getWhenNotFoundTrustsTheSameRuleAsALookup(NearMiss row) throws Exception {
		// given: what preflight's authenticated probe of an unknown id sees
		watcher.stubFor(get(urlPathEqualTo(ITEM_PATH)).willReturn(row.answer()));
		// when
		WatcherClient.WatcherAnswer answer = client().get(ITEM_PATH, true);
		// then
		assertThat(answer.status()).isEqualTo(404);
		assertThat(answer.typedNotFound()).as(row.why()).isEqualTo(row.expected() == Outcome.DELETED);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("notEvidence")
	void getWhenAnswerIsNoEvidenceThrows(NearMiss row) {
		// given: what preflight's probe sees
		watcher.stubFor(get(urlPathEqualTo(ITEM_PATH)).willReturn(row.answer()));
		// when, then
		assertThatIOException().as(row.why()).isThrownBy(() -> client().get(ITEM_PATH, true));
	}

	static Stream<NearMiss> notEvidence() {
		return nearMisses().filter((row) -> row.expected() == Outcome.UNAVAILABLE);
	}

	private static WatcherClient client() {
		return new WatcherClient(new WatcherProperties(watcher.baseUrl(), "test-key", Duration.ofSeconds(2),
				Duration.ofSeconds(5), Duration.ofSeconds(30), 1, Duration.ofMillis(10), Duration.ofMillis(40),
				Duration.ofSeconds(1), 0));
	}

	private static NearMiss deleted(String label, ResponseDefinitionBuilder answer, String why) {
		return new NearMiss(label, answer, Outcome.DELETED, why);
	}

	static Stream<NearMiss> evidence() {
		return nearMisses().filter((row) -> row.expected() != Outcome.UNAVAILABLE);
	}

	/** Not an answer at all, whatever its bytes: retried, then kept as transient. */
	private static NearMiss notEvidence(String label, ResponseDefinitionBuilder answer, String why) {
		return new NearMiss(label, answer, Outcome.UNAVAILABLE, why);
	}

	private static NearMiss unconfirmed(String label, ResponseDefinitionBuilder answer, String why) {
		return new NearMiss(label, answer, Outcome.NOT_FOUND_UNCONFIRMED, why);
	}

	private static ResponseDefinitionBuilder json(String body) {
		return typed("application/json").withBody(body);
	}

	private static ResponseDefinitionBuilder json(byte[] body) {
		return typed("application/json").withBody(body);
	}

	/** Watcher's typed body under {@code contentType}. */
	private static ResponseDefinitionBuilder typed(String contentType) {
		return aResponse().withStatus(404).withHeader("Content-Type", contentType).withBody(TYPED);
	}

	/**
	 * A 404 and how it must be read.
	 *
	 * @param label the case
	 * @param answer what the fake Watcher sends
	 * @param expected {@code DELETED} when it clears, {@code NOT_FOUND_UNCONFIRMED} when
	 * not
	 * @param why the reason for the decision
	 */
	record NearMiss(String label, ResponseDefinitionBuilder answer, Outcome expected, String why) {

		@Override
		public String toString() {
			return this.label + ": " + switch (this.expected) {
				case DELETED -> "clears";
				case UNAVAILABLE -> "keeps, transient";
				default -> "keeps";
			};
		}

	}

}
