package io.cannobserv.reconciler.link;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A gone rule decides an answer by its status, its media type and its body, parsed
 * strictly; one that could not tell a proxy's answer from the API's is refused when
 * built.
 */
class GoneRuleTests {

	private static final String JSON = "application/json";

	private static final String WATCHER_GONE = "{\"detail\":\"WatchedItem not found\"}";

	private static final String MISSING = "{\"error\":{\"code\":\"resource_missing\",\"message\":\"No such customer: 'cus_X'\",\"type\":\"invalid_request_error\"}}";

	private static final GoneRule WATCHER = new GoneRule(404, JSON, exact(WATCHER_GONE));

	private static final GoneRule RESOURCE_MISSING = new GoneRule(404, JSON,
			pointers(equalsAt("/error/code", "\"resource_missing\"")));

	private static final GoneRule DELETED = new GoneRule(200, JSON, pointers(equalsAt("/deleted", "true")));

	@Test
	void matchesWhenExactBodyIsTheSameValueReturnsTrue() {
		assertThat(WATCHER.matches(404, JSON, WATCHER_GONE)).isTrue();
		assertThat(WATCHER.matches(404, JSON, "\n{ \"detail\" :\t\"WatchedItem not found\" }\r\n")).isTrue();
		assertThat(WATCHER.matches(404, "Application/JSON; charset=utf-8", WATCHER_GONE)).isTrue();
	}

