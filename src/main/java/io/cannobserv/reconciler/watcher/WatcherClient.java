package io.cannobserv.reconciler.watcher;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.link.Auth;
import io.cannobserv.reconciler.link.BackLinkSearch;
import io.cannobserv.reconciler.link.Fields;
import io.cannobserv.reconciler.link.Link;
import io.cannobserv.reconciler.link.LinkFile;
import io.cannobserv.reconciler.link.Resource;
import io.cannobserv.reconciler.link.StrictJson;
import io.cannobserv.reconciler.run.Evidence;
import io.cannobserv.reconciler.run.ReconcilerProperties;
import io.cannobserv.reconciler.run.RequestsInFlight;
import io.cannobserv.reconciler.watcher.InFlightLimit.Release;
import io.cannobserv.reconciler.watcher.WatchedItemLookup.Outcome;

/**
 * Asks Watcher about WatchedItems. Turns every answer into a {@link WatchedItemLookup}:
 * expected HTTP outcomes are values, never exceptions, because only the caller can decide
 * what an answer means for a pointer. Transient failures are retried here, with
 * exponential backoff and jitter. A {@code Retry-After} holds every request of the
 * process, up to a cap. Only a rejected key escapes as an exception.
 * <p>
 * Only Watcher's own answer for a deleted WatchedItem is read as "deleted", as the gone
 * rules of the built-in link file {@code links/archiver-watcher.yaml} define it: a 404
 * sent as JSON whose body parses strictly (no duplicate key, nothing after the value) to
 * exactly {@code {"detail":"WatchedItem not found"}}, and that arrived whole and
 * unambiguous: an answer that did not ({@link MalformedAnswer}: cut short, longer than it
 * said, two framings or content types, a content coding) is transient, whatever its
 * bytes. Whatever the bytes of an answer, its evidence is safe {@link Evidence}.
 * <p>
 * The key is sent to the configured origin only: ids are validated before they reach a
 * path, and redirects are never followed.
 */
@Component
public class WatcherClient {

	private static final Logger logger = LoggerFactory.getLogger(WatcherClient.class);

	/** Stands for the API key where an answer echoed it. */
	static final String KEY_PLACEHOLDER = "[redacted]";

	/** How much of a body the evidence keeps: enough to tell who answered. */
	private static final int EVIDENCE_BODY_LIMIT = 160;

	private final WatcherProperties properties;

	/** The resource's paths, fields and auth, and its gone answers. */
	private final Link link;

	private final WatcherHttp http;

	private final RequestPacer pacer;

	private final RetryTemplate patient;

	private final RetryTemplate once;

	private final MeterRegistry meters;

	private final Counter retries;

	/**
	 * Requests in flight, whatever the number of threads asking: sleeping retries hold
	 * none. The limit adapts to Watcher's latency and answers, up to --concurrency.
	 */
	private final InFlightLimit inFlight;

	private volatile HoldListener holdListener = (status, pause) -> {
	};

	@Autowired
	public WatcherClient(WatcherProperties properties, Link link, MeterRegistry meters,
			ReconcilerProperties reconcilerProperties) {
		this(properties, link, meters, inFlight(reconcilerProperties), reconcilerProperties.partitions());
	}

	/**
	 * The limit on requests in flight: like the rate cap, {@code --concurrency} is the
	 * whole run's, and each of its partitions' processes takes its share (at least one).
	 */
	private static InFlightLimit inFlight(ReconcilerProperties properties) {
		int share = Math.max(1, properties.concurrency() / properties.partitions());
		return properties.fixedConcurrency() ? InFlightLimit.fixed(share) : InFlightLimit.adaptive(share);
	}

	/**
	 * For the built-in link, without metrics, and with no limit on requests in flight but
	 * the caller's threads.
	 */
	public WatcherClient(WatcherProperties properties) {
		this(properties, LinkFile.archiverWatcher());
	}

	/**
	 * Without metrics, and with no limit on requests in flight but the caller's threads.
	 */
	public WatcherClient(WatcherProperties properties, Link link) {
		this(properties, link, new SimpleMeterRegistry(), InFlightLimit.fixed(Integer.MAX_VALUE), 1);
	}

