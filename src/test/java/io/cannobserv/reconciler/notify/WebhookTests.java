package io.cannobserv.reconciler.notify;

import java.net.URI;
import java.time.Duration;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A webhook that does not answer in time is reported in one line of this project's own,
 * whichever of the HTTP client's clocks notices first.
 */
class WebhookTests {

	@RegisterExtension
	static WireMockExtension chat = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	@RepeatedTest(8)
	void postWhenTheWebhookHangsSaysNoAnswerWithinItsTimeout() {
		// given a webhook that answers after five seconds
		chat.stubFor(post(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(200).withFixedDelay(5_000)));
		Webhook webhook = new Webhook(URI.create(chat.baseUrl() + "/hook"), Duration.ofMillis(200));

		// when
		Webhook.Outcome outcome = webhook.post("run 1 ended");

		// then
		assertThat(outcome.sent()).isFalse();
		assertThat(outcome.detail()).isEqualTo("no answer within 200 ms");
	}

	@RepeatedTest(4)
	void postWhenTheWebhookSendsItsHeadersButNotItsBodySaysNoAnswerWithinItsTimeout() {
		// given a webhook whose body trickles over five seconds
		chat.stubFor(post(urlPathEqualTo("/hook"))
			.willReturn(aResponse().withStatus(200).withBody("ok ".repeat(50)).withChunkedDribbleDelay(50, 5_000)));
		Webhook webhook = new Webhook(URI.create(chat.baseUrl() + "/hook"), Duration.ofMillis(300));

		// when
		Webhook.Outcome outcome = webhook.post("run 1 ended");

		// then
		assertThat(outcome.detail()).isEqualTo("no answer within 300 ms");
	}

}
