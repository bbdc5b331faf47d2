package io.cannobserv.reconciler.watcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.RawHttpServer;
import io.cannobserv.reconciler.support.Ulids;
import io.cannobserv.reconciler.support.WatcherBodies;

import static io.cannobserv.reconciler.support.RawHttpServer.RawAnswer.head;
import static io.cannobserv.reconciler.support.RawHttpServer.RawAnswer.padding;
import static io.cannobserv.reconciler.support.RawHttpServer.RawAnswer.trickle;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A list that never ends cannot hold the run: a snapshot ends by
 * {@code --snapshot-timeout} and a re-link search's list request by
 * {@code --request-timeout}, whatever the bytes do, each gap between them shorter than
 * the read timeout.
 */
@Timeout(120) // a client without a deadline must fail the test, not hang the build
class ListDeadlineTests {

	private static final String JSON = "Content-Type: application/json";

	/** Longer than any wait here: only the deadlines can end them. */
	private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

	/** Each deadline is met within this. */
	private static final Duration PROMPTLY = Duration.ofSeconds(2);

	private final RawHttpServer watcher = new RawHttpServer();

	@AfterEach
	void stopServer() {
		this.watcher.close();
	}

	@Test
	void snapshotWhenListTricklesPastItsTimeoutGivesUpAtIt() {
		// given three WatchedItems, a byte every 50 ms: a minute and a half to the end,
		// half a minute to the first item
		String list = "[" + item(1) + "," + item(2) + "," + item(3) + "]";
		this.watcher.answer(FakeWatcher.WATCHED_ITEMS_PATH,
				trickle(head(200, JSON, "Content-Length: " + list.length()), list, 1, Duration.ofMillis(50)));
		CollectingSink sink = new CollectingSink();
		// when
		long start = System.nanoTime();
		WatcherSnapshot snapshot = client(Duration.ofSeconds(30))
			.snapshot(new SnapshotProperties(100, Duration.ofSeconds(1)), sink);
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		// then
		assertThat(snapshot.complete()).isFalse();
		assertThat(snapshot.failure()).isEqualTo("not taken within 1s (--snapshot-timeout), after 0 WatchedItems");
		assertThat(took).isLessThan(Duration.ofSeconds(1).plus(PROMPTLY));
		assertThat(sink.items).isEmpty();
	}

	@Test
	void snapshotWhenListPadsWithWhiteSpaceForeverGivesUpAtItsTimeout() {
		// given "[", then a space every 100 ms, for a minute
		this.watcher.answer(FakeWatcher.WATCHED_ITEMS_PATH, padding(head(200, JSON, "Transfer-Encoding: chunked"), "[",
				Duration.ofMillis(100), Duration.ofSeconds(60)));
		CollectingSink sink = new CollectingSink();
		// when
		long start = System.nanoTime();
		WatcherSnapshot snapshot = client(Duration.ofSeconds(30))
			.snapshot(new SnapshotProperties(100, Duration.ofSeconds(1)), sink);
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		// then
		assertThat(snapshot.complete()).isFalse();
		assertThat(snapshot.failure()).isEqualTo("not taken within 1s (--snapshot-timeout), after 0 WatchedItems");
		assertThat(took).isLessThan(Duration.ofSeconds(1).plus(PROMPTLY));
	}

	@Test
	void snapshotWhenListBodyStallsPastItsTimeoutGivesUpAtIt() {
		// given a list whose head comes at once and whose body comes after 5 s
		String list = "[" + item(1) + "]";
		this.watcher.answer(FakeWatcher.WATCHED_ITEMS_PATH, trickle(head(200, JSON, "Content-Length: " + list.length()),
				list, list.length(), Duration.ofSeconds(5)));
		// when
		long start = System.nanoTime();
		WatcherSnapshot snapshot = client(Duration.ofSeconds(30))
			.snapshot(new SnapshotProperties(100, Duration.ofSeconds(1)), new CollectingSink());
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		// then
		assertThat(snapshot.failure()).isEqualTo("not taken within 1s (--snapshot-timeout), after 0 WatchedItems");
		assertThat(took).isLessThan(Duration.ofSeconds(1).plus(PROMPTLY));
	}

	@Test
	void linkedToWhenListTricklesPastTheRequestDeadlineGivesUpAtIt() {
		// given the re-link search's list, a byte every 6 s: each gap under the read
		// timeout (10 s), far over the request deadline (1 s)
		String list = "[" + item(1) + "]";
		this.watcher.answer(FakeWatcher.WATCHED_ITEMS_PATH,
				trickle(head(200, JSON, "Content-Length: " + list.length()), list, 1, Duration.ofSeconds(6)));
		// when
		long start = System.nanoTime();
		LinkLookup links = client(Duration.ofSeconds(1)).linkedToOnce(Ulids.infoItem(1));
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		// then
		assertThat(links.outcome()).isEqualTo(LinkLookup.Outcome.UNAVAILABLE);
		assertThat(links.evidence())
			.isEqualTo("list: SocketTimeoutException: no complete answer within 1s (--request-timeout) (1 attempt)");
		assertThat(took).isLessThan(Duration.ofSeconds(1).plus(PROMPTLY));
	}

	private static String item(int n) {
		return WatcherBodies.live(Ulids.watchedItem(n), Ulids.infoItem(n));
	}

	private WatcherClient client(Duration requestTimeout) {
		return new WatcherClient(
				new WatcherProperties(this.watcher.baseUrl(), "test-key", Duration.ofSeconds(2), READ_TIMEOUT,
						requestTimeout, 2, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(1), 0));
	}

	/** Keeps what a snapshot hands over. */
	private static final class CollectingSink implements SnapshotSink {

		private final List<SnapshotItem> items = new ArrayList<>();

		@Override
		public void accept(List<SnapshotItem> batch) {
			this.items.addAll(batch);
		}

		@Override
		public void discard() {
			this.items.clear();
		}

	}

}