	private WatcherClient(WatcherProperties properties, Link link, MeterRegistry meters, InFlightLimit inFlight,
			int partitions) {
		this.inFlight = inFlight;
		this.properties = properties;
		this.link = link;
		this.http = new WatcherHttp(properties.connectTimeout(), properties.readTimeout(), properties.requestTimeout());
		// the cap is the whole run's: the partitions of a run check side by side, each at
		// its share
		this.pacer = new RequestPacer(properties.maxRequestsPerSecond() / partitions);
		this.meters = meters;
		this.retries = Counter.builder("reconciler.watcher.retries")
			.description("Lookups sent again after a transient answer")
			.register(meters);
		Gauge.builder("reconciler.watcher.concurrency.limit", this.inFlight, InFlightLimit::current)
			.description(
					"Requests to Watcher allowed in flight now: found by the adaptive limit, at most --concurrency")
			.register(meters);
		this.patient = retryTemplate(properties.maxAttempts());
		this.once = retryTemplate(1);
	}

	/** The link this client asks about. */
	public Link link() {
		return this.link;
	}

	/** The requests this process has allowed in flight: the limit's range, and now. */
	public RequestsInFlight requestsInFlight() {
		return this.inFlight.range();
	}

	/**
	 * Look a WatchedItem up by id, retrying transient answers with backoff.
	 * @param ulid a validated ULID (never raw input: it becomes part of the path)
	 * @return what Watcher said, after retries
	 * @throws WatcherAuthenticationException when Watcher rejects the key
	 */
	public WatchedItemLookup lookup(String ulid) {
		return lookup(ulid, this.patient);
	}

	/**
	 * Look a WatchedItem up by id with a single request: a transient answer comes back as
	 * {@code UNAVAILABLE} at once, for a later, patient look.
	 * @param ulid a validated ULID (never raw input: it becomes part of the path)
	 * @return what Watcher said
	 * @throws WatcherAuthenticationException when Watcher rejects the key
	 */
	public WatchedItemLookup lookupOnce(String ulid) {
		return lookup(ulid, this.once);
	}

	/**
	 * Look a WatchedItem up by id again, with a single request, as a round of the recheck
	 * does: counted as a retry.
	 * @param ulid a validated ULID (never raw input: it becomes part of the path)
	 * @return what Watcher said
	 * @throws WatcherAuthenticationException when Watcher rejects the key
	 */
	public WatchedItemLookup lookupAgain(String ulid) {
		this.retries.increment();
		// asked again: a 5xx it gets is expected, not a sign of load
		return lookup(ulid, this.once, false);
	}

	/**
	 * Send no more requests, because the run is stopping: lookups not yet sent, and those
	 * waiting to retry, come back {@code UNAVAILABLE} at once; requests in flight end by
	 * their deadline ({@code --request-timeout}).
	 */
	public void stop() {
		this.pacer.stop();
	}

	/**
	 * Tells {@code listener} of every {@code Retry-After} this process honours, when it
	 * arrives: the other processes of the run hold their requests too.
	 */
	public void onHold(HoldListener listener) {
		this.holdListener = listener;
	}

	/**
	 * Holds every request of this process for {@code pause} from now (at most
	 * {@code --max-retry-after}), because Watcher asked another process of the run to
	 * wait.
	 * @return whether this begins a pause, rather than extends or falls within one
	 */
	public boolean hold(Duration pause) {
		return this.pacer.pause(capped(pause));
	}

	private WatchedItemLookup lookup(String ulid, RetryTemplate retryTemplate) {
		return lookup(ulid, retryTemplate, retryTemplate == this.once);
	}

	private WatchedItemLookup lookup(String ulid, RetryTemplate retryTemplate, boolean firstAsk) {
		URI uri = this.link.resource().itemUri(this.properties.requiredBaseUrl(), ulid);
		return retrying(retryTemplate, (attempts) -> attempt(uri, ulid, firstAsk, attempts), (status, evidence,
				attempts) -> new WatchedItemLookup(Outcome.UNAVAILABLE, status, evidence, null, attempts));
	}

	/**
	 * Ask Watcher's list for the WatchedItems that link back to an InfoItem, archived
	 * ones included, retrying transient answers with backoff.
	 * @param infoItemUlid a validated ULID (never raw input: it becomes part of the
	 * query)
	 * @return what Watcher said, after retries
	 * @throws WatcherAuthenticationException when Watcher rejects the key
	 */
	public LinkLookup linkedTo(String infoItemUlid) {
		return linkedTo(infoItemUlid, this.patient);
	}

