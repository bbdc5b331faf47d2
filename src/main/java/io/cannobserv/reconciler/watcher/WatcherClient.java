package io.cannobserv.reconciler.watcher;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.ReconcilerProperties;
import io.cannobserv.reconciler.watcher.WatchedItemLookup.Outcome;

/**
 * Asks Watcher about WatchedItems. Turns every answer into a {@link WatchedItemLookup}:
 * expected HTTP outcomes are values, never exceptions, because only the caller can decide
 * what an answer means for a pointer. Transient failures are retried here, with
 * exponential backoff and jitter, honouring a {@code Retry-After} up to a cap. Only a
 * rejected key escapes as an exception.
 * <p>
 * The key is sent to the configured origin only: ids are validated before they reach a
 * path, and redirects are never followed.
 */
@Component
public class WatcherClient {

	static final String ITEM_PATH = "/api/v1/watched-items/";

	private static final String DELETED_BODY = "{\"detail\":\"WatchedItem not found\"}";

	private static final int EVIDENCE_BODY_LIMIT = 160;

	private final WatcherProperties properties;

	private final JsonMapper jsonMapper;

	private final WatcherHttp http;

	private final RequestPacer pacer;

	private final RetryTemplate patient;

	private final RetryTemplate once;

	private final JsonNode deletedBody;

	private final MeterRegistry meters;

	private final Counter retries;

	/**
	 * Requests in flight, whatever the number of threads asking: sleeping retries hold
	 * none.
	 */
	private final Semaphore inFlight;

	@Autowired
	public WatcherClient(WatcherProperties properties, JsonMapper jsonMapper, MeterRegistry meters,
			ReconcilerProperties reconcilerProperties) {
		this(properties, jsonMapper, meters, reconcilerProperties.concurrency(), reconcilerProperties.partitions());
	}

	/**
	 * Without metrics, and with no limit on requests in flight but the caller's threads.
	 */
	public WatcherClient(WatcherProperties properties, JsonMapper jsonMapper) {
		this(properties, jsonMapper, new SimpleMeterRegistry(), Integer.MAX_VALUE, 1);
	}

