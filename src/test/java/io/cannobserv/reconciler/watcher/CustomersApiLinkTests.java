package io.cannobserv.reconciler.watcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cannobserv.reconciler.link.Link;
import io.cannobserv.reconciler.link.LinkFile;
import io.cannobserv.reconciler.watcher.WatchedItemLookup.Outcome;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The shipped billing link ({@code links/billing-customers.yaml}) against a fake of a
 * Stripe-style customers API speaking that API's answers: the client asks the path, sends
 * the secret and reads the answers the file says, with no code of its own. Only
 * {@code 404 resource_missing} and {@code 200 "deleted": true} are gone; every near miss
 * keeps the pointer.
 */
class CustomersApiLinkTests {

	private static final String SECRET = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";

	private static final String ID = "cus_NffrFeUfNV2Hib";

	private static final String PATH = "/v1/customers/" + ID;

	private static final String LIVE = "{\"id\":\"" + ID + "\",\"object\":\"customer\",\"address\":null,"
			+ "\"balance\":0,\"created\":1680893993,\"currency\":null,\"email\":\"jennyrosen@example.com\","
			+ "\"livemode\":false,\"metadata\":{},\"name\":\"Jenny Rosen\"}";

	private static final String DELETED = "{\"id\":\"" + ID + "\",\"object\":\"customer\",\"deleted\":true}";

	private static final String RESOURCE_MISSING = "{\"error\":{\"code\":\"resource_missing\","
			+ "\"doc_url\":\"https://stripe.com/docs/error-codes/resource-missing\","
			+ "\"message\":\"No such customer: '" + ID + "'\",\"param\":\"id\",\"type\":\"invalid_request_error\"}}";

	private static final String INVALID_KEY = "{\"error\":{\"message\":\"Invalid API Key provided: sk_test_****\","
			+ "\"type\":\"invalid_request_error\"}}";

	@RegisterExtension
	static WireMockExtension api = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().gzipDisabled(true))
		.build();

	private static Link billing;

	@BeforeAll
	static void readTheShippedLink() throws IOException {
		try (Reader file = Files.newBufferedReader(Path.of("links/billing-customers.yaml"))) {
			billing = LinkFile.read("links/billing-customers.yaml", file);
		}
	}

	static Stream<Answer> answers() {
		return Stream.of(new Answer("a live customer", json(200, LIVE), Outcome.ACTIVE),
				new Answer("a customer deleted through the API", json(200, DELETED), Outcome.DELETED),
				new Answer("a customer purged or never created", json(404, RESOURCE_MISSING), Outcome.DELETED),
				new Answer("a 404 with another error code",
						json(404, RESOURCE_MISSING.replace("resource_missing", "parameter_unknown")),
						Outcome.NOT_FOUND_UNCONFIRMED),
				new Answer("a proxy's 404 as JSON", json(404, "{\"message\":\"Not Found\"}"),
						Outcome.NOT_FOUND_UNCONFIRMED),
				new Answer("a proxy's 404 as HTML",
						aResponse().withStatus(404)
							.withHeader("Content-Type", "text/html")
							.withBody("<html><body><h1>404 Not Found</h1></body></html>"),
						Outcome.NOT_FOUND_UNCONFIRMED),
				new Answer("resource_missing sent as text",
						aResponse().withStatus(404).withHeader("Content-Type", "text/plain").withBody(RESOURCE_MISSING),
						Outcome.NOT_FOUND_UNCONFIRMED),
				new Answer("deleted as a string", json(200, DELETED.replace("true", "\"true\"")), Outcome.ACTIVE),
				new Answer("deleted false", json(200, DELETED.replace("true", "false")), Outcome.ACTIVE),
				new Answer("deleted twice", json(200, DELETED.replace("}", ",\"deleted\":true}")), Outcome.UNAVAILABLE),
				new Answer("a 200 about another customer", json(200, LIVE.replace(ID, "cus_OtherCustomer0001")),
						Outcome.UNAVAILABLE),
				new Answer("a 503", json(503, "{\"error\":{\"type\":\"api_error\"}}"), Outcome.UNAVAILABLE));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("answers")
	void lookupWhenTheApiAnswersDecidesByTheLinksRules(Answer row) {
		// given
		api.stubFor(get(urlPathEqualTo(PATH)).willReturn(row.answer()));
		// when
		WatchedItemLookup lookup = client().lookupOnce(ID);
		// then
		assertThat(lookup.outcome()).isEqualTo(row.expected());
		api.verify(getRequestedFor(urlEqualTo(PATH)).withHeader("Authorization", equalTo("Bearer " + SECRET))
			.withHeader("X-API-Key", absent()));
	}

	@Test
	void lookupWhenLiveSaysActiveWithoutArchivedOrBackLink() {
		// given: the link declares neither
		api.stubFor(get(urlPathEqualTo(PATH)).willReturn(json(200, LIVE)));
		// when
		WatchedItemLookup lookup = client().lookupOnce(ID);
		// then
		assertThat(lookup.evidence()).isEqualTo("HTTP 200 active");
		assertThat(lookup.archiverInfoItemId()).isNull();
	}

	@Test
	void lookupWhenTheSecretIsRefusedStops() {
		// given
		api.stubFor(get(urlPathEqualTo(PATH)).willReturn(json(401, INVALID_KEY)));
		// when, then
		assertThatExceptionOfType(WatcherAuthenticationException.class).isThrownBy(() -> client().lookupOnce(ID));
	}

	@Test
	void probeWhenTheApiAnswersResourceMissingIsTheGoneAnswer() throws IOException {
		// given: preflight's probe, an id of the link's form no customer has
		String probe = billing.resource().probePath();
		api.stubFor(get(urlPathEqualTo(probe)).willReturn(json(404, RESOURCE_MISSING)));
		// when
		WatcherClient.WatcherAnswer answer = client().get(probe, true);
		// then
		assertThat(probe).isEqualTo("/v1/customers/cus_00000000000000");
		assertThat(answer.typedNotFound()).isTrue();
	}

	private static WatcherClient client() {
		return new WatcherClient(new WatcherProperties(api.baseUrl(), SECRET, Duration.ofSeconds(2),
				Duration.ofSeconds(5), Duration.ofSeconds(30), 1, Duration.ofMillis(10), Duration.ofMillis(40),
				Duration.ofSeconds(1), 0), billing);
	}

	private static ResponseDefinitionBuilder json(int status, String body) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
	}

	record Answer(String label, ResponseDefinitionBuilder answer, Outcome expected) {

		@Override
		public String toString() {
			return this.label;
		}

	}

}
