package io.cannobserv.reconciler.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterAction;
import com.github.tomakehurst.wiremock.extension.requestfilter.StubRequestFilterV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.jspecify.annotations.Nullable;

import io.cannobserv.reconciler.link.LinkFile;
import io.cannobserv.reconciler.link.Resource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.not;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * A Watcher on a random local port that answers like the real one
 * ({@code watcher-contract.md}): FastAPI's bodies, the API key checked on the
 * {@code /api/v1} routes that exist, typed and untyped 404s, and whatever failure a test
 * asks for on a given WatchedItem id.
 * <p>
 * Out of the box every valid ULID is unknown (the typed 404), every other id is
 * {@code Resource not found}, and every unknown route is FastAPI's {@code Not Found}. Per
 * item helpers ({@link #live}, {@link #deleted}, {@link #failing}...) override that; the
 * latest call for an id wins.
 * <p>
 * Free of JUnit, so a plain {@code main()} can run it too.
 */
public final class FakeWatcher implements AutoCloseable {

	public static final String DEFAULT_API_KEY = "test-watcher-api-key";

	/**
	 * The built-in link the fake speaks for: its paths and its key's header are read from
	 * the link file, not restated (LinkTests holds the file to Watcher's contract). The
	 * bodies are Watcher's own answers, captured, so that a link file that misread them
	 * fails here.
	 */
	private static final Resource WATCHER = LinkFile.archiverWatcher().resource();

	public static final String API_KEY_HEADER = WATCHER.auth().header();

	/** One WatchedItem's path, before its id. */
	public static final String ITEM_PATH = WATCHER.item().substring(0, WATCHER.item().indexOf('{'));

	public static final String WATCHED_ITEMS_PATH = ITEM_PATH.substring(0, ITEM_PATH.length() - 1);

	// WireMock tries the lowest priority number first; equal priorities: newest stub
	// first
	private static final int WRONG_BASE_URL = 1;

	private static final int MISSING_KEY = 2;

	private static final int WRONG_KEY = 3;

	private static final int NOT_READY = 4;

	private static final int PER_ITEM = 5;

	private static final int UNKNOWN_VALID_ID = 8;

	private static final int OTHER_ID = 9;

	private static final int UNKNOWN_ROUTE = 10;

	private static final String ULID_REGEX = Ulids.PATTERN.pattern();

	/**
	 * The routes that exist, so that FastAPI runs the key check: any other path is a
	 * plain 404.
	 */
	private static final String KNOWN_ROUTES_REGEX = WATCHED_ITEMS_PATH + "(/[^/]+)?";

	private static final Pattern KNOWN_ROUTES = Pattern.compile(KNOWN_ROUTES_REGEX);

	private final String apiKey;

	private final KeyRevocation keyRevocation;

	private final Listing listing;

	private final Hooks hooks = new Hooks();

	private final HealthGate healthGate = new HealthGate();

	private final WireMockServer server;

	public FakeWatcher() {
		this(DEFAULT_API_KEY);
	}

	public FakeWatcher(String apiKey) {
		this.apiKey = apiKey;
		this.keyRevocation = new KeyRevocation(apiKey);
		this.listing = new Listing(apiKey);
		// uvicorn does not compress; threads for a classifier that fans out per chunk
		this.server = new WireMockServer(wireMockConfig().dynamicPort()
			.gzipDisabled(true)
			.containerThreads(64)
			.extensions(this.hooks, this.keyRevocation, this.listing, this.healthGate));
	}

	/**
	 * Starts the server with the default stubs; returns this for
	 * {@code new FakeWatcher().start()}.
	 */
	public FakeWatcher start() {
		this.server.start();
		installDefaults();
		return this;
	}

	public void stop() {
		this.server.stop();
	}

	@Override
	public void close() {
		stop();
	}

	/**
	 * Forgets every per-item stub, scenario state, revocation, listed item, hook and
	 * logged request.
	 */
	public void reset() {
		this.server.resetAll();
		this.keyRevocation.allow(Integer.MAX_VALUE);
		this.listing.clear();
		this.hooks.clear();
		installDefaults();
	}

	/**
	 * The value for {@code WATCHER_BASE_URL}: {@code http://localhost:port}, without
	 * {@code /api/v1}.
	 */
	public String baseUrl() {
		return this.server.baseUrl();
	}

	public int port() {
		return this.server.port();
	}

	/** The value for {@code WATCHER_API_KEY}. */
	public String apiKey() {
		return this.apiKey;
	}

	/** The underlying server, for what these helpers do not cover. */
	public WireMockServer server() {
		return this.server;
	}

	/** 200 with an active WatchedItem linked back to {@code infoItemId}. */
	public void live(String watchedId, String infoItemId) {
		stubItem(watchedId, json(200, WatcherBodies.live(watchedId, infoItemId)));
		this.listing.put(watchedId, infoItemId, false);
	}

	/** 200 with an archived WatchedItem: it still exists, so its pointer is not stale. */
	public void archived(String watchedId, String infoItemId) {
		stubItem(watchedId, json(200, WatcherBodies.archived(watchedId, infoItemId)));
		this.listing.put(watchedId, infoItemId, true);
	}

	/** 200 with a WatchedItem that names another InfoItem ({@code null}: none). */
	public void mismatched(String watchedId, @Nullable String otherInfoItemId) {
		stubItem(watchedId, json(200, WatcherBodies.live(watchedId, otherInfoItemId)));
		this.listing.put(watchedId, otherInfoItemId, false);
	}

	/**
	 * The typed 404 {@code {"detail":"WatchedItem not found"}}: the item was deleted.
	 * Every unknown valid ULID already gets it; this makes the case explicit.
	 */
	public void deleted(String watchedId) {
		stubItem(watchedId, json(404, WatcherBodies.WATCHED_ITEM_NOT_FOUND));
		this.listing.remove(watchedId);
	}

	/**
	 * The typed 404, after {@code millis}: leaves a window between the read and the
	 * write.
	 */
	public void deletedAfter(String watchedId, int millis) {
		stubItem(watchedId, json(404, WatcherBodies.WATCHED_ITEM_NOT_FOUND).withFixedDelay(millis));
		this.listing.remove(watchedId);
	}

	/**
	 * A 404 whose body is not the typed one, as from an ingress or a wrong route: not
	 * proof of deletion. A body starting with '{' is sent as JSON, anything else as HTML.
	 */
	public void notFoundUnconfirmed(String watchedId, String body) {
		String contentType = body.startsWith("{") ? "application/json" : "text/html";
		stubItem(watchedId, aResponse().withStatus(404).withHeader("Content-Type", contentType).withBody(body));
	}

	/**
	 * Always {@code status} for this id: 500 with uvicorn's {@code text/plain} body, any
	 * other status with a proxy-like plain text body.
	 */
	public void failing(String watchedId, int status) {
		stubItem(watchedId, failure(status));
	}

	/**
	 * {@code failures} times 503, then 200 live for good (a WireMock scenario per id).
	 */
	public void flakyThenLive(String watchedId, String infoItemId, int failures) {
		this.listing.put(watchedId, infoItemId, false);
		String scenario = "flaky " + watchedId;
		for (int attempt = 0; attempt < failures; attempt++) {
			this.server.stubFor(get(urlPathEqualTo(itemPath(watchedId))).atPriority(PER_ITEM)
				.inScenario(scenario)
				.whenScenarioStateIs(attemptState(attempt))
				.willSetStateTo(attemptState(attempt + 1))
				.willReturn(failure(503)));
		}
		this.server.stubFor(get(urlPathEqualTo(itemPath(watchedId))).atPriority(PER_ITEM)
			.inScenario(scenario)
			.whenScenarioStateIs(attemptState(failures))
			.willReturn(json(200, WatcherBodies.live(watchedId, infoItemId))));
	}

	/**
	 * 503 {@code failures} times, then Watcher's typed 404: deleted while the proxy was
	 * failing.
	 */
	public void flakyThenDeleted(String watchedId, int failures) {
		String scenario = "flaky deleted " + watchedId;
		for (int attempt = 0; attempt < failures; attempt++) {
			this.server.stubFor(get(urlPathEqualTo(itemPath(watchedId))).atPriority(PER_ITEM)
				.inScenario(scenario)
				.whenScenarioStateIs(attemptState(attempt))
				.willSetStateTo(attemptState(attempt + 1))
				.willReturn(failure(503)));
		}
		this.server.stubFor(get(urlPathEqualTo(itemPath(watchedId))).atPriority(PER_ITEM)
			.inScenario(scenario)
			.whenScenarioStateIs(attemptState(failures))
			.willReturn(json(404, WatcherBodies.WATCHED_ITEM_NOT_FOUND)));
	}

	/** {@code response} to every request for this id. */
	public void answer(String watchedId, ResponseDefinitionBuilder response) {
		stubItem(watchedId, response);
	}

	/**
	 * {@code first} for the first request of this id, {@code then} for every later one:
	 * what the first pass and the recheck each get.
	 */
	public void firstThen(String watchedId, ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
		String scenario = "first then " + watchedId;
		this.server.stubFor(get(urlPathEqualTo(itemPath(watchedId))).atPriority(PER_ITEM)
			.inScenario(scenario)
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("asked")
			.willReturn(first));
		this.server.stubFor(get(urlPathEqualTo(itemPath(watchedId))).atPriority(PER_ITEM)
			.inScenario(scenario)
			.whenScenarioStateIs("asked")
			.willReturn(then));
	}

	/**
	 * A broken connection or response for this id, e.g.
	 * {@link Fault#CONNECTION_RESET_BY_PEER}.
	 */
	public void fault(String watchedId, Fault fault) {
		stubItem(watchedId, aResponse().withFault(fault));
	}

	/** 200 live, linked back to {@code infoItemId}, after {@code millis}. */
	public void delayed(String watchedId, String infoItemId, int millis) {
		stubItem(watchedId, json(200, WatcherBodies.live(watchedId, infoItemId)).withFixedDelay(millis));
	}

	/**
	 * 200 after {@code millis}, linked to no InfoItem: for read timeouts, where the body
	 * never arrives.
	 */
	public void delayed(String watchedId, int millis) {
		stubItem(watchedId, json(200, WatcherBodies.live(watchedId, null)).withFixedDelay(millis));
	}

	/** 429 from a proxy, with {@code Retry-After: seconds} unless {@code null}. */
	public void status429(String watchedId, @Nullable Integer retryAfterSeconds) {
		ResponseDefinitionBuilder response = failure(429);
		if (retryAfterSeconds != null) {
			response = response.withHeader("Retry-After", String.valueOf(retryAfterSeconds));
		}
		stubItem(watchedId, response);
	}

	/** A 2xx that is not a WatchedItem: truncated JSON. */
	public void malformedBody(String watchedId) {
		stubItem(watchedId, json(200, "{\"id\":" + WatcherBodies.json(watchedId) + ",\"archiver_info_item_id\":"));
	}

	/**
	 * Lists a WatchedItem in the list endpoint's answers, and only there: a lookup of it
	 * by id answers as stubbed before (the typed 404 by default), as for an item deleted
	 * between the two requests.
	 */
	public void listedOnly(String watchedId, @Nullable String infoItemId, boolean archived) {
		this.listing.put(watchedId, infoItemId, archived);
	}

	/**
	 * Every list request with the right key gets {@code answer} instead of the list
	 * ({@code null}: the list again), e.g. a 503 from a proxy.
	 */
	public void listAnswers(@Nullable ResponseDefinitionBuilder answer) {
		this.listing.override((answer != null) ? answer.build() : null, Integer.MAX_VALUE);
	}

	/**
	 * The next {@code times} list requests with the right key get {@code answer}; later
	 * ones the list again.
	 */
	public void listAnswers(ResponseDefinitionBuilder answer, int times) {
		this.listing.override(answer.build(), times);
	}

	/** The list's answers come after {@code millis}, as from a slow Watcher. */
	public void listDelay(int millis) {
		this.listing.delayMillis = millis;
	}

	/**
	 * The query strings of the list requests answered from the listing, oldest first:
	 * {@code include_archived=true} for a snapshot, with {@code archiver_info_item_id=}
	 * for a search by back-link.
	 */
	public List<String> listRequests() {
		return List.copyOf(this.listing.requests);
	}

	/**
	 * Runs {@code action} when the first request for this WatchedItem arrives, before it
	 * is answered: what happens elsewhere while a run is under way.
	 */
	public void onFirstRequestFor(String watchedId, Runnable action) {
		this.hooks.add(itemPath(watchedId), action);
	}

	/** {@code /ready} answers 503 not-ready (the database is down). */
	public void notReady() {
		this.server.stubFor(
				get(urlPathEqualTo("/ready")).atPriority(NOT_READY).willReturn(json(503, WatcherBodies.NOT_READY)));
	}

	/**
	 * Everything, {@code /health} included, answers 404 {@code {"detail":"Not Found"}}:
	 * what the job sees behind a wrong base URL or path prefix.
	 */
	public void wrongBaseUrl() {
		this.server
			.stubFor(any(anyUrl()).atPriority(WRONG_BASE_URL).willReturn(json(404, WatcherBodies.ROUTE_NOT_FOUND)));
	}

	/**
	 * From now on, accepts the key on {@code n} more requests, then answers 401 as if it
	 * had been revoked.
	 */
	public void revokeKeyAfter(int n) {
		this.keyRevocation.allow(n);
	}

	/**
	 * From now on, holds every {@code GET /health} unanswered until
	 * {@link #releaseHealthChecks()}: processes started together wait in their preflight,
	 * each past its run lock, and go on at the same instant.
	 */
	public void holdHealthChecks() {
		this.healthGate.hold();
	}

	/** How many health checks arrived since {@link #holdHealthChecks()}. */
	public int heldHealthChecks() {
		return this.healthGate.arrived();
	}

	/** Answers the held health checks, and every later one at once. */
	public void releaseHealthChecks() {
		this.healthGate.release();
	}

	/** Requests for one WatchedItem, oldest first. */
	public List<LoggedRequest> requestsFor(String watchedId) {
		return this.server.findAll(getRequestedFor(urlPathEqualTo(itemPath(watchedId))));
	}

	/** Every request received, oldest first (WireMock's journal lists newest first). */
	public List<LoggedRequest> allRequests() {
		List<LoggedRequest> requests = new ArrayList<>();
		for (ServeEvent event : this.server.getAllServeEvents()) {
			requests.add(event.getRequest());
		}
		Collections.reverse(requests);
		return requests;
	}

	/**
	 * Requests to {@code /api/v1/watched-items/{id}}, whatever the id: what the job spent
	 * on lookups.
	 */
	public List<LoggedRequest> itemRequests() {
		return this.server.findAll(getRequestedFor(urlPathMatching(WATCHED_ITEMS_PATH + "/[^/]+")));
	}

	/** The path of a WatchedItem; the id must be URL-safe (a ULID is). */
	public static String itemPath(String watchedId) {
		return WATCHED_ITEMS_PATH + "/" + watchedId;
	}

	private void installDefaults() {
		this.server.stubFor(get(urlPathEqualTo(Objects.requireNonNull(WATCHER.health()))).atPriority(PER_ITEM)
			.willReturn(json(200, WatcherBodies.HEALTH_OK)));
		this.server
			.stubFor(get(urlPathEqualTo("/ready")).atPriority(PER_ITEM).willReturn(json(200, WatcherBodies.READY)));

		this.server.stubFor(any(urlPathMatching(KNOWN_ROUTES_REGEX)).atPriority(MISSING_KEY)
			.withHeader(API_KEY_HEADER, absent())
			.willReturn(json(403, WatcherBodies.NOT_AUTHENTICATED)));
		// FastAPI's APIKeyHeader treats an empty value as a missing header
		this.server.stubFor(any(urlPathMatching(KNOWN_ROUTES_REGEX)).atPriority(MISSING_KEY)
			.withHeader(API_KEY_HEADER, equalTo(""))
			.willReturn(json(403, WatcherBodies.NOT_AUTHENTICATED)));
		this.server.stubFor(any(urlPathMatching(KNOWN_ROUTES_REGEX)).atPriority(WRONG_KEY)
			.withHeader(API_KEY_HEADER, not(equalTo(this.apiKey)))
			.willReturn(json(401, WatcherBodies.INVALID_API_KEY)));

		this.server.stubFor(get(urlPathMatching(WATCHED_ITEMS_PATH + "/" + ULID_REGEX)).atPriority(UNKNOWN_VALID_ID)
			.willReturn(json(404, WatcherBodies.WATCHED_ITEM_NOT_FOUND)));
		this.server.stubFor(get(urlPathMatching(WATCHED_ITEMS_PATH + "/[^/]+")).atPriority(OTHER_ID)
			.willReturn(json(404, WatcherBodies.RESOURCE_NOT_FOUND)));

		// the list endpoint: nothing links back to any InfoItem
		this.server.stubFor(get(urlPathEqualTo(WATCHED_ITEMS_PATH)).atPriority(UNKNOWN_VALID_ID)
			.withQueryParam("archiver_info_item_id", matching(ULID_REGEX))
			.willReturn(json(200, "[]")));
		this.server.stubFor(get(urlPathEqualTo(WATCHED_ITEMS_PATH)).atPriority(OTHER_ID)
			.withQueryParam("archiver_info_item_id", absent())
			.willReturn(json(200, "[]")));
		this.server.stubFor(get(urlPathEqualTo(WATCHED_ITEMS_PATH)).atPriority(UNKNOWN_ROUTE - 1)
			.willReturn(json(400, WatcherBodies.INVALID_FILTER)));

		this.server
			.stubFor(any(anyUrl()).atPriority(UNKNOWN_ROUTE).willReturn(json(404, WatcherBodies.ROUTE_NOT_FOUND)));
	}

	private void stubItem(String watchedId, ResponseDefinitionBuilder response) {
		this.server.stubFor(get(urlPathEqualTo(itemPath(watchedId))).atPriority(PER_ITEM).willReturn(response));
	}

	private static String attemptState(int attempt) {
		return (attempt == 0) ? Scenario.STARTED : "failed " + attempt;
	}

	private static ResponseDefinitionBuilder json(int status, String body) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
	}

	private static ResponseDefinitionBuilder failure(int status) {
		String body = switch (status) {
			case 500 -> WatcherBodies.INTERNAL_SERVER_ERROR;
			case 429 -> "Too Many Requests";
			case 502 -> "Bad Gateway";
			case 503 -> "Service Unavailable";
			case 504 -> "Gateway Timeout";
			default -> "Error " + status;
		};
		return aResponse().withStatus(status).withHeader("Content-Type", "text/plain; charset=utf-8").withBody(body);
	}

	/**
	 * Watcher's list, {@code GET /api/v1/watched-items}, answered from the items the
	 * per-item helpers stubbed as existing, with Watcher's filters: archived items only
	 * with {@code include_archived=true}, {@code archiver_info_item_id} (a ULID, else
	 * 400), ordered by name (all fixtures share one name, so by id). A filter, not a
	 * stub, so that the answer is the listing as it is at the moment of the request.
	 */
	private static final class Listing implements StubRequestFilterV2 {

		private final String apiKey;

		private final ConcurrentSkipListMap<String, Listed> items = new ConcurrentSkipListMap<>();

		private final List<String> requests = new CopyOnWriteArrayList<>();

		private volatile com.github.tomakehurst.wiremock.http.@Nullable ResponseDefinition override;

		private final AtomicInteger overrides = new AtomicInteger();

		private volatile int delayMillis;

		Listing(String apiKey) {
			this.apiKey = apiKey;
		}

		void put(String watchedId, @Nullable String infoItemId, boolean archived) {
			this.items.put(watchedId, new Listed(watchedId, infoItemId, archived));
		}

		void remove(String watchedId) {
			this.items.remove(watchedId);
		}

		void override(com.github.tomakehurst.wiremock.http.@Nullable ResponseDefinition answer, int times) {
			this.override = answer;
			this.overrides.set(times);
		}

		void clear() {
			this.items.clear();
			this.requests.clear();
			this.override = null;
			this.delayMillis = 0;
		}

		@Override
		public RequestFilterAction filter(Request request, ServeEvent serveEvent) {
			String url = request.getUrl();
			int query = url.indexOf('?');
			String path = (query < 0) ? url : url.substring(0, query);
			if (!request.getMethod().getName().equals("GET") || !path.equals(WATCHED_ITEMS_PATH)
					|| !this.apiKey.equals(request.getHeader(API_KEY_HEADER))) {
				// the stubs answer a missing or wrong key as Watcher does
				return RequestFilterAction.continueWith(request);
			}
			this.requests.add((query < 0) ? "" : url.substring(query + 1));
			if (this.delayMillis > 0) {
				try {
					Thread.sleep(this.delayMillis);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			com.github.tomakehurst.wiremock.http.ResponseDefinition answer = this.override;
			if (answer != null && this.overrides.getAndDecrement() > 0) {
				return RequestFilterAction.stopWith(answer);
			}
			String filter = request.queryParameter("archiver_info_item_id").isPresent()
					? request.queryParameter("archiver_info_item_id").firstValue() : null;
			boolean includeArchived = request.queryParameter("include_archived").isPresent()
					&& request.queryParameter("include_archived").firstValue().equals("true");
			if (filter != null && !Ulids.isValid(filter)) {
				return RequestFilterAction.stopWith(json(400, WatcherBodies.INVALID_FILTER).build());
			}
			StringBuilder body = new StringBuilder("[");
			for (Listed item : this.items.values()) {
				if ((item.archived() && !includeArchived)
						|| (filter != null && !filter.equals(item.archiverInfoItemId()))) {
					continue;
				}
				body.append((body.length() > 1) ? "," : "")
					.append(item.archived() ? WatcherBodies.archived(item.id(), item.archiverInfoItemId())
							: WatcherBodies.live(item.id(), item.archiverInfoItemId()));
			}
			return RequestFilterAction.stopWith(json(200, body.append(']').toString()).build());
		}

		@Override
		public String getName() {
			return "fake-watcher-listing";
		}

		private record Listed(String id, @Nullable String archiverInfoItemId, boolean archived) {
		}

	}

	/** Actions run when the first request for a path arrives. */
	private static final class Hooks implements StubRequestFilterV2 {

		private final Map<String, Runnable> byPath = new ConcurrentHashMap<>();

		void add(String path, Runnable action) {
			this.byPath.put(path, action);
		}

		void clear() {
			this.byPath.clear();
		}

		@Override
		public RequestFilterAction filter(Request request, ServeEvent serveEvent) {
			String url = request.getUrl();
			int query = url.indexOf('?');
			Runnable action = this.byPath.remove((query < 0) ? url : url.substring(0, query));
			if (action != null) {
				action.run();
			}
			return RequestFilterAction.continueWith(request);
		}

		@Override
		public String getName() {
			return "fake-watcher-hooks";
		}

	}

	/**
	 * Lets a number of authenticated requests through, then rejects the key. A filter,
	 * not a scenario, because it must count requests across every stub.
	 */
	private static final class KeyRevocation implements StubRequestFilterV2 {

		private final String apiKey;

		private final AtomicInteger accepted = new AtomicInteger();

		private volatile int allowance = Integer.MAX_VALUE;

		KeyRevocation(String apiKey) {
			this.apiKey = apiKey;
		}

		void allow(int n) {
			this.accepted.set(0);
			this.allowance = n;
		}

		@Override
		public RequestFilterAction filter(Request request, ServeEvent serveEvent) {
			boolean authenticated = this.apiKey.equals(request.getHeader(API_KEY_HEADER))
					&& KNOWN_ROUTES.matcher(pathOf(request.getUrl())).matches();
			if (authenticated && this.accepted.incrementAndGet() > this.allowance) {
				return RequestFilterAction.stopWith(json(401, WatcherBodies.INVALID_API_KEY).build());
			}
			return RequestFilterAction.continueWith(request);
		}

		@Override
		public String getName() {
			return "fake-watcher-key-revocation";
		}

		private static String pathOf(String url) {
			int query = url.indexOf('?');
			return (query < 0) ? url : url.substring(0, query);
		}

	}

	/**
	 * Holds health checks while closed. A filter, so that it holds the request before any
	 * stub answers it, whatever the stubs.
	 */
	private static final class HealthGate implements StubRequestFilterV2 {

		private static final long LONGEST_HOLD_SECONDS = 300;

		private volatile CountDownLatch closed = new CountDownLatch(0);

		private final AtomicInteger arrived = new AtomicInteger();

		void hold() {
			this.arrived.set(0);
			this.closed = new CountDownLatch(1);
		}

		void release() {
			this.closed.countDown();
		}

		int arrived() {
			return this.arrived.get();
		}

		@Override
		public RequestFilterAction filter(Request request, ServeEvent serveEvent) {
			CountDownLatch gate = this.closed;
			if (gate.getCount() > 0 && request.getUrl().startsWith("/health")) {
				this.arrived.incrementAndGet();
				try {
					gate.await(LONGEST_HOLD_SECONDS, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			return RequestFilterAction.continueWith(request);
		}

		@Override
		public String getName() {
			return "fake-watcher-health-gate";
		}

	}

}