	private WatcherClient(WatcherProperties properties, JsonMapper jsonMapper, MeterRegistry meters, int maxInFlight,
			int partitions) {
		this.inFlight = new Semaphore(maxInFlight);
		this.properties = properties;
		this.jsonMapper = jsonMapper;
		this.http = new WatcherHttp(properties.connectTimeout(), properties.readTimeout());
		// the cap is the whole run's: the partitions of a run check side by side, each at
		// its share
		this.pacer = new RequestPacer(properties.maxRequestsPerSecond() / partitions);
		this.deletedBody = jsonMapper.readTree(DELETED_BODY);
		this.meters = meters;
		this.retries = Counter.builder("reconciler.watcher.retries")
			.description("Lookups sent again after a transient answer")
			.register(meters);
		this.patient = retryTemplate(properties.maxAttempts());
		this.once = retryTemplate(1);
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

	private WatchedItemLookup lookup(String ulid, RetryTemplate retryTemplate) {
		URI uri = URI.create(this.properties.requiredBaseUrl() + ITEM_PATH + ulid);
		AtomicInteger attempts = new AtomicInteger();
		// not before this System.nanoTime(): the last answer's Retry-After, capped
		AtomicLong notBefore = new AtomicLong(Long.MIN_VALUE);
		try {
			return retryTemplate.execute(() -> attempt(uri, ulid, attempts, notBefore));
		}
		catch (RetryException ex) {
			Throwable last = ex.getCause();
			if (last instanceof TransientAnswer transientAnswer) {
				return new WatchedItemLookup(Outcome.UNAVAILABLE, transientAnswer.status,
						transientAnswer.getMessage() + " (" + attempts.get() + " attempts)", null, attempts.get());
			}
			if (last instanceof WatcherAuthenticationException authentication) {
				throw authentication;
			}
			if (last instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			return new WatchedItemLookup(Outcome.UNAVAILABLE, 0, "lookup interrupted: " + describe(last), null,
					attempts.get());
		}
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
		WatcherHttp.Answer answer = send(uri, authenticated);
		return new WatcherAnswer(answer.status(), oneLine(answer.body()),
				answer.status() == 404 && isDeletedBody(answer.body()));
	}

	private WatchedItemLookup attempt(URI uri, String ulid, AtomicInteger attempts, AtomicLong notBefore)
			throws InterruptedException {
		long wait = notBefore.get() - System.nanoTime();
		if (notBefore.get() != Long.MIN_VALUE && wait > 0) {
			TimeUnit.NANOSECONDS.sleep(wait);
		}
		this.pacer.acquire();
		attempts.incrementAndGet();
		WatcherHttp.Answer response;
		this.inFlight.acquire();
		long started = System.nanoTime();
		try {
			response = send(uri, true);
		}
		catch (IOException ex) {
			time(started, "io-error", "none");
			throw new TransientAnswer(0, describe(ex));
		}
		finally {
			this.inFlight.release();
		}
		int status = response.status();
		time(started, "answered", (status / 100) + "xx");
		String body = response.body();
		if (status == 200) {
			return found(ulid, body, attempts.get());
		}
		if (status == 404) {
			Outcome outcome = isDeletedBody(body) ? Outcome.DELETED : Outcome.NOT_FOUND_UNCONFIRMED;
			return new WatchedItemLookup(outcome, status, evidence(status, body), null, attempts.get());
		}
		if (status == 401 || status == 403) {
			throw new WatcherAuthenticationException(status, oneLine(body));
		}
		if (status == 429 || status >= 500) {
			if (response.retryAfter() != null) {
				notBefore.set(System.nanoTime() + cap(RetryAfter.parse(response.retryAfter())).toNanos());
			}
			throw new TransientAnswer(status, evidence(status, body));
		}
		// 1xx, 3xx (redirects are not followed) and other 4xx: not retried, not proof of
		// anything
		return new WatchedItemLookup(Outcome.UNAVAILABLE, status, "unexpected " + evidence(status, body), null,
				attempts.get());
	}

	private void time(long started, String outcome, String statusClass) {
		Timer.builder("reconciler.watcher.requests")
			.description("Requests to Watcher's WatchedItem endpoint")
			.tag("outcome", outcome)
			.tag("status", statusClass)
			.register(this.meters)
			.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
	}

	private WatchedItemLookup found(String ulid, String body, int attempts) {
		JsonNode item = parse(body);
		if (item == null || !item.isObject() || !ulid.equals(item.path("id").stringValue(null))) {
			throw new TransientAnswer(200, "200 without the WatchedItem " + ulid + ": " + truncate(oneLine(body)));
		}
		JsonNode archivedAt = item.path("archived_at");
		boolean archived = !archivedAt.isMissingNode() && !archivedAt.isNull();
		JsonNode backLink = item.path("archiver_info_item_id");
		String archiverInfoItemId = backLink.isString() ? backLink.stringValue() : null;
		String evidence = "HTTP 200 " + (archived ? "archived_at=" + archivedAt.asString() : "active");
		return new WatchedItemLookup(archived ? Outcome.ARCHIVED : Outcome.ACTIVE, 200, evidence, archiverInfoItemId,
				attempts);
	}

	private boolean isDeletedBody(String body) {
		JsonNode node = parse(body);
		return node != null && node.equals(this.deletedBody);
	}

	private WatcherHttp.Answer send(URI uri, boolean authenticated) throws IOException {
		return this.http.get(uri, authenticated ? this.properties.requiredApiKey() : null);
	}

	private @Nullable JsonNode parse(@Nullable String body) {
		if (body == null || body.isBlank()) {
			return null;
		}
		try {
			return this.jsonMapper.readTree(body);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private Duration cap(Duration retryAfter) {
		return (retryAfter.compareTo(this.properties.maxRetryAfter()) > 0) ? this.properties.maxRetryAfter()
				: retryAfter;
	}

	private static String evidence(int status, @Nullable String body) {
		return "HTTP " + status + " " + truncate(oneLine(body));
	}

	static String oneLine(@Nullable String text) {
		return (text != null) ? text.replaceAll("\\s+", " ").strip() : "";
	}

	private static String truncate(String text) {
		return (text.length() > EVIDENCE_BODY_LIMIT) ? text.substring(0, EVIDENCE_BODY_LIMIT) + "…" : text;
	}

	private static String describe(@Nullable Throwable ex) {
		if (ex == null) {
			return "unknown failure";
		}
		return ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + oneLine(ex.getMessage()) : "");
	}

	/**
	 * A plain answer, for preflight.
	 *
	 * @param status the HTTP status
	 * @param body the body on one line
	 * @param typedNotFound whether it is Watcher's typed 404 for a deleted WatchedItem
	 */
	public record WatcherAnswer(int status, String body, boolean typedNotFound) {

	}

	/** An answer worth another attempt. Internal to the retry loop. */
	static final class TransientAnswer extends RuntimeException {

		private final int status;

		TransientAnswer(int status, String evidence) {
			super(evidence, null, false, false);
			this.status = status;
		}

	}

}