	/**
	 * Like {@link #linkedTo}, with a single request: a transient answer comes back as
	 * {@code UNAVAILABLE} at once.
	 * @param infoItemUlid a validated ULID (never raw input: it becomes part of the
	 * query)
	 * @return what Watcher said
	 * @throws WatcherAuthenticationException when Watcher rejects the key
	 */
	public LinkLookup linkedToOnce(String infoItemUlid) {
		return linkedTo(infoItemUlid, this.once);
	}

	/**
	 * Like {@link #linkedToOnce}, asked again by a round of the recheck: counted as a
	 * retry, and a 5xx it gets is expected, not a sign of load (as {@link #lookupAgain}).
	 * @param infoItemUlid a validated ULID (never raw input: it becomes part of the
	 * query)
	 * @return what Watcher said
	 * @throws WatcherAuthenticationException when Watcher rejects the key
	 */
	public LinkLookup linkedToAgain(String infoItemUlid) {
		this.retries.increment();
		return linkedTo(infoItemUlid, this.once, false);
	}

	private LinkLookup linkedTo(String infoItemUlid, RetryTemplate retryTemplate) {
		return linkedTo(infoItemUlid, retryTemplate, retryTemplate == this.once);
	}

	private LinkLookup linkedTo(String infoItemUlid, RetryTemplate retryTemplate, boolean firstAsk) {
		URI uri = search().uri(this.properties.requiredBaseUrl(), infoItemUlid);
		return retrying(retryTemplate, (attempts) -> {
			WatcherHttp.Answer answer = exchange(uri, Endpoint.LIST, firstAsk, attempts);
			if (answer.status() != 200) {
				// a route Watcher does not have, a filter it refuses: not worth asking
				// again
				return new LinkLookup(LinkLookup.Outcome.REFUSED, null, answer.status(),
						"list answered unexpected " + evidence(answer.status(), answer.body()), attempts.get());
			}
			return links(infoItemUlid, answer.body(), attempts.get());
		}, (status, evidence, attempts) -> new LinkLookup(LinkLookup.Outcome.UNAVAILABLE, null, status,
				"list: " + evidence, attempts));
	}

	/**
	 * Take a snapshot of Watcher's whole list of WatchedItems, archived ones included:
	 * one request whose answer is parsed as it arrives and handed to {@code sink} in
	 * batches, keeping of each item only its id, its back-link and whether it is
	 * archived. A transient failure (no answer, 429, 5xx, an answer cut short) discards
	 * what the sink took and asks again, with backoff, up to {@code --max-attempts} and
	 * within the timeout, which is a deadline: at it the request is cut off, whatever its
	 * bytes are doing. Past a limit, or on an answer that is not Watcher's list, the
	 * sink's batches are discarded and the snapshot is incomplete.
	 * @param limits the snapshot's limits
	 * @param sink where the items go, in batches
	 * @return whether the snapshot is complete, how many items it holds, and why not
	 * @throws WatcherAuthenticationException when Watcher rejects the key
	 */
	public WatcherSnapshot snapshot(SnapshotProperties limits, SnapshotSink sink) {
		String list = this.link.resource().list();
		if (list == null) {
			throw new IllegalStateException("link " + this.link.name() + " has no list (resource.list)");
		}
		URI uri = URI.create(this.properties.requiredBaseUrl() + list);
		long started = System.nanoTime();
		long deadline = started + limits.timeout().toNanos();
		WatcherSnapshot snapshot = retrying(this.patient, (attempts) -> {
			sink.discard();
			return snapshotAttempt(uri, limits, deadline, sink, attempts);
		}, (status, evidence, attempts) -> WatcherSnapshot.incomplete(0, evidence, attempts));
		if (!snapshot.complete()) {
			sink.discard();
		}
		return snapshot.took(Duration.ofNanos(System.nanoTime() - started));
	}

