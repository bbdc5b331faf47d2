package io.cannobserv.reconciler.link;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.core.JsonPointer;

import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.run.Words;

import static io.cannobserv.reconciler.link.GoneRuleTests.equalsAt;
import static io.cannobserv.reconciler.link.GoneRuleTests.pointers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A link's name and resource, read from its file: the built-in file says what the code
 * said before, the shipped billing link reads as its contract says, and every mistake is
 * one line that names its key.
 */
class LinkTests {

	/** A valid name and resource, appended to a file that tests only its gone rules. */
	static final String NAME_AND_RESOURCE = """

			name: test
			resource:
			  name: the test API
			  item: /items/{id}
			  id: {format: "[a-z]+", called: a test id}
			  probe: nothing
			  auth: bearer
			  fields: {id: /id}
			""";

	private static final String ULID = "[0-7][0-9A-HJKMNP-TV-Z]{25}";

	private static final String GONE = """
			gone:
			  - {status: 404, media-type: application/json, body: {"detail": "x"}}
			""";

	@Test
	void archiverWatcherWhenLoadedSaysWhatTheCodeSaidBefore() {
		Link link = LinkFile.archiverWatcher();
		Resource resource = link.resource();
		assertThat(link.name()).isEqualTo("archiver-watcher");
		assertThat(resource.name()).isEqualTo("Watcher");
		assertThat(resource.itemUri(URI.create("http://watcher:8000"), "01HV0000000000000000000000"))
			.hasToString("http://watcher:8000/api/v1/watched-items/01HV0000000000000000000000");
		assertThat(resource.id()).isEqualTo(new IdFormat(Pattern.compile(ULID), "a ULID"));
		assertThat(resource.probePath()).isEqualTo("/api/v1/watched-items/00000000000000000000000000");
		assertThat(resource.auth()).isEqualTo(Auth.header("X-API-Key"));
		assertThat(resource.health()).isEqualTo("/health");
		assertThat(resource.fields()).isEqualTo(new Fields(JsonPointer.compile("/id"),
				JsonPointer.compile("/archived_at"), JsonPointer.compile("/archiver_info_item_id")));
		assertThat(resource.list()).isEqualTo("/api/v1/watched-items?include_archived=true");
		BackLinkSearch search = resource.backLinkSearch();
		assertThat(search).isNotNull();
		assertThat(search.uri(URI.create("http://watcher:8000"), "01HV0000000000000000000001")).hasToString(
				"http://watcher:8000/api/v1/watched-items?archiver_info_item_id=01HV0000000000000000000001&include_archived=true");
		assertThat(search.key().called()).isEqualTo("a ULID");
	}

	@Test
	void billingLinkWhenReadSaysItsContract() throws IOException {
		Link link;
		try (Reader file = Files.newBufferedReader(Path.of("links/billing-customers.yaml"))) {
			link = LinkFile.read("links/billing-customers.yaml", file);
		}
		Resource resource = link.resource();
		assertThat(link.name()).isEqualTo("billing-customers");
		assertThat(resource.itemUri(URI.create("https://api.example"), "cus_NffrFeUfNV2Hib"))
			.hasToString("https://api.example/v1/customers/cus_NffrFeUfNV2Hib");
		assertThat(resource.id().matches("cus_NffrFeUfNV2Hib")).isTrue();
		assertThat(resource.id().matches("cus_short")).isFalse();
		assertThat(resource.id().matches("01HV0000000000000000000000")).isFalse();
		assertThat(resource.id().matches(resource.probe())).isTrue();
		assertThat(resource.auth()).isEqualTo(Auth.bearer());
		assertThat(resource.auth().value("sk_test_1")).isEqualTo("Bearer sk_test_1");
		assertThat(resource.health()).isNull();
		assertThat(resource.list()).isNull();
		assertThat(resource.backLinkSearch()).isNull();
		assertThat(resource.fields()).isEqualTo(new Fields(JsonPointer.compile("/id"), null, null));
		assertThat(link.gone()).isEqualTo(new GoneRules(List.of(
				new GoneRule(404, "application/json", pointers(equalsAt("/error/code", "\"resource_missing\""))),
				new GoneRule(200, "application/json", pointers(equalsAt("/deleted", "true"))))));
	}

