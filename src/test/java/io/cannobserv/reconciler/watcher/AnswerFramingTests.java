package io.cannobserv.reconciler.watcher;

import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.RawHttpServer;
import io.cannobserv.reconciler.support.RawHttpServer.RawAnswer;
import io.cannobserv.reconciler.support.WatcherBodies;
import io.cannobserv.reconciler.watcher.WatchedItemLookup.Outcome;

import static io.cannobserv.reconciler.support.RawHttpServer.RawAnswer.bytes;
import static io.cannobserv.reconciler.support.RawHttpServer.RawAnswer.bytesThenClose;
import static io.cannobserv.reconciler.support.RawHttpServer.RawAnswer.head;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * An answer is evidence only when it arrived whole and unambiguous. Each answer here
 * carries Watcher's typed 404 bytes but is not whole, or says two things about its own
 * framing: it is retried, then reported unavailable with evidence that says what was
 * wrong, and never read as "deleted". A raw socket server sends the bytes: no
 * well-behaved server, WireMock included, can.
 */
@Timeout(30)
class AnswerFramingTests {

	private static final String ID = "01HZZWATCHER00000000000001";

	private static final String ITEM_PATH = FakeWatcher.ITEM_PATH + ID;

	/** FastAPI's exact bytes: 34 of them. */
	private static final String TYPED = "{\"detail\":\"WatchedItem not found\"}";

	private static final String JSON = "Content-Type: application/json";

	private static final int MAX_ATTEMPTS = 2;

	private static final RawHttpServer watcher = new RawHttpServer();

	@AfterAll
	static void stopServer() {
		watcher.close();
	}

