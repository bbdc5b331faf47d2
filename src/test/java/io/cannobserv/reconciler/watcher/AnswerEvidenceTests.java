package io.cannobserv.reconciler.watcher;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.WatcherBodies;
import io.cannobserv.reconciler.watcher.WatchedItemLookup.Outcome;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.cannobserv.reconciler.support.AnswerBytes.binary;
import static io.cannobserv.reconciler.support.AnswerBytes.gzip;
import static io.cannobserv.reconciler.support.AnswerBytes.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Whatever bytes Watcher or a proxy answers, the evidence a lookup gives is safe text:
 * control characters escaped, one line, bounded, so that it can be stored (PostgreSQL
 * text holds no NUL), logged and printed.
 */
class AnswerEvidenceTests {

	private static final String ID = "01HZZWATCHER00000000000001";

	private static final String INFO_ITEM_ID = "01HZZ000000000000000000003";

	private static final String ITEM_PATH = FakeWatcher.ITEM_PATH + ID;

	/** The audit's {@code evidence} column is {@code VARCHAR(500)}. */
	private static final int EVIDENCE_COLUMN = 500;

	@RegisterExtension
	static WireMockExtension watcher = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().gzipDisabled(true))
		.build();

	static Stream<Arguments> hostileAnswers() {
		String typed = WatcherBodies.WATCHED_ITEM_NOT_FOUND;
		return Stream.of(
				arguments("404 in UTF-16", answer(404, "application/json", typed.getBytes(StandardCharsets.UTF_16LE)),
						Outcome.NOT_FOUND_UNCONFIRMED),
				arguments("404 in UTF-16 with a byte order mark",
						answer(404, "application/json", typed.getBytes(StandardCharsets.UTF_16)),
						Outcome.NOT_FOUND_UNCONFIRMED),
				// the job asks for no Content-Encoding: no evidence, whatever the bytes
				arguments("404 compressed, served raw",
						answer(404, "application/json", gzip(typed)).withHeader("Content-Encoding", "gzip"),
						Outcome.UNAVAILABLE),
				arguments("404 binary page", answer(404, "application/octet-stream", binary(4096)),
						Outcome.NOT_FOUND_UNCONFIRMED),
				arguments("404 invalid UTF-8",
						answer(404, "text/html",
								new byte[] { '<', (byte) 0xC3, '(', (byte) 0xFF, (byte) 0xFE, 0, '>', (byte) 0xED,
										(byte) 0xA0, (byte) 0x80 }),
						Outcome.NOT_FOUND_UNCONFIRMED),
				arguments("404 with terminal escapes",
						answer(404, "text/plain", utf8("\u001b[2J\u001b[31mgone\u001b[0m\u0007\b\u007f")),
						Outcome.NOT_FOUND_UNCONFIRMED),
				arguments("404 with direction overrides and separators",
						answer(404, "text/plain", utf8("\u202Edeleted\u202C\u2028\u2029\u200B\uFEFF")),
						Outcome.NOT_FOUND_UNCONFIRMED),
				arguments("404 of nearly a megabyte", answer(404, "text/plain", binary((1 << 20) - 1)),
						Outcome.NOT_FOUND_UNCONFIRMED),
				arguments("404 larger than the body limit", answer(404, "text/plain", binary((1 << 20) + 10)),
						Outcome.UNAVAILABLE),
				arguments("503 binary", answer(503, "text/html", binary(2048)), Outcome.UNAVAILABLE),
				arguments("500 with NULs in text", answer(500, "text/plain", utf8("Internal\u0000Server\u0000Error")),
						Outcome.UNAVAILABLE),
				arguments("200 binary", answer(200, "application/json", binary(1024)), Outcome.UNAVAILABLE),
				arguments("200 in UTF-16",
						answer(200, "application/json",
								WatcherBodies.live(ID, INFO_ITEM_ID).getBytes(StandardCharsets.UTF_16LE)),
						Outcome.UNAVAILABLE),
				arguments("200 whose archived_at holds control characters",
						answer(200, "application/json",
								utf8(WatcherBodies.archived(ID, INFO_ITEM_ID)
									.replace("2026-06-12T09:30:00Z", "2026\\u0000\\u001b[31m\\u2028x"))),
						Outcome.ARCHIVED));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("hostileAnswers")
	void lookupWhenAnswerHoldsAnyBytesGivesSafeEvidence(String label, ResponseDefinitionBuilder answer,
			Outcome expected) {
		// given
		watcher.stubFor(get(urlPathEqualTo(ITEM_PATH)).willReturn(answer));
		// when
		WatchedItemLookup lookup = client().lookupOnce(ID);
		// then
		assertThat(lookup.outcome()).isEqualTo(expected);
		assertSafeText(lookup.evidence());
	}

	@Test
	void lookupWhenKeyRejectedWithBinaryBodySaysSoInSafeText() {
		// given: the message ends in the run's exit message, a log line and the console
		watcher.stubFor(get(urlPathEqualTo(ITEM_PATH))
			.willReturn(answer(401, "application/json", utf8("{\"detail\":\"Invalid\u0000API\u001bkey\"}"))));
		// when, then
		assertThatExceptionOfType(WatcherAuthenticationException.class).isThrownBy(() -> client().lookupOnce(ID))
			.satisfies((ex) -> assertSafeText(ex.getMessage()));
	}

	@Test
	void getWhenAnswerHoldsControlCharactersGivesSafeBody() throws Exception {
		// given: preflight prints what /health answered
		watcher.stubFor(get(urlPathEqualTo("/health")).willReturn(answer(502, "text/plain", binary(300))));
		// when
		WatcherClient.WatcherAnswer answer = client().get("/health", false);
		// then
		assertThat(answer.status()).isEqualTo(502);
		assertSafeText(answer.body());
	}

	/**
	 * No control, format or separator character, no lone surrogate, and short enough for
	 * the audit.
	 */
	static void assertSafeText(String text) {
		assertThat(text.length()).isLessThanOrEqualTo(EVIDENCE_COLUMN);
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			int type = Character.getType(c);
			assertThat(type).as("character %04x at %d of %s", (int) c, i, text)
				.isNotIn((int) Character.CONTROL, (int) Character.FORMAT, (int) Character.LINE_SEPARATOR,
						(int) Character.PARAGRAPH_SEPARATOR);
			if (Character.isHighSurrogate(c)) {
				assertThat(i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)))
					.as("a high surrogate alone at %d of %s", i, text)
					.isTrue();
				i++;
			}
			else {
				assertThat(Character.isLowSurrogate(c)).as("a low surrogate alone at %d of %s", i, text).isFalse();
			}
		}
	}

	private static WatcherClient client() {
		return new WatcherClient(new WatcherProperties(watcher.baseUrl(), "test-key", Duration.ofSeconds(2),
				Duration.ofSeconds(5), Duration.ofSeconds(30), 1, Duration.ofMillis(10), Duration.ofMillis(40),
				Duration.ofSeconds(1), 0));
	}

	private static ResponseDefinitionBuilder answer(int status, String contentType, byte[] body) {
		return aResponse().withStatus(status).withHeader("Content-Type", contentType).withBody(body);
	}

}