	@Test
	void archiverWatcherWhenLoadedNamesArchiversTable() {
		assertThat(LinkFile.archiverWatcher().source()).isEqualTo(new Source("information", "info_items",
				"info_item_id", "watcher_item_id", "updated_at", "watch_status"));
	}

	@Test
	void archiverWatcherWhenLoadedSpeaksTheWordsEveryReportSpokeBeforeLinksHadWords() {
		Link link = LinkFile.archiverWatcher();
		assertThat(link.words("information.info_items(info_item_id,watcher_item_id)", "information.info_items"))
			.isEqualTo(Words.WATCHER);
	}

	@Test
	void billingLinkWhenReadSpeaksOfItsOwnTableAndApi() throws IOException {
		try (Reader file = Files.newBufferedReader(Path.of("links/billing-customers.yaml"))) {
			Words words = LinkFile.read("links/billing-customers.yaml", file)
				.words("billing.accounts(account_id,stripe_customer_id)", "billing.accounts");
			assertThat(words).isEqualTo(new Words("billing.accounts(account_id,stripe_customer_id)",
					"the customers API", "customer", "account", "billing", "a customer id", "one of its gone answers",
					"the customers API's body with /error/code \"resource_missing\""));
			assertThat(Outcome.MALFORMED.action(words))
				.isEqualTo("Kept, never sent to the customers API: the pointer is not a customer id. Correct or empty "
						+ "it in billing.");
		}
	}

	@Test
	void linkWhenItCallsNothingByNameSpeaksPlainWords() {
		Link link = LinkFile.read("plain.yaml", new StringReader("""
				name: plain
				resource:
				  name: the tickets API
				  item: /tickets/{id}
				  id:
				    format: "T-[0-9]+"
				    called: a ticket number
				  probe: T-0
				  auth: bearer
				  fields:
				    id: /id
				gone:
				  - status: 410
				    media-type: application/json
				    body: {"gone": true}
				"""));
		Words words = link.words("support.cases(case_id,ticket)", "support.cases");
		assertThat(Outcome.MISMATCHED.action(words)).startsWith("Kept: the resource links back to another row.");
		assertThat(Outcome.CHANGED_CONCURRENTLY.action(words)).contains("the pointer changed in support.cases while");
		assertThat(Outcome.NOT_FOUND_UNCONFIRMED.action(words))
			.startsWith("Kept: a 404 without a gone answer of the link (none is a 404) is no proof of deletion.");
		assertThat(Outcome.GONE.action(words))
			.isEqualTo("The tickets API confirmed the deletion with one of its gone answers: the pointer is cleared.");
	}

	@Test
	void billingLinkWhenReadNamesItsTableWithoutChangedAtOrSideEffect() throws IOException {
		try (Reader file = Files.newBufferedReader(Path.of("links/billing-customers.yaml"))) {
			assertThat(LinkFile.read("links/billing-customers.yaml", file).source())
				.isEqualTo(new Source("billing", "accounts", "account_id", "stripe_customer_id", null, null));
		}
	}