	private WatcherSnapshot snapshotAttempt(URI uri, SnapshotProperties limits, long deadline, SnapshotSink sink,
			AtomicInteger attempts) throws InterruptedException {
		if (System.nanoTime() - deadline > 0) {
			return notTakenInTime(limits, attempts);
		}
		InFlightLimit.Permit permit = awaitTurn(attempts);
		try {
			long started = System.nanoTime();
			@Nullable String statusClass = null;
			try (WatcherHttp.Streamed answer = this.http.open(uri, credential(), deadline)) {
				statusClass = (answer.status() / 100) + "xx";
				if (answer.status() != 200) {
					WatcherHttp.Answer whole = answer.whole();
					return refusedOrRetried(whole, (refused) -> WatcherSnapshot.incomplete(0,
							"list answered unexpected " + refused, attempts.get()));
				}
				long items = new SnapshotParser(this.link.resource()).parse(answer.body(), limits.maxItems(), deadline,
						limits.timeoutText(), sink);
				return WatcherSnapshot.complete(items, attempts.get());
			}
			catch (MalformedAnswer ex) {
				// not whole: a stream broken off, a proxy's doing; worth asking again
				throw new TransientAnswer(ex.status(), "list: " + evidence(ex));
			}
			catch (IOException ex) {
				if (System.nanoTime() - deadline > 0) {
					return notTakenInTime(limits, attempts);
				}
				throw new TransientAnswer(0, "list: " + describe(ex));
			}
			catch (SnapshotParser.NotAList ex) {
				// cut short, or not JSON: a proxy's page, a stream broken off; worth
				// asking again
				throw new TransientAnswer(200, "list: " + Evidence.of(withoutKey(ex.getMessage())));
			}
			catch (SnapshotRefused ex) {
				return WatcherSnapshot.incomplete(0, Evidence.of(withoutKey(ex.getMessage())), attempts.get());
			}
			finally {
				time(started, Endpoint.SNAPSHOT, (statusClass != null) ? "answered" : "io-error",
						(statusClass != null) ? statusClass : "none");
			}
		}
		finally {
			// a list streams for as long as it is: no sample of the API's latency
			permit.release(Release.IGNORED);
		}
	}

	private static WatcherSnapshot notTakenInTime(SnapshotProperties limits, AtomicInteger attempts) {
		return WatcherSnapshot.incomplete(0, "not taken within " + limits.timeoutText() + " (--snapshot-timeout)",
				attempts.get());
	}

