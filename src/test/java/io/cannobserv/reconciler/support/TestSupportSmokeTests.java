package io.cannobserv.reconciler.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.http.Fault;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import io.cannobserv.reconciler.support.RegistryFixture.Entry;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.RegistryFixture.PointerClass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

/**
 * Proves the test support against a real PostgreSQL and real HTTP, so that a failing job
 * test points at the job, not at its fixtures.
 */
class TestSupportSmokeTests {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static FakeWatcher watcher;

	@BeforeAll
	static void startWatcher() {
		watcher = new FakeWatcher().start();
	}

	@AfterAll
	static void stopWatcher() {
		watcher.stop();
	}

	@AfterEach
	void resetWatcher() {
		watcher.reset();
	}

	@Test
	void newDatabaseWhenCalledTwiceReturnsSeparateEmptyDatabases() {
		// when
		TestDatabase first = TestPostgres.newDatabase();
		TestDatabase second = TestPostgres.newDatabase();

		// then
		assertThat(first.name()).isNotEqualTo(second.name());
		first.jdbc().execute("CREATE TABLE only_here (id int)");
		assertThat(tableCount(first.jdbc())).isEqualTo(1);
		assertThat(tableCount(second.jdbc())).isZero();
		assertThat(first.jdbc().queryForObject("SHOW server_version_num", Integer.class)).isBetween(170000, 179999);
		assertThat(first.springArgs()).containsExactly("--spring.datasource.url=" + first.jdbcUrl(),
				"--spring.datasource.username=" + first.username(), "--spring.datasource.password=" + first.password());
	}

