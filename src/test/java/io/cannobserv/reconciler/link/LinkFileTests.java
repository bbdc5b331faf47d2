package io.cannobserv.reconciler.link;

import java.io.StringReader;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.cannobserv.reconciler.link.GoneRuleTests.equalsAt;
import static io.cannobserv.reconciler.link.GoneRuleTests.exact;
import static io.cannobserv.reconciler.link.GoneRuleTests.pointers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A link file's gone rules, read from YAML: the built-in file says what the code said
 * before, and every mistake in a file is one line that names its key.
 */
class LinkFileTests {

	private static final String JSON = "application/json";

	private static final String BILLING = """
			gone:
			  - status: 404
			    media-type: application/json
			    when:
			      - pointer: /error/code
			        equals: resource_missing
			  - status: 200
			    media-type: application/json
			    when:
			      - {pointer: /deleted, equals: true}
			""";

	@Test
	void archiverWatcherWhenLoadedEqualsWatchersTypedNotFound() {
		// the rule WatcherClient held in code before: 404, application/json, exactly
		// {"detail":"WatchedItem not found"}
		GoneRules rules = LinkFile.archiverWatcher().gone();
		assertThat(rules).isEqualTo(
				new GoneRules(List.of(new GoneRule(404, JSON, exact("{\"detail\":\"WatchedItem not found\"}")))));
		assertThat(rules.matches(404, "application/json; charset=utf-8", "{ \"detail\": \"WatchedItem not found\" }"))
			.isTrue();
		assertThat(rules.matches(404, JSON, "{\"detail\":\"Not Found\"}")).isFalse();
	}

	@Test
	void fromClassPathWhenFileMissingOrWrongFailsNamingIt() {
		assertThatIllegalStateException().isThrownBy(() -> LinkFile.fromClassPath("links/no-such-link.yaml"))
			.withMessage("links/no-such-link.yaml is missing from the class path");
		assertThatIllegalStateException().isThrownBy(() -> LinkFile.fromClassPath("links/without-body-condition.yaml"))
			.withMessage("links/without-body-condition.yaml: link.gone[0].body: a gone rule needs a body condition "
					+ "(an exact body or JSON-pointer conditions): without one, any 410 of a proxy would clear");
	}

	@Test
	void readWhenPointerConditionsReadsEveryRuleWithYamlsTypes() {
		GoneRules rules = read(BILLING);
		assertThat(rules).isEqualTo(new GoneRules(
				List.of(new GoneRule(404, JSON, pointers(equalsAt("/error/code", "\"resource_missing\""))),
						new GoneRule(200, JSON, pointers(equalsAt("/deleted", "true"))))));
		assertThat(rules.matches(404, JSON, "{\"error\":{\"code\":\"resource_missing\",\"param\":\"id\"}}")).isTrue();
		assertThat(rules.matches(200, JSON, "{\"id\":\"cus_X\",\"deleted\":true}")).isTrue();
		assertThat(rules.matches(200, JSON, "{\"id\":\"cus_X\",\"deleted\":\"true\"}")).isFalse();
		assertThat(rules.matches(200, JSON, "{\"id\":\"cus_X\"}")).isFalse();
	}

	@Test
	void readWhenValueQuotedReadsAStringAndNumbersAsNumbers() {
		GoneRules rules = read("""
				gone:
				  - status: 410
				    media-type: application/problem+json
				    when:
				      - {pointer: /deleted, equals: "true"}
				      - {pointer: /status, equals: 410}
				      - {pointer: /tags, equals: [a, 1]}
				""");
		assertThat(rules.matches(410, "application/problem+json",
				"{\"deleted\":\"true\",\"status\":410,\"tags\":[\"a\",1]}"))
			.isTrue();
		assertThat(
				rules.matches(410, "application/problem+json", "{\"deleted\":true,\"status\":410,\"tags\":[\"a\",1]}"))
			.isFalse();
		assertThat(rules.matches(410, "application/problem+json",
				"{\"deleted\":\"true\",\"status\":\"410\",\"tags\":[\"a\",1]}"))
			.isFalse();
	}