	@Test
	void readWhenNoSourceLeavesItForTheRunToRefuse() {
		assertThat(LinkFile.read("test.yaml", new StringReader(GONE + NAME_AND_RESOURCE)).source()).isNull();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					no schema                | 'source: {table: t, key: k, pointer: p}'                      | link.source.schema: missing: the table's schema, as billing; got nothing
					no table                 | 'source: {schema: s, key: k, pointer: p}'                     | link.source.table: missing: the table holding the pointers, as accounts; got nothing
					no key                   | 'source: {schema: s, table: t, pointer: p}'                   | link.source.key: missing: the column that names a row, as account_id; got nothing
					no pointer               | 'source: {schema: s, table: t, key: k}'                       | link.source.pointer: missing: the column holding the pointer, as stripe_customer_id; got nothing
					a name that needs quotes | 'source: {schema: s, table: Accounts, key: k, pointer: p}'    | link.source.table: 'Accounts' is not a plain lower-case PostgreSQL identifier (letters, digits, underscores)
					SQL in a name            | 'source: {schema: s, table: t, key: "k; drop", pointer: p}'   | link.source.key: 'k; drop' is not a plain lower-case PostgreSQL identifier (letters, digits, underscores)
					a changed-at not a name  | 'source: {schema: s, table: t, key: k, pointer: p, changed-at: "now()"}' | link.source.changed-at: 'now()' is not a plain lower-case PostgreSQL identifier (letters, digits, underscores)
					an empty side effect     | 'source: {schema: s, table: t, key: k, pointer: p, side-effect: ""}' | link.source.side-effect: missing: a table of the same schema whose rows a clear deletes, as watch_status; got ''
					an unknown key           | 'source: {schema: s, table: t, key: k, pointer: p, column: c}' | link.source.column: unknown key: give changed-at, key, pointer, schema, side-effect, table
					not a mapping            | 'source: billing.accounts'                                    | link.source: a mapping with schema, table, key and pointer, and optionally changed-at and side-effect; got 'billing.accounts'
					""")
	void readWhenSourceIsWrongRefusesWithOneLineNamingTheKey(String why, String source, String message) {
		String yaml = GONE + NAME_AND_RESOURCE + source + "\n";
		assertThatExceptionOfType(LinkDefinitionException.class).as(why)
			.isThrownBy(() -> LinkFile.read("test.yaml", new StringReader(yaml)))
			.withMessage(message);
	}

	@Test
	void itemUriWhenIdHoldsWhatALinkFormatMightAllowKeepsItInItsSegment() {
		Resource resource = link("item: /v1/things/{id}", "format: \".+\"").resource();
		assertThat(resource.itemUri(URI.create("http://api"), "../admin?x=1#y z/é"))
			.hasToString("http://api/v1/things/..%2Fadmin%3Fx%3D1%23y%20z%2F%C3%A9");
		assertThat(resource.itemUri(URI.create("http://api"), "a-b.c_d~e"))
			.hasToString("http://api/v1/things/a-b.c_d~e");
		// the ends of each unreserved range pass; the characters beside them are encoded
		assertThat(resource.itemUri(URI.create("http://api"), "AZaz09")).hasToString("http://api/v1/things/AZaz09");
		assertThat(resource.itemUri(URI.create("http://api"), "@[`{/:"))
			.hasToString("http://api/v1/things/%40%5B%60%7B%2F%3A");
	}

	@Test
	void idFormatWhenSameExpressionAndNameIsEqual() {
		IdFormat format = new IdFormat(Pattern.compile("[a-z]+"), "a test id");
		assertThat(format).isEqualTo(new IdFormat(Pattern.compile("[a-z]+"), "a test id"))
			.hasSameHashCodeAs(new IdFormat(Pattern.compile("[a-z]+"), "a test id"))
			.isNotEqualTo(new IdFormat(Pattern.compile("[a-z]*x"), "a test id"))
			.isNotEqualTo(new IdFormat(Pattern.compile("[a-z]+"), "another id"));
		assertThat(format.hashCode()).isNotEqualTo(new IdFormat(Pattern.compile("[a-z]*x"), "a test id").hashCode());
	}

	@Test
	void readWhenHeaderAuthSendsTheSecretAsThatHeader() {
		Auth auth = link("auth: {header: X-Api-Token}", "").resource().auth();
		assertThat(auth.header()).isEqualTo("X-Api-Token");
		assertThat(auth.value("k")).isEqualTo("k");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					no name                        | name: test                                  | ''                                            | link.name: missing: the link's name, as billing-customers; got nothing
					a name with capitals           | name: test                                  | name: Billing                                 | link.name: 'Billing' is not a link name: lower-case letters, digits and hyphens, starting with a letter, as billing-customers
					no resource                    | resource:                                   | 'resource_:'                                  | link.resource_: unknown key: give called, gone, name, resource, source
					called not a mapping           | name: test                                  | 'name: test\ncalled: billing'                | link.called: a mapping with source, row and item, each optional; got 'billing'
					an unknown key in called       | name: test                                  | 'name: test\ncalled: {rows: account}'       | link.called.rows: unknown key: give item, row, source
					an empty word in called        | name: test                                  | 'name: test\ncalled: {row: ""}'             | link.called.row: missing: what one row is called, as account; got ''
					a word on two lines in called  | name: test                                  | 'name: test\ncalled: {item: "a\tb"}'       | link.called.item: holds a control character, such as a line break: give one line
					an unknown key in a resource   | 'name: the test API'                        | 'name: the test API\\n  itme: /x'             | link.resource.itme: unknown key: give auth, back-link-search, fields, health, id, item, list, name, probe
					no item                        | 'item: /items/{id}'                         | ''                                            | link.resource.item: missing: a path under the base URL, as /v1/customers/{id}; got nothing
					an item without its id         | 'item: /items/{id}'                         | 'item: /items/'                               | link.resource.item: '/items/' is not a path under the base URL with {id} once, as /v1/customers/{id}
					an item with its id twice      | 'item: /items/{id}'                         | 'item: /items/{id}/{id}'                      | link.resource.item: '/items/{id}/{id}' is not a path under the base URL with {id} once, as /v1/customers/{id}
					an item with a host            | 'item: /items/{id}'                         | 'item: http://elsewhere/items/{id}'           | link.resource.item: 'http://elsewhere/items/{id}' is not a path under the base URL with {id} once, as /v1/customers/{id}
					an item naming another host    | 'item: /items/{id}'                         | 'item: //elsewhere/items/{id}'                | link.resource.item: '//elsewhere/items/{id}' is not a path under the base URL with {id} once, as /v1/customers/{id}
					an item with another brace     | 'item: /items/{id}'                         | 'item: /items/{id}?v={version}'               | link.resource.item: '/items/{id}?v={version}' is not a path under the base URL with {id} once, as /v1/customers/{id}
					an item with a fragment        | 'item: /items/{id}'                         | 'item: /items/{id}#top'                       | link.resource.item: '/items/{id}#top' is not a path under the base URL with {id} once, as /v1/customers/{id}
					an item with a space           | 'item: /items/{id}'                         | 'item: /my items/{id}'                        | link.resource.item: '/my items/{id}' is not a path under the base URL with {id} once, as /v1/customers/{id}
					an item not a URI              | 'item: /items/{id}'                         | 'item: /items/{id}/%zz'                       | link.resource.item: '/items/{id}/%zz' is not a valid path: Malformed escape pair; percent-encode it
					no id format                   | 'id: {format: "[a-z]+", called: a test id}' | 'id: {called: a test id}'                     | link.resource.id.format: missing: a regular expression the whole id must match, as cus_[A-Za-z0-9]{14,}; got nothing
					a format not a regex           | 'id: {format: "[a-z]+", called: a test id}' | 'id: {format: "[a-z", called: a test id}'     | link.resource.id.format: not a regular expression: Unclosed character class at index 3
					a format matching nothing      | 'id: {format: "[a-z]+", called: a test id}' | 'id: {format: "[a-z]*", called: a test id}'   | link.resource.id.format: matches an empty id: give the form of an id, as cus_[A-Za-z0-9]{14,}
					no name for the format         | 'id: {format: "[a-z]+", called: a test id}' | 'id: {format: "[a-z]+"}'                      | link.resource.id.called: missing: what such an id is called in messages, as a customer id; got nothing
					no probe                       | 'probe: nothing'                            | ''                                            | link.resource.probe: missing: an id of the pointer's form that no resource can have, as cus_00000000000000; got nothing
					a probe of another form        | 'probe: nothing'                            | 'probe: "0000"'                               | link.resource.probe: '0000' is not a test id (link.resource.id.format): the probe must be an id the API would look up, and answer with its gone answer
					no auth                        | 'auth: bearer'                              | ''                                            | link.resource.auth: give bearer (Authorization: Bearer <secret>) or {header: <name>}; got nothing
					another auth word              | 'auth: bearer'                              | 'auth: basic'                                 | link.resource.auth: give bearer (Authorization: Bearer <secret>) or {header: <name>}; got 'basic'
					an auth header not a name      | 'auth: bearer'                              | 'auth: {header: "X Key"}'                     | link.resource.auth.header: 'X Key' is not a header name
					an unknown key in auth         | 'auth: bearer'                              | 'auth: {header: X-Key, scheme: basic}'        | link.resource.auth.scheme: unknown key: give header
					no fields                      | 'fields: {id: /id}'                         | ''                                            | link.resource.fields: a mapping with id, and optionally archived and back-link; got nothing
					no id field                    | 'fields: {id: /id}'                         | 'fields: {archived: /archived_at}'            | link.resource.fields.id: give a JSON pointer (RFC 6901) to the value, as /id; got nothing
					a field without its slash      | 'fields: {id: /id}'                         | 'fields: {id: id}'                            | link.resource.fields.id: give a JSON pointer (RFC 6901) to the value, as /id; got 'id'
					a health path without a slash  | 'auth: bearer'                              | 'auth: bearer\\n  health: health'             | link.resource.health: 'health' is not a path under the base URL, as /health
					a list with a nested field     | 'fields: {id: /id}'                         | 'fields: {id: /data/id}\\n  list: /items'     | link.resource.fields.id: with a list, every field is a key of the resource's top-level object, as /id: the list is read as it streams
					a back-link nested with a list | 'fields: {id: /id}'                         | 'fields: {id: /id, back-link: /links/row}\n  list: /items' | link.resource.fields.back-link: with a list, every field is a key of the resource's top-level object, as /id: the list is read as it streams
					archived nested with a list    | 'fields: {id: /id}'                         | 'fields: {id: /id, archived: /state/archived_at}\n  list: /items' | link.resource.fields.archived: with a list, every field is a key of the resource's top-level object, as /id: the list is read as it streams
					a name on two lines            | 'name: the test API'                        | 'name: "the test\\tAPI"'                    | link.resource.name: holds a control character, such as a line break: give one line
					a search without a back-link   | 'fields: {id: /id}'                         | 'fields: {id: /id}\\n  back-link-search: {query: "/items?of={key}", key: {format: "[0-9]+", called: a key}}' | link.resource.fields.back-link: missing: a back-link search needs the field that holds the back-link, as /archiver_info_item_id
					a search without its key       | 'fields: {id: /id}'                         | 'fields: {id: /id, back-link: /of}\\n  back-link-search: {query: "/items", key: {format: "[0-9]+", called: a key}}' | link.resource.back-link-search.query: '/items' is not a path under the base URL with {key} once, as /api/v1/watched-items?archiver_info_item_id={key}&include_archived=true
					""")
	void readWhenResourceIsWrongRefusesWithOneLineNamingTheKey(String why, String line, String replacement,
			String message) {
		String yaml = GONE + NAME_AND_RESOURCE.replace(line, replacement.replace("\\n", "\n"));
		assertThatExceptionOfType(LinkDefinitionException.class).as(why)
			.isThrownBy(() -> LinkFile.read("test.yaml", new StringReader(yaml)))
			.withMessage(message)
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("\n"));
	}

	/** The test link with one line of its resource replaced, and its id format's too. */
	private static Link link(String item, String format) {
		String yaml = GONE
				+ NAME_AND_RESOURCE.replace("item: /items/{id}", item.startsWith("item") ? item : "item: /items/{id}")
					.replace("auth: bearer", item.startsWith("auth") ? item : "auth: bearer")
					.replace("format: \"[a-z]+\"", format.isEmpty() ? "format: \"[a-z]+\"" : format);
		return LinkFile.read("test.yaml", new StringReader(yaml));
	}

}