	static Stream<Arguments> notWhole() {
		return Stream.of(
				arguments("a typed 404 cut short", bytesThenClose(head(404, JSON, "Content-Length: 40") + TYPED),
						"answer cut short: 34 of 40 bytes (Content-Length); what arrived: " + TYPED),
				arguments("a body longer than its Content-Length",
						bytes(head(404, JSON, "Content-Length: 34") + TYPED + "{\"x\":1}"),
						"answer longer than its Content-Length of 34 bytes; what arrived: " + TYPED),
				arguments("a chunked body without its last chunk",
						bytesThenClose(head(404, JSON, "Transfer-Encoding: chunked") + "22\r\n" + TYPED + "\r\n"),
						"answer's chunked encoding broken (closing chunk expected); what arrived: " + TYPED),
				arguments("a chunk longer than its size",
						bytesThenClose(
								head(404, JSON, "Transfer-Encoding: chunked") + "10\r\n" + TYPED + "\r\n0\r\n\r\n"),
						"answer's chunked encoding broken (unexpected content at the end of chunk); what arrived: "
								+ TYPED.substring(0, 16)),
				arguments("two equal Content-Length headers",
						bytes(head(404, JSON, "Content-Length: 34", "Content-Length: 34") + TYPED),
						"answer with 2 Content-Length headers (34, 34)"),
				arguments("conflicting Content-Length headers",
						bytesThenClose(head(404, JSON, "Content-Length: 34", "Content-Length: 40") + TYPED),
						"answer with 2 Content-Length headers (34, 40)"),
				arguments("a Content-Length that is a list",
						bytesThenClose(head(404, JSON, "Content-Length: 34, 34") + TYPED),
						"answer with Content-Length \"34, 34\", not a length"),
				arguments("Content-Length and chunked both",
						bytes(head(404, JSON, "Content-Length: 34", "Transfer-Encoding: chunked") + "22\r\n" + TYPED
								+ "\r\n0\r\n\r\n"),
						"answer with both Content-Length and Transfer-Encoding"),
				arguments("two Content-Type headers, HTML then JSON",
						bytes(head(404, "Content-Type: text/html", JSON, "Content-Length: 34") + TYPED),
						"answer with 2 Content-Type headers (text/html, application/json)"),
				arguments("Content-Encoding gzip on a plain body",
						bytes(head(404, JSON, "Content-Encoding: gzip", "Content-Length: 34") + TYPED),
						"answer encoded as gzip (Content-Encoding), which the job did not ask for"),
				arguments("a 404 with neither Content-Length nor chunked, ended by a close",
						bytesThenClose(head(404, JSON) + TYPED),
						"answer without Content-Length or chunked encoding: its end cannot be told from a cut"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("notWhole")
	void lookupWhenAnswerIsNotWholeRetriesThenKeepsItUnavailable(String label, RawAnswer answer, String what) {
		// given
		watcher.answer(ITEM_PATH, answer);
		int before = watcher.requests(ITEM_PATH).size();
		// when
		WatchedItemLookup lookup = client().lookup(ID);
		// then: not deleted, whatever its bytes; retried, then unavailable, saying why
		assertThat(lookup.outcome()).isEqualTo(Outcome.UNAVAILABLE);
		assertThat(lookup.httpStatus()).isEqualTo(404);
		assertThat(lookup.evidence()).isEqualTo("HTTP 404 " + what + " (" + MAX_ATTEMPTS + " attempts)");
		assertThat(lookup.attempts()).isEqualTo(MAX_ATTEMPTS);
		assertThat(watcher.requests(ITEM_PATH).size() - before).isEqualTo(MAX_ATTEMPTS);
	}

	static Stream<Arguments> whole() {
		return Stream.of(arguments("with its Content-Length", bytes(head(404, JSON, "Content-Length: 34") + TYPED)),
				arguments("chunked",
						bytes(head(404, JSON, "Transfer-Encoding: chunked") + "22\r\n" + TYPED + "\r\n0\r\n\r\n")),
				arguments("chunked in pieces, with a trailer",
						bytes(head(404, JSON, "Transfer-Encoding: chunked") + "a\r\n" + TYPED.substring(0, 10)
								+ "\r\n18\r\n" + TYPED.substring(10) + "\r\n0\r\nX-T: 1\r\n\r\n")));
	}

	@Test
	void lookupWhenLiveItemIsEndedByACloseReadsIt() {
		// given: legitimate HTTP/1.1, as a server answering Connection: close may send
		// it;
		// only a complete JSON value is read, and it keeps the pointer anyway
		String live = WatcherBodies.live(ID, "01HZZ000000000000000000003");
		watcher.answer(ITEM_PATH, bytesThenClose(head(200, JSON) + live));
		// when
		WatchedItemLookup lookup = client().lookup(ID);
		// then
		assertThat(lookup.outcome()).isEqualTo(Outcome.ACTIVE);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("whole")
	void lookupWhenTypedNotFoundArrivesWholeReturnsDeleted(String label, RawAnswer answer) {
		// given: the same bytes, framed as HTTP/1.1 frames them
		assertThat(WatcherBodies.WATCHED_ITEM_NOT_FOUND.strip()).isEqualTo(TYPED);
		watcher.answer(ITEM_PATH, answer);
		// when
		WatchedItemLookup lookup = client().lookup(ID);
		// then
		assertThat(lookup.outcome()).isEqualTo(Outcome.DELETED);
		assertThat(lookup.evidence()).isEqualTo("HTTP 404 " + TYPED);
		assertThat(lookup.attempts()).isEqualTo(1);
	}

	@Test
	void lookupWhenKeptAliveConnectionCarriesBytesAfterAnAnswerDoesNotReadThemAsTheNextAnswer() {
		// given: a whole answer, then bytes no request asked for on the same connection
		watcher.answer(ITEM_PATH, bytes(head(404, JSON, "Content-Length: 34") + TYPED + "HTTP/1.1 404 Status\r\n"));
		WatcherClient client = client();
		// when
		WatchedItemLookup first = client.lookupOnce(ID);
		watcher.answer(ITEM_PATH, bytes(head(404, JSON, "Content-Length: 34") + TYPED));
		WatchedItemLookup second = client.lookupOnce(ID);
		// then: the first is not evidence, the second is, on a connection of its own
		assertThat(first.outcome()).isEqualTo(Outcome.UNAVAILABLE);
		assertThat(first.evidence()).startsWith("HTTP 404 answer longer than its Content-Length of 34 bytes");
		assertThat(second.outcome()).isEqualTo(Outcome.DELETED);
	}

	@Test
	void lookupWhenWatcherClosedAKeptAliveConnectionSendsTheRequestAgainOnceUnseen() throws Exception {
		// given an answer whose connection Watcher closes once idle for 100 ms
		watcher.answer(ITEM_PATH, (out) -> {
			bytes(head(404, JSON, "Content-Length: 34") + TYPED).write(out);
			out.flush();
			Thread.sleep(100);
			return false;
		});
		WatcherClient client = client();
		assertThat(client.lookupOnce(ID).outcome()).isEqualTo(Outcome.DELETED);
		int connections = watcher.connections();
		Thread.sleep(400);
		// when the next lookup goes out on that connection
		WatchedItemLookup lookup = client.lookupOnce(ID);
		// then it went again on a new one, as one attempt
		assertThat(lookup.outcome()).isEqualTo(Outcome.DELETED);
		assertThat(lookup.attempts()).isEqualTo(1);
		assertThat(watcher.connections()).isEqualTo(connections + 1);
	}

	@Test
	void getWhenTypedNotFoundIsCutShortThrowsSayingSo() {
		// given: preflight's probe meets the same answer
		watcher.answer(ITEM_PATH, bytesThenClose(head(404, JSON, "Content-Length: 40") + TYPED));
		// when, then
		assertThatIOException().isThrownBy(() -> client().get(ITEM_PATH, true))
			.withMessage("HTTP 404 answer cut short: 34 of 40 bytes (Content-Length); what arrived: " + TYPED);
	}

	private static WatcherClient client() {
		return new WatcherClient(new WatcherProperties(watcher.baseUrl(), "test-key", Duration.ofSeconds(2),
				Duration.ofSeconds(2), Duration.ofSeconds(5), MAX_ATTEMPTS, Duration.ofMillis(10),
				Duration.ofMillis(40), Duration.ofSeconds(1), 0));
	}

}