	@Test
	void matchesWhenExactBodyDiffersReturnsFalse() {
		assertThat(WATCHER.matches(404, JSON, "{\"detail\":\"Not Found\"}")).isFalse();
		assertThat(WATCHER.matches(404, JSON, "{\"detail\":\"WatchedItem not found\",\"status\":404}")).isFalse();
		assertThat(WATCHER.matches(404, JSON, "[" + WATCHER_GONE + "]")).isFalse();
		assertThat(WATCHER.matches(404, JSON, "{}")).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"detail\":\"WatchedItem not found\",\"detail\":\"WatchedItem not found\"}",
			WATCHER_GONE + "x", WATCHER_GONE + "{}", "\uFEFF" + WATCHER_GONE, WATCHER_GONE + "\u0000", "", " ",
			"not json" })
	void matchesWhenBodyDoesNotParseStrictlyReturnsFalse(String body) {
		assertThat(WATCHER.matches(404, JSON, body)).isFalse();
	}

	@Test
	void matchesWhenNoBodyReturnsFalse() {
		assertThat(WATCHER.matches(404, JSON, null)).isFalse();
	}

	@Test
	void matchesWhenAnotherStatusReturnsFalse() {
		assertThat(WATCHER.matches(200, JSON, WATCHER_GONE)).isFalse();
		assertThat(WATCHER.matches(410, JSON, WATCHER_GONE)).isFalse();
		assertThat(DELETED.matches(404, JSON, "{\"deleted\":true}")).isFalse();
	}

	@Test
	void matchesWhenAnotherMediaTypeReturnsFalse() {
		assertThat(WATCHER.matches(404, "text/html", WATCHER_GONE)).isFalse();
		assertThat(WATCHER.matches(404, "text/plain; charset=utf-8", WATCHER_GONE)).isFalse();
		assertThat(WATCHER.matches(404, "application/problem+json", WATCHER_GONE)).isFalse();
		assertThat(WATCHER.matches(404, "application/jsonx", WATCHER_GONE)).isFalse();
		assertThat(WATCHER.matches(404, null, WATCHER_GONE)).isFalse();
	}

	@Test
	void matchesWhenPointerHoldsTheValueReturnsTrueWhateverElseTheBodyHolds() {
		assertThat(RESOURCE_MISSING.matches(404, JSON, MISSING)).isTrue();
		assertThat(DELETED.matches(200, JSON, "{\"id\":\"cus_X\",\"object\":\"customer\",\"deleted\":true}")).isTrue();
	}

	@Test
	void matchesWhenPointerHoldsAnotherValueOrNoneReturnsFalse() {
		assertThat(RESOURCE_MISSING.matches(404, JSON, "{\"error\":{\"code\":\"rate_limit\"}}")).isFalse();
		assertThat(RESOURCE_MISSING.matches(404, JSON, "{\"message\":\"Not Found\"}")).isFalse();
		assertThat(RESOURCE_MISSING.matches(404, JSON, "{\"error\":\"resource_missing\"}")).isFalse();
		assertThat(DELETED.matches(200, JSON, "{\"id\":\"cus_X\",\"object\":\"customer\"}")).isFalse();
		assertThat(DELETED.matches(200, JSON, "{\"deleted\":\"true\"}")).as("a string is not a boolean").isFalse();
		assertThat(DELETED.matches(200, JSON, "{\"deleted\":false}")).isFalse();
		assertThat(DELETED.matches(200, JSON, "{\"deleted\":null}")).isFalse();
	}

	@Test
	void matchesWhenPointerBodyDoesNotParseStrictlyReturnsFalse() {
		assertThat(RESOURCE_MISSING.matches(404, JSON,
				"{\"error\":{\"code\":\"resource_missing\",\"code\":\"resource_missing\"}}"))
			.as("a duplicate key anywhere")
			.isFalse();
		assertThat(DELETED.matches(200, JSON, "{\"deleted\":true,\"deleted\":false}")).isFalse();
		assertThat(RESOURCE_MISSING.matches(404, JSON, MISSING + "x")).isFalse();
		assertThat(RESOURCE_MISSING.matches(404, JSON, "\uFEFF" + MISSING)).isFalse();
	}

	@Test
	void matchesWhenEveryPointerConditionHoldsOnlyReturnsTrue() {
		GoneRule rule = new GoneRule(404, JSON,
				pointers(equalsAt("/error/code", "\"resource_missing\""), equalsAt("/error/param", "\"id\"")));
		assertThat(rule.matches(404, JSON, "{\"error\":{\"code\":\"resource_missing\",\"param\":\"id\"}}")).isTrue();
		assertThat(rule.matches(404, JSON, "{\"error\":{\"code\":\"resource_missing\",\"param\":\"email\"}}"))
			.isFalse();
		assertThat(rule.matches(404, JSON, "{\"error\":{\"code\":\"other\",\"param\":\"id\"}}")).isFalse();
	}

	@Test
	void gonerulesWhenAnyRuleMatchesReturnsTrue() {
		GoneRules billing = new GoneRules(List.of(RESOURCE_MISSING, DELETED));
		assertThat(billing.matches(404, JSON, MISSING)).isTrue();
		assertThat(billing.matches(200, JSON, "{\"id\":\"cus_X\",\"deleted\":true}")).isTrue();
		assertThat(billing.matches(200, JSON, MISSING)).isFalse();
		assertThat(billing.matches(404, JSON, "{\"deleted\":true}")).isFalse();
		assertThat(billing.matches(404, "text/html", MISSING)).isFalse();
	}

	@Test
	void ofWhenNoBodyConditionRefusesWithOneLineNamingTheKey() {
		assertThatExceptionOfType(LinkDefinitionException.class)
			.isThrownBy(() -> GoneRule.of("link.gone[0]", 404, JSON, null))
			.withMessage("link.gone[0].body: a gone rule needs a body condition (an exact body or JSON-pointer "
					+ "conditions): without one, any 404 of a proxy would clear")
			.satisfies((ex) -> assertThat(ex.key()).isEqualTo("link.gone[0].body"));
	}

	@Test
	void ofWhenStatusMissingOrNotAGoneAnswerRefuses() {
		assertThatExceptionOfType(LinkDefinitionException.class)
			.isThrownBy(() -> GoneRule.of("link.gone[1]", null, JSON, exact(WATCHER_GONE)))
			.withMessage("link.gone[1].status: missing: the HTTP status of the gone answer, as 404");
		assertThatExceptionOfType(LinkDefinitionException.class)
			.isThrownBy(() -> GoneRule.of("link.gone[0]", 401, JSON, exact(WATCHER_GONE)))
			.withMessage(
					"link.gone[0].status: 401 cannot be a gone answer: it is the key's rejection, which stops the run");
		assertThatExceptionOfType(LinkDefinitionException.class)
			.isThrownBy(() -> GoneRule.of("link.gone[0]", 429, JSON, exact(WATCHER_GONE)))
			.withMessage("link.gone[0].status: 429 cannot be a gone answer: it is an answer to retry");
		assertThatExceptionOfType(LinkDefinitionException.class)
			.isThrownBy(() -> GoneRule.of("link.gone[0]", 302, JSON, exact(WATCHER_GONE)))
			.withMessage("link.gone[0].status: 302 cannot be a gone answer: give a 2xx or 4xx status, as 404");
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 100, 199, 300, 399, 401, 403, 429, 500, 503, 599, 600 })
	void ofWhenStatusCannotBeAGoneAnswerRefuses(int status) {
		assertThatExceptionOfType(LinkDefinitionException.class)
			.isThrownBy(() -> GoneRule.of("link.gone[0]", status, JSON, exact(WATCHER_GONE)))
			.withMessageStartingWith("link.gone[0].status: " + status + " cannot be a gone answer");
		assertThatIllegalArgumentException().isThrownBy(() -> new GoneRule(status, JSON, exact(WATCHER_GONE)));
	}

	@ParameterizedTest
	@ValueSource(ints = { 200, 204, 299, 400, 404, 410, 499 })
	void ofWhenStatusCanBeAGoneAnswerBuilds(int status) {
		assertThat(GoneRule.of("link.gone[0]", status, JSON, exact(WATCHER_GONE)).status()).isEqualTo(status);
	}

	@Test
	void ofWhenMediaTypeMissingOrNotJsonRefuses() {
		assertThatExceptionOfType(LinkDefinitionException.class)
			.isThrownBy(() -> GoneRule.of("link.gone[0]", 404, null, exact(WATCHER_GONE)))
			.withMessage("link.gone[0].media-type: missing: the media type of the gone answer, as application/json");
		assertThatExceptionOfType(LinkDefinitionException.class)
			.isThrownBy(() -> GoneRule.of("link.gone[0]", 404, "text/html", exact(WATCHER_GONE)))
			.withMessage("link.gone[0].media-type: 'text/html' is not JSON: give application/json "
					+ "(or application/…+json), since the body condition reads JSON");
		assertThatExceptionOfType(LinkDefinitionException.class)
			.isThrownBy(() -> GoneRule.of("link.gone[0]", 404, "application/json; charset=utf-8", exact(WATCHER_GONE)))
			.withMessageStartingWith("link.gone[0].media-type: 'application/json; charset=utf-8' has parameters");
		assertThatExceptionOfType(LinkDefinitionException.class)
			.isThrownBy(() -> GoneRule.of("link.gone[0]", 404, "text/problem+json", exact(WATCHER_GONE)))
			.withMessageContaining("is not JSON");
		assertThatExceptionOfType(LinkDefinitionException.class)
			.isThrownBy(() -> GoneRule.of("link.gone[0]", 404, "application/xml", exact(WATCHER_GONE)))
			.withMessageContaining("is not JSON");
		assertThatIllegalArgumentException().isThrownBy(() -> new GoneRule(404, "text/html", exact(WATCHER_GONE)));
	}

	@Test
	void ofWhenMediaTypeIsJsonInAnyCaseBuildsItInLowerCase() {
		GoneRule rule = GoneRule.of("link.gone[0]", 404, " Application/JSON ", exact(WATCHER_GONE));
		assertThat(rule).isEqualTo(WATCHER);
		GoneRule problem = GoneRule.of("link.gone[0]", 404, "application/problem+json", exact(WATCHER_GONE));
		assertThat(problem.matches(404, "application/problem+json", WATCHER_GONE)).isTrue();
		assertThat(problem.matches(404, JSON, WATCHER_GONE)).isFalse();
	}

	@Test
	void constructorsWhenEmptyRefuse() {
		assertThatIllegalArgumentException().isThrownBy(() -> new GoneRules(List.of()));
		assertThatIllegalArgumentException().isThrownBy(() -> new BodyCondition.Pointers(List.of()));
	}

	static BodyCondition exact(String json) {
		return new BodyCondition.Exact(parse(json));
	}

	static BodyCondition pointers(BodyCondition.PointerEquals... conditions) {
		return new BodyCondition.Pointers(List.of(conditions));
	}

	static BodyCondition.PointerEquals equalsAt(String pointer, String json) {
		return new BodyCondition.PointerEquals(JsonPointer.compile(pointer), parse(json));
	}

	private static JsonNode parse(String json) {
		JsonNode node = StrictJson.parse(json);
		assertThat(node).isNotNull();
		return node;
	}

}