	/**
	 * Runs {@code attempt} with the retry template: the answer of the attempt that
	 * succeeded, or {@code unavailable} with the last transient answer.
	 */
	private <T> T retrying(RetryTemplate retryTemplate, Attempt<T> attempt, Unavailable<T> unavailable) {
		AtomicInteger attempts = new AtomicInteger();
		try {
			return retryTemplate.execute(() -> attempt.run(attempts));
		}
		catch (RetryException ex) {
			Throwable last = ex.getCause();
			if (last instanceof TransientAnswer transientAnswer) {
				return unavailable.of(transientAnswer.status,
						transientAnswer.getMessage() + " (" + attempts(attempts.get()) + ")", attempts.get());
			}
			if (last instanceof NotSent) {
				return notSent(ex, attempts.get(), unavailable);
			}
			if (last instanceof WatcherAuthenticationException authentication) {
				throw authentication;
			}
			if (last instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			return unavailable.of(0, "lookup interrupted: " + describe(last), attempts.get());
		}
	}

	private static String attempts(int attempts) {
		return (attempts == 1) ? "1 attempt" : attempts + " attempts";
	}

	/** A request the stop cut short, with the answer of its last attempt, if any. */
	private static <T> T notSent(RetryException ex, int attempts, Unavailable<T> unavailable) {
		Throwable[] earlier = ex.getSuppressed();
		if (earlier.length > 0 && earlier[earlier.length - 1] instanceof TransientAnswer previous) {
			return unavailable.of(previous.status,
					previous.getMessage() + " (" + attempts(attempts) + "; not asked again: the run is stopping)",
					attempts);
		}
		return unavailable.of(0, "not asked: the run is stopping", attempts);
	}

	private RetryTemplate retryTemplate(int maxAttempts) {
		RetryTemplate retryTemplate = new RetryTemplate(RetryPolicy.builder()
			.includes(TransientAnswer.class)
			.maxRetries(maxAttempts - 1)
			.delay(this.properties.initialBackoff())
			.multiplier(2)
			.maxDelay(this.properties.maxBackoff())
			.jitter(this.properties.initialBackoff().dividedBy(2))
			.build());
		retryTemplate.setRetryListener(new RetryListener() {
			@Override
			public void beforeRetry(RetryPolicy retryPolicy, Retryable<?> retryable) {
				WatcherClient.this.retries.increment();
			}
		});
		return retryTemplate;
	}

	/** A plain GET of a path under the base URL, for preflight checks. */
	public WatcherAnswer get(String path, boolean authenticated) throws IOException {
		URI uri = URI.create(this.properties.requiredBaseUrl() + path);
		WatcherHttp.Answer answer;
		try {
			answer = send(uri, authenticated);
		}
		catch (MalformedAnswer ex) {
			throw new IOException(evidence(ex));
		}
		return new WatcherAnswer(answer.status(), Evidence.of(withoutKey(answer.body())), isDeleted(answer));
	}

	private WatchedItemLookup attempt(URI uri, String ulid, boolean firstAsk, AtomicInteger attempts)
			throws InterruptedException {
		WatcherHttp.Answer response = exchange(uri, Endpoint.ITEM, firstAsk, attempts);
		int status = response.status();
		String body = response.body();
		// the gone rules first: a link's gone answer may be a 200 (a resource deleted
		// but still retrievable); Watcher's is a 404
		if (isDeleted(response)) {
			return new WatchedItemLookup(Outcome.DELETED, status, evidence(status, body), null, attempts.get());
		}
		if (status == 200) {
			return found(ulid, body, attempts.get());
		}
		if (status == 404) {
			return new WatchedItemLookup(Outcome.NOT_FOUND_UNCONFIRMED, status, evidence(status, body), null,
					attempts.get());
		}
		// 1xx, 3xx (redirects are not followed) and other 4xx: not retried, not proof of
		// anything
		return new WatchedItemLookup(Outcome.UNAVAILABLE, status, "unexpected " + evidence(status, body), null,
				attempts.get());
	}

	/**
	 * One request, in its turn under the rate cap and within the requests in flight.
	 * @return the answer, unless it is one to retry or the key's rejection
	 * @throws TransientAnswer no answer, 429 or 5xx: worth another attempt
	 * @throws NotSent the run is stopping
	 * @throws WatcherAuthenticationException 401 or 403
	 */
	private WatcherHttp.Answer exchange(URI uri, Endpoint endpoint, boolean firstAsk, AtomicInteger attempts)
			throws InterruptedException {
		WatcherHttp.Answer response;
		InFlightLimit.Permit permit = awaitTurn(attempts);
		// an answer cut short or ambiguous says nothing of the API's load
		Release release = Release.IGNORED;
		try {
			long started = System.nanoTime();
			try {
				response = send(uri, true);
			}
			catch (MalformedAnswer ex) {
				time(started, endpoint, "io-error", "none");
				throw new TransientAnswer(ex.status(), evidence(ex));
			}
			catch (IOException ex) {
				// no answer in time, or none at all: the API may be overloaded
				release = Release.OVERLOADED;
				time(started, endpoint, "io-error", "none");
				throw new TransientAnswer(0, describe(ex));
			}
			// a 5xx asked again, as the recheck does, is expected of the few that
			// answered
			// it before: not a sign of load
			release = this.inFlight.releaseFor(response.status(), firstAsk);
			time(started, endpoint, "answered", (response.status() / 100) + "xx");
		}
		finally {
			permit.release(release);
		}
		return refusedOrRetried(response, (refused) -> response);
	}

	/**
	 * Takes a permit of the requests in flight, which the caller releases, then waits for
	 * the request's turn under the rate cap. The permit first, then the turn: a request
	 * that queued for a permit still leaves at its own slot, so the rate cap holds
	 * whatever the number of threads.
	 * @throws NotSent the run is stopping (the permit is released)
	 */
	private InFlightLimit.Permit awaitTurn(AtomicInteger attempts) throws InterruptedException {
		InFlightLimit.Permit permit = this.inFlight.acquire();
		boolean turn = false;
		try {
			turn = this.pacer.acquire();
		}
		finally {
			if (!turn) {
				permit.release(Release.IGNORED);
			}
		}
		if (!turn) {
			throw new NotSent();
		}
		attempts.incrementAndGet();
		return permit;
	}

	/**
	 * The key's rejection throws, 429 and 5xx are retried (after their
	 * {@code Retry-After}); any other answer is the caller's.
	 */
	private <T> T refusedOrRetried(WatcherHttp.Answer response, Function<String, T> otherwise) {
		int status = response.status();
		String body = response.body();
		if (status == 401 || status == 403) {
			throw new WatcherAuthenticationException(this.link.resource().name(), status,
					Evidence.of(withoutKey(body), EVIDENCE_BODY_LIMIT));
		}
		if (status == 429 || status >= 500) {
			if (response.retryAfter() != null) {
				holdEveryRequest(status, RetryAfter.parse(response.retryAfter()));
			}
			throw new TransientAnswer(status, evidence(status, body));
		}
		return otherwise.apply(evidence(status, body));
	}

	/**
	 * Watcher, or a proxy in front of it, asked to wait: no request of this process
	 * leaves before then, up to {@code --max-retry-after}.
	 */
	private void holdEveryRequest(int status, Duration retryAfter) {
		Duration pause = capped(retryAfter);
		if (this.pacer.pause(pause)) {
			logger.warn("Watcher answered HTTP {} with Retry-After: holding every request for {} ms", status,
					pause.toMillis());
		}
		this.holdListener.held(status, pause);
	}

	private Duration capped(Duration pause) {
		return (pause.compareTo(this.properties.maxRetryAfter()) > 0) ? this.properties.maxRetryAfter() : pause;
	}

	private void time(long started, Endpoint endpoint, String outcome, String statusClass) {
		Timer.builder("reconciler.watcher.requests")
			.description("Requests to Watcher: lookups by id, lookups in the list by back-link, snapshots")
			.tag("endpoint", endpoint.tag)
			.tag("outcome", outcome)
			.tag("status", statusClass)
			.register(this.meters)
			.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
	}

	private BackLinkSearch search() {
		BackLinkSearch search = this.link.resource().backLinkSearch();
		if (search == null) {
			throw new IllegalStateException(
					"link " + this.link.name() + " has no back-link search (resource.back-link-search)");
		}
		return search;
	}

	private WatchedItemLookup found(String ulid, String body, int attempts) {
		Fields fields = this.link.resource().fields();
		JsonNode item = parse(body);
		if (item == null || !item.isObject() || !ulid.equals(fields.idOf(item))) {
			throw new TransientAnswer(200,
					"200 without the WatchedItem " + ulid + ": " + Evidence.of(withoutKey(body), EVIDENCE_BODY_LIMIT));
		}
		JsonNode archivedAt = fields.archivedOf(item);
		boolean archived = archivedAt != null;
		String archiverInfoItemId = fields.backLinkOf(item);
		String evidence = "HTTP 200 " + (archived ? archivedName(fields) + "=" + archivedAt.asString() : "active");
		return new WatchedItemLookup(archived ? Outcome.ARCHIVED : Outcome.ACTIVE, 200, evidence, archiverInfoItemId,
				attempts);
	}

	/**
	 * The list's answer for the WatchedItems that link back to {@code infoItemUlid}:
	 * exactly one, none, or anything else (several, or items that do not link back, as
	 * when the filter was not applied), which is ambiguous.
	 */
	private LinkLookup links(String infoItemUlid, String body, int attempts) {
		JsonNode list = parse(body);
		if (list == null || !list.isArray()) {
			throw new TransientAnswer(200,
					"list: 200 without a list of WatchedItems: " + Evidence.of(withoutKey(body), EVIDENCE_BODY_LIMIT));
		}
		Resource resource = this.link.resource();
		Fields fields = resource.fields();
		List<String> linked = new ArrayList<>();
		int others = 0;
		for (JsonNode item : list) {
			String id = item.isObject() ? fields.idOf(item) : null;
			if (id == null || !resource.id().matches(id)) {
				throw new TransientAnswer(200, "list: 200 with an entry that is not a WatchedItem: "
						+ Evidence.of(withoutKey(String.valueOf(item)), EVIDENCE_BODY_LIMIT));
			}
			if (infoItemUlid.equals(fields.backLinkOf(item))) {
				linked.add(id + ((fields.archivedOf(item) == null) ? "" : " (archived)"));
			}
			else {
				others++;
			}
		}
		String answer = "list HTTP 200: " + linked.size() + " WatchedItem(s) link back to " + infoItemUlid
				+ (linked.isEmpty() ? "" : " (" + String.join(", ", linked) + ")")
				+ ((others > 0) ? ", " + others + " other(s) that do not" : "");
		if (others > 0 || linked.size() > 1) {
			return new LinkLookup(LinkLookup.Outcome.AMBIGUOUS, null, 200, answer, attempts);
		}
		if (linked.isEmpty()) {
			return new LinkLookup(LinkLookup.Outcome.NONE, null, 200, answer, attempts);
		}
		return new LinkLookup(LinkLookup.Outcome.ONE, linked.get(0).split(" ")[0], 200, answer, attempts);
	}

	/**
	 * Whether this is the API's answer for a deleted resource: one of the link's gone
	 * rules matches it (for Watcher, a 404 sent as JSON whose body parses strictly to
	 * exactly {@code {"detail":"WatchedItem not found"}}). White space between tokens and
	 * the framing of the transfer do not matter; another content type, a byte order mark,
	 * a duplicate or extra key or trailing data do.
	 */
	private boolean isDeleted(WatcherHttp.Answer answer) {
		return this.link.gone().matches(answer.status(), answer.contentType(), answer.body());
	}

	private WatcherHttp.Answer send(URI uri, boolean authenticated) throws IOException {
		return this.http.get(uri, authenticated ? credential() : null);
	}

	private WatcherHttp.Credential credential() {
		Auth auth = this.link.resource().auth();
		return new WatcherHttp.Credential(auth.header(), auth.value(this.properties.requiredApiKey()));
	}

	/** The name evidence gives the archived field: its last key, as archived_at. */
	private static String archivedName(Fields fields) {
		String pointer = String.valueOf(fields.archived());
		return pointer.substring(pointer.lastIndexOf('/') + 1);
	}

	private static @Nullable JsonNode parse(@Nullable String body) {
		return StrictJson.parse(body);
	}

	private String evidence(int status, String body) {
		return "HTTP " + status + " " + Evidence.of(withoutKey(body), EVIDENCE_BODY_LIMIT);
	}

	/**
	 * What was wrong with an answer that did not arrive whole, and what of its body did
	 * arrive: enough to see that it may have looked like an answer, and was not one.
	 */
	private String evidence(MalformedAnswer answer) {
		String received = answer.received();
		return "HTTP " + answer.status() + " " + answer.problem() + ((received != null && !received.isEmpty())
				? "; what arrived: " + Evidence.of(withoutKey(received), EVIDENCE_BODY_LIMIT) : "");
	}

	/**
	 * {@code body} with the API key taken out: a proxy's error or debug page may echo the
	 * request's headers, and evidence is stored, logged, reported and sent to chat.
	 */
	private String withoutKey(String body) {
		String apiKey = this.properties.apiKey();
		return (apiKey != null && !apiKey.isEmpty()) ? body.replace(apiKey, KEY_PLACEHOLDER) : body;
	}

	private static String describe(@Nullable Throwable ex) {
		if (ex == null) {
			return "unknown failure";
		}
		return ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + Evidence.of(ex.getMessage()) : "");
	}