	@Test
	void readWhenNumbersBeyondAnIntCompareThemExactly() {
		GoneRules rules = read("""
				gone:
				  - status: 404
				    media-type: application/json
				    body: {long: 10000000000, huge: 100000000000000000000, real: 0.5}
				""");
		assertThat(rules.matches(404, JSON, "{\"long\":10000000000,\"huge\":100000000000000000000,\"real\":0.5}"))
			.isTrue();
		assertThat(rules.matches(404, JSON, "{\"long\":10000000001,\"huge\":100000000000000000000,\"real\":0.5}"))
			.isFalse();
	}

	@Test
	void readWhenExactBodyNestedComparesTheWholeValue() {
		GoneRules rules = read("""
				gone:
				  - status: 404
				    media-type: application/json
				    body:
				      error: {code: gone, ids: [1, 2.5, null, false]}
				""");
		assertThat(rules.matches(404, JSON, "{\"error\":{\"code\":\"gone\",\"ids\":[1,2.5,null,false]}}")).isTrue();
		assertThat(rules.matches(404, JSON, "{\"error\":{\"code\":\"gone\",\"ids\":[1,2.5,null]}}")).isFalse();
	}

	@Test
	void readWhenRuleHasNoBodyConditionRefusesWithOneLineNamingTheKey() {
		assertThatExceptionOfType(LinkDefinitionException.class).isThrownBy(() -> read("""
				gone:
				  - status: 404
				    media-type: application/json
				    body: {"detail": "WatchedItem not found"}
				  - status: 404
				    media-type: application/json
				"""))
			.withMessage("link.gone[1].body: a gone rule needs a body condition (an exact body or JSON-pointer "
					+ "conditions): without one, any 404 of a proxy would clear");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
											an empty file                 | ''                                                                                   | link: a mapping of keys: name, source, resource and gone; got nothing
											a list at the top             | '- status: 404'                                                                      | link: a mapping of keys: name, source, resource and gone; got a list
											an unknown key at the top     | 'gone: []\\nsourse: x'                                                              | link.sourse: unknown key: give called, gone, name, resource, source
											no gone rule                  | 'gone: []'                                                                           | link.gone: a link needs a list of at least one gone rule (- status: 404, media-type: application/json, body: …)
											gone not a list               | 'gone: 404'                                                                          | link.gone: a link needs a list of at least one gone rule (- status: 404, media-type: application/json, body: …)
											a number as a key at the top  | 'gone: []\\n404: x'                                                                  | link.404: unknown key: give called, gone, name, resource, source
									a rule not a mapping          | 'gone: [404]'                                                                        | link.gone[0]: a mapping with status, media-type, and body or when; got '404'
											an unknown key in a rule      | 'gone: [{status: 404, media-type: application/json, body: {}, stauts: 404}]'        | link.gone[0].stauts: unknown key: give body, media-type, status, when
											a status not a number         | 'gone: [{status: not-found, media-type: application/json, body: {}}]'              | link.gone[0].status: 'not-found' is not an HTTP status: give one, as 404
											a status in quotes            | 'gone: [{status: "404", media-type: application/json, body: {}}]'                 | link.gone[0].status: '404' is not an HTTP status: give one, as 404
											a status to retry             | 'gone: [{status: 503, media-type: application/json, body: {}}]'                    | link.gone[0].status: 503 cannot be a gone answer: it is an answer to retry
											a media type not a string     | 'gone: [{status: 404, media-type: [application/json], body: {}}]'                  | link.gone[0].media-type: '[application/json]' is not a media type: give one, as application/json
											no media type                 | 'gone: [{status: 404, body: {}}]'                                                   | link.gone[0].media-type: missing: the media type of the gone answer, as application/json
											body and when                 | 'gone: [{status: 404, media-type: application/json, body: {}, when: []}]'          | link.gone[0]: give body or when, not both: an exact body already says every value of the answer
											a body in quotes              | 'gone: [{status: 404, media-type: application/json, body: ''{"detail": "x"}''}]'   | link.gone[0].body: an exact body is a JSON object or array written as YAML, as body: {"detail": "WatchedItem not found"} (no quotes around it); got '{"detail": "x"}'
											an empty body                 | 'gone: [{status: 404, media-type: application/json, body: }]'                      | link.gone[0].body: an exact body is a JSON object or array written as YAML, as body: {"detail": "WatchedItem not found"} (no quotes around it); got nothing
											a date in a body              | 'gone: [{status: 404, media-type: application/json, body: {at: 2024-01-02}}]'      | link.gone[0].body.at: YAML reads this value as a Date, which JSON cannot say: quote it
											a number as a key of a body   | 'gone: [{status: 404, media-type: application/json, body: {404: x}}]'              | link.gone[0].body: the key 404 is not a string, as every key of a JSON object is: quote it
											a date in a list of a body    | 'gone: [{status: 404, media-type: application/json, body: [2024-01-02]}]'          | link.gone[0].body[0]: YAML reads this value as a Date, which JSON cannot say: quote it
											an empty when                 | 'gone: [{status: 404, media-type: application/json, when: []}]'                    | link.gone[0].when: a list of at least one condition, as - pointer: /error/code, equals: resource_missing
											a when not a list             | 'gone: [{status: 404, media-type: application/json, when: {pointer: /a}}]'         | link.gone[0].when: a list of at least one condition, as - pointer: /error/code, equals: resource_missing
											a condition not a mapping     | 'gone: [{status: 404, media-type: application/json, when: [/a]}]'                  | link.gone[0].when[0]: a mapping with pointer and equals; got '/a'
											an unknown key in a condition | 'gone: [{status: 404, media-type: application/json, when: [{pointer: /a, equals: 1, is: 2}]}]' | link.gone[0].when[0].is: unknown key: give equals, pointer
											no pointer                    | 'gone: [{status: 404, media-type: application/json, when: [{equals: 1}]}]'         | link.gone[0].when[0].pointer: give a JSON pointer (RFC 6901) to the value, as /error/code; got nothing
											a pointer without its slash   | 'gone: [{status: 404, media-type: application/json, when: [{pointer: error.code, equals: 1}]}]' | link.gone[0].when[0].pointer: give a JSON pointer (RFC 6901) to the value, as /error/code; got 'error.code'
											a pointer as a mapping        | 'gone: [{status: 404, media-type: application/json, when: [{pointer: {a: 1}, equals: 1}]}]' | link.gone[0].when[0].pointer: give a JSON pointer (RFC 6901) to the value, as /error/code; got a mapping
					no value                      | 'gone: [{status: 404, media-type: application/json, when: [{pointer: /a}]}]'       | link.gone[0].when[0].equals: give the value the pointer must hold, as resource_missing or true; got nothing
											a null value                  | 'gone: [{status: 404, media-type: application/json, when: [{pointer: /a, equals: null}]}]' | link.gone[0].when[0].equals: give the value the pointer must hold, as resource_missing or true; got nothing
											a date as the value           | 'gone: [{status: 404, media-type: application/json, when: [{pointer: /a, equals: 2024-01-02}]}]' | link.gone[0].when[0].equals: YAML reads this value as a Date, which JSON cannot say: quote it
											a duplicate key               | 'gone:\\n  - status: 404\\n    status: 410'                                          | test.yaml: not a link file: while constructing a mapping, found duplicate key status (line 3, column 5)
											not YAML                      | 'gone: [{status: 404'                                                               | test.yaml: not a link file: while parsing a flow mapping, expected ',' or '}', but got <stream end> (line 1, column 20)
											a mapping in a scalar         | 'gone: a: b'                                                                         | test.yaml: not a link file: mapping values are not allowed here (line 1, column 8)
							two documents                 | 'gone: []\\n---\\ngone: []'                                                         | test.yaml: not a link file: expected a single document in the stream, but found another document (line 2, column 1)
											""")
	void readWhenFileIsWrongRefusesWithOneLineNamingTheKey(String why, String yaml, String message) {
		assertThatExceptionOfType(LinkDefinitionException.class).as(why)
			.isThrownBy(() -> LinkFile.read("test.yaml", new StringReader(yaml.replace("\\n", "\n"))))
			.withMessage(message)
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("\n"));
	}

	@Test
	void readWhenFileHoldsAControlCharacterRefusesWithOneLine() {
		assertThatExceptionOfType(LinkDefinitionException.class)
			.isThrownBy(() -> LinkFile.read("test.yaml", new StringReader("gone: \u0001")))
			.withMessage("test.yaml: not a link file: special characters are not allowed")
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("\n"));
	}

	/** The gone rules of {@code yaml}, completed with a name and a resource. */
	private static GoneRules read(String yaml) {
		return LinkFile.read("test.yaml", new StringReader(yaml + LinkTests.NAME_AND_RESOURCE)).gone();
	}

}