	@Test
	void withLoginWhenThePasswordIsWrongIsRefusedByTheServer() {
		// given
		TestDatabase login = TestPostgres.newDatabase().withLogin("right-password");

		// when, then
		assertThat(login.jdbc().queryForObject("SELECT current_user", String.class)).isEqualTo(login.username());
		TestDatabase wrong = new TestDatabase(login.jdbcUrl(), login.username(), "wrong-password");
		assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> wrong.jdbc().execute("SELECT 1"))
			.havingRootCause()
			.withMessageContaining("password authentication failed");
	}

	@Test
	void snapshotWhenItemsInsertedReturnsEveryColumnInIdOrder() {
		// given
		JdbcTemplate jdbc = TestPostgres.newDatabase().jdbc();
		ArchiverDatabase archiver = ArchiverDatabase.createSchema(jdbc, ArchiverVersion.V4_10);

		// when
		archiver.insertItem(Ulids.infoItem(2), null);
		archiver.insertItem(Ulids.infoItem(1), Ulids.watchedItem(1));
		Map<String, Map<String, @Nullable Object>> snapshot = archiver.snapshot();

		// then
		assertThat(snapshot).containsOnlyKeys(Ulids.infoItem(1), Ulids.infoItem(2));
		assertThat(snapshot.keySet()).first().isEqualTo(Ulids.infoItem(1));
		assertThat(snapshot.get(Ulids.infoItem(1))).containsExactly(entry("info_item_id", Ulids.infoItem(1)),
				entry("name", "InfoItem " + Ulids.infoItem(1)), entry("description", null),
				entry("owner", "archiver-tests"), entry("created_at", ArchiverDatabase.FIXED_TIME),
				entry("updated_at", ArchiverDatabase.FIXED_TIME), entry("rep_fields", "{\"kind\": \"fixture\"}"),
				entry("watcher_item_id", Ulids.watchedItem(1)));
		assertThat(archiver.watchStatusSnapshot()).containsOnlyKeys(Ulids.infoItem(1));
		assertThat(archiver.snapshot()).isEqualTo(snapshot);
	}

	@Test
	void createSchemaWhenArchiver413LeavesOutThePointerColumn() {
		// given
		JdbcTemplate jdbc = TestPostgres.newDatabase().jdbc();

		// when
		ArchiverDatabase archiver = ArchiverDatabase.createSchema(jdbc, ArchiverVersion.V4_13);
		archiver.insertItem(Ulids.infoItem(1), null);

		// then
		assertThat(archiver.snapshot().get(Ulids.infoItem(1))).doesNotContainKey("watcher_item_id");
		assertThat(jdbc.queryForObject("SELECT count(*) FROM information_schema.columns "
				+ "WHERE table_schema = 'information' AND column_name = 'watcher_item_id'", Integer.class))
			.isZero();
	}

	@Test
	void ulidsWhenGeneratedAreValidAndSortByCounter() {
		// when
		List<String> ids = List.of(Ulids.infoItem(9), Ulids.infoItem(31), Ulids.infoItem(32), Ulids.watchedItem(1));

		// then
		assertThat(ids).allMatch(Ulids::isValid).allMatch((id) -> id.length() == 26).isSorted();
		assertThat(Ulids.infoItem(32)).isEqualTo("01HZZ000000000000000000010");
		assertThat(Ulids.watchedItem(1)).isEqualTo("01HZZWATCHER00000000000001");
		assertThat(Ulids.invalidPointers()).noneMatch((pointer) -> Ulids.isValid(pointer.value()))
			.allMatch((pointer) -> pointer.value().length() <= 50);
	}

	@Test
	void fakeWatcherWhenKeyMissingOrWrongRejectsLikeFastApi() throws Exception {
		// when
		HttpResponse<String> missing = get(FakeWatcher.itemPath(Ulids.watchedItem(1)), null);
		HttpResponse<String> wrong = get(FakeWatcher.itemPath(Ulids.watchedItem(1)), "not-the-key");
		HttpResponse<String> unknownRoute = get("/api/v1/nothing-here", null);
		HttpResponse<String> health = get("/health", null);
		HttpResponse<String> ready = get("/ready", null);

		// then
		assertResponse(missing, 403, "{\"detail\":\"Not authenticated\"}");
		assertResponse(wrong, 401, "{\"detail\":\"Invalid API key\"}");
		assertResponse(unknownRoute, 404, "{\"detail\":\"Not Found\"}");
		assertResponse(health, 200, "{\"status\":\"ok\"}");
		assertResponse(ready, 200, "{\"status\":\"ready\",\"db\":true,\"queue\":true}");
	}

	@Test
	void fakeWatcherWhenItemsStubbedAnswersWithWatcherBodies() throws Exception {
		// given
		watcher.live(Ulids.watchedItem(1), Ulids.infoItem(1));
		watcher.archived(Ulids.watchedItem(2), Ulids.infoItem(2));
		watcher.mismatched(Ulids.watchedItem(3), null);
		watcher.deleted(Ulids.watchedItem(4));
		watcher.notFoundUnconfirmed(Ulids.watchedItem(5), WatcherBodies.NGINX_NOT_FOUND);

		// when
		HttpResponse<String> live = getItem(Ulids.watchedItem(1));
		HttpResponse<String> archived = getItem(Ulids.watchedItem(2));
		HttpResponse<String> mismatched = getItem(Ulids.watchedItem(3));
		HttpResponse<String> deleted = getItem(Ulids.watchedItem(4));
		HttpResponse<String> unconfirmed = getItem(Ulids.watchedItem(5));
		HttpResponse<String> unknown = getItem(Ulids.watchedItem(99));
		HttpResponse<String> notUlid = getItem("01hzzwatcher00000000000001");
		HttpResponse<String> list = get(FakeWatcher.WATCHED_ITEMS_PATH + "?archiver_info_item_id=" + Ulids.infoItem(1),
				watcher.apiKey());
		HttpResponse<String> badFilter = get(FakeWatcher.WATCHED_ITEMS_PATH + "?archiver_info_item_id=x",
				watcher.apiKey());

		// then
		assertThat(live.statusCode()).isEqualTo(200);
		assertThat(live.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(live.body())
			.startsWith("{\"id\":\"01HZZWATCHER00000000000001\","
					+ "\"archiver_info_item_id\":\"01HZZ000000000000000000001\",")
			.contains("\"is_active\":true,\"archived_at\":null")
			.endsWith("\"media_type_essence\":\"text/html\"}");
		assertThat(archived.body()).contains("\"is_active\":false,\"archived_at\":\"2026-06-12T09:30:00Z\"");
		assertThat(mismatched.body()).contains("\"archiver_info_item_id\":null");
		assertResponse(deleted, 404, "{\"detail\":\"WatchedItem not found\"}");
		assertResponse(unconfirmed, 404, WatcherBodies.NGINX_NOT_FOUND);
		assertResponse(unknown, 404, "{\"detail\":\"WatchedItem not found\"}");
		assertResponse(notUlid, 404, "{\"detail\":\"Resource not found\"}");
		// the list holds what was stubbed, filtered by back-link as Watcher filters it
		assertResponse(list, 200, "[" + live.body() + "]");
		assertResponse(badFilter, 400, "{\"detail\":\"Invalid archiver_info_item_id format\"}");
		assertThat(watcher.requestsFor(Ulids.watchedItem(1))).singleElement()
			.satisfies(
					(request) -> assertThat(request.getHeader(FakeWatcher.API_KEY_HEADER)).isEqualTo(watcher.apiKey()));
	}

	@Test
	void fakeWatcherWhenFailuresStubbedAnswersWithThem() throws Exception {
		// given
		watcher.failing(Ulids.watchedItem(1), 500);
		watcher.status429(Ulids.watchedItem(2), 7);
		watcher.flakyThenLive(Ulids.watchedItem(3), Ulids.infoItem(3), 2);
		watcher.fault(Ulids.watchedItem(4), Fault.CONNECTION_RESET_BY_PEER);
		watcher.delayed(Ulids.watchedItem(5), 300);
		watcher.malformedBody(Ulids.watchedItem(6));

		// when
		HttpResponse<String> serverError = getItem(Ulids.watchedItem(1));
		HttpResponse<String> tooMany = getItem(Ulids.watchedItem(2));
		List<Integer> flaky = List.of(getItem(Ulids.watchedItem(3)).statusCode(),
				getItem(Ulids.watchedItem(3)).statusCode(), getItem(Ulids.watchedItem(3)).statusCode(),
				getItem(Ulids.watchedItem(3)).statusCode());
		Instant beforeDelayed = Instant.now();
		HttpResponse<String> delayed = getItem(Ulids.watchedItem(5));
		Duration delay = Duration.between(beforeDelayed, Instant.now());
		HttpResponse<String> malformed = getItem(Ulids.watchedItem(6));

		// then
		assertResponse(serverError, 500, "Internal Server Error");
		assertThat(serverError.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/plain"));
		assertThat(tooMany.statusCode()).isEqualTo(429);
		assertThat(tooMany.headers().firstValue("Retry-After")).hasValue("7");
		assertThat(flaky).containsExactly(503, 503, 200, 200);
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> getItem(Ulids.watchedItem(4)));
		assertThat(delayed.statusCode()).isEqualTo(200);
		assertThat(delay).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		assertThat(malformed.statusCode()).isEqualTo(200);
		assertThat(malformed.body()).doesNotEndWith("}");
	}

	@Test
	void fakeWatcherWhenBaseUrlWrongAnswersRouteNotFoundEverywhere() throws Exception {
		// given
		watcher.live(Ulids.watchedItem(1), Ulids.infoItem(1));
		watcher.wrongBaseUrl();

		// when
		HttpResponse<String> health = get("/health", null);
		HttpResponse<String> item = getItem(Ulids.watchedItem(1));

		// then
		assertResponse(health, 404, "{\"detail\":\"Not Found\"}");
		assertResponse(item, 404, "{\"detail\":\"Not Found\"}");
	}

	@Test
	void fakeWatcherWhenKeyRevokedAfterTwoRequestsRejectsTheThird() throws Exception {
		// given
		watcher.live(Ulids.watchedItem(1), Ulids.infoItem(1));
		watcher.revokeKeyAfter(2);

		// when
		List<Integer> statuses = List.of(getItem(Ulids.watchedItem(1)).statusCode(),
				getItem(Ulids.watchedItem(1)).statusCode(), getItem(Ulids.watchedItem(1)).statusCode());

		// then
		assertThat(statuses).containsExactly(200, 200, 401);
		assertThat(watcher.allRequests()).hasSize(3);
	}

	@Test
	void registryFixtureWhenCreatedInsertsRowsAndStubsEveryKind() throws Exception {
		// given
		JdbcTemplate jdbc = TestPostgres.newDatabase().jdbc();
		ArchiverDatabase archiver = ArchiverDatabase.createSchema(jdbc, ArchiverVersion.V4_10);

		// when
		RegistryFixture registry = RegistryFixture.create(archiver, watcher, Mix.ofEach(2).live(3));

		// then
		assertThat(archiver.count()).isEqualTo(19);
		assertThat(registry.entries()).extracting(Entry::infoItemId).isSorted();
		assertThat(registry.entries().subList(0, 9)).extracting(Entry::pointerClass)
			.containsExactly(PointerClass.values());
		assertThat(archiver.snapshot()).allSatisfy(
				(id, row) -> assertThat(row.get("watcher_item_id")).isEqualTo(registry.entry(id).watcherItemId()));
		assertThat(statusesOf(registry, PointerClass.LIVE)).containsOnly(200);
		assertThat(statusesOf(registry, PointerClass.ARCHIVED)).containsOnly(200);
		assertThat(statusesOf(registry, PointerClass.MISMATCHED)).containsOnly(200);
		assertThat(statusesOf(registry, PointerClass.GONE)).containsOnly(404);
		assertThat(statusesOf(registry, PointerClass.NOT_FOUND_UNCONFIRMED)).containsOnly(404);
		assertThat(statusesOf(registry, PointerClass.TRANSIENT_ALWAYS)).containsOnly(503);
		assertThat(statusesOf(registry, PointerClass.FLAKY_THEN_LIVE)).containsOnly(503);
		assertThat(statusesOf(registry, PointerClass.FLAKY_THEN_LIVE)).containsOnly(200);
		assertThat(registry.ids(PointerClass.MALFORMED)).map((id) -> registry.entry(id).watcherItemId())
			.containsExactly("", "   ");
		assertThat(registry.ids(PointerClass.WITHOUT_POINTER))
			.allSatisfy((id) -> assertThat(archiver.pointerOf(id)).isNull());
		assertThat(archiver.watchStatusSnapshot()).hasSize(17); // every non-null pointer,
																// junk included
	}

	private static List<Integer> statusesOf(RegistryFixture registry, PointerClass pointerClass) throws Exception {
		List<String> ids = registry.ids(pointerClass);
		assertThat(ids).isNotEmpty();
		List<Integer> statuses = new ArrayList<>();
		for (String id : ids) {
			statuses.add(getItem(registry.entry(id).watcherItemId()).statusCode());
		}
		return statuses;
	}

	private static int tableCount(JdbcTemplate jdbc) {
		Integer count = jdbc.queryForObject(
				"SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", Integer.class);
		return (count != null) ? count : 0;
	}

	private static HttpResponse<String> getItem(@Nullable String watchedId) throws IOException, InterruptedException {
		return get(FakeWatcher.itemPath(String.valueOf(watchedId)), watcher.apiKey());
	}

	private static HttpResponse<String> get(String path, @Nullable String apiKey)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(watcher.baseUrl() + path))
			.timeout(Duration.ofSeconds(5));
		if (apiKey != null) {
			request.header(FakeWatcher.API_KEY_HEADER, apiKey);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static void assertResponse(HttpResponse<String> response, int status, String body) {
		assertThat(response.statusCode()).as("status of %s", response.uri()).isEqualTo(status);
		assertThat(response.body()).as("body of %s", response.uri()).isEqualTo(body);
	}

}