	/**
	 * A plain answer, for preflight.
	 *
	 * @param status the HTTP status
	 * @param body the body as safe text on one line
	 * @param typedNotFound whether it is Watcher's typed 404 for a deleted WatchedItem
	 */
	public record WatcherAnswer(int status, String body, boolean typedNotFound) {

	}

	/** Told of each {@code Retry-After} this process honours. */
	@FunctionalInterface
	public interface HoldListener {

		/**
		 * Watcher answered {@code status} with a {@code Retry-After}: this process holds
		 * its requests for {@code pause} from now. Called on the thread that got the
		 * answer; must return at once.
		 */
		void held(int status, Duration pause);

	}

	/** Which of Watcher's endpoints a request asked, as its timer is tagged. */
	private enum Endpoint {

		ITEM("item"), LIST("list"), SNAPSHOT("snapshot");

		private final String tag;

		Endpoint(String tag) {
			this.tag = tag;
		}

	}

	/** One attempt of a request. */
	@FunctionalInterface
	private interface Attempt<T> {

		T run(AtomicInteger attempts) throws InterruptedException;

	}

	/** What a request amounts to when every attempt got a transient answer. */
	@FunctionalInterface
	private interface Unavailable<T> {

		T of(int status, String evidence, int attempts);

	}

	/** An answer worth another attempt. Internal to the retry loop. */
	static final class TransientAnswer extends RuntimeException {

		private final int status;

		TransientAnswer(int status, String evidence) {
			super(evidence, null, false, false);
			this.status = status;
		}

	}

	/** A request not sent, because the run is stopping. Not retried. */
	static final class NotSent extends RuntimeException {

		NotSent() {
			super("not sent: the run is stopping", null, false, false);
		}

	}

}
