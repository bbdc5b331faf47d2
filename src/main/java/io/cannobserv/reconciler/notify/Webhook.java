package io.cannobserv.reconciler.notify;

import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import tools.jackson.databind.json.JsonMapper;

import io.cannobserv.reconciler.cli.Failures;

/**
 * Posts a message to a chat webhook as Slack's incoming webhooks take it, {@code {"text":
 * "…"}}, which Mattermost, Rocket.Chat and others take too. One attempt, bounded as a
 * whole by the timeout (connecting, sending and the answer), redirects not followed. It
 * never throws: what happened comes back as one line, which never holds the URL (its path
 * is the secret), only its host.
 */
final class Webhook {

	/** The longest part of an answer's body repeated in the outcome. */
	private static final int BODY_SHOWN = 200;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final URI uri;

	private final Duration timeout;

	Webhook(URI uri, Duration timeout) {
		this.uri = uri;
		this.timeout = timeout;
	}

	/** Where it posts, as it may be shown: the host. */
	String host() {
		return String.valueOf(this.uri.getHost());
	}

	/**
	 * Posts {@code text}.
	 * @return what came of it
	 */
	Outcome post(String text) {
		HttpClient client = HttpClient.newBuilder()
			.connectTimeout(this.timeout)
			.followRedirects(HttpClient.Redirect.NEVER)
			.proxy(ProxySelector.getDefault())
			.build();
		// one clock for the whole post, the wait below: a request timeout of the client's
		// own would race it and end in its own words
		HttpRequest request = HttpRequest.newBuilder(this.uri)
			.header("Content-Type", "application/json; charset=utf-8")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("text", text)),
					StandardCharsets.UTF_8))
			.build();
		CompletableFuture<HttpResponse<String>> answer = client.sendAsync(request,
				HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		try {
			HttpResponse<String> response = answer.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (response.statusCode() / 100 == 2) {
				return new Outcome(true, "HTTP " + response.statusCode());
			}
			return new Outcome(false, "HTTP " + response.statusCode() + " " + shown(response.body()));
		}
		catch (TimeoutException ex) {
			answer.cancel(true);
			return new Outcome(false, "no answer within " + this.timeout.toMillis() + " ms");
		}
		catch (ExecutionException ex) {
			if (Failures.root(ex) instanceof HttpConnectTimeoutException) {
				// the connect timeout is the same length: whichever notices first
				return new Outcome(false, "no answer within " + this.timeout.toMillis() + " ms");
			}
			return new Outcome(false, Failures.root(ex).getClass().getSimpleName() + " " + Failures.rootMessage(ex));
		}
		catch (InterruptedException ex) {
			answer.cancel(true);
			Thread.currentThread().interrupt();
			return new Outcome(false, "interrupted");
		}
	}

	private static String shown(String body) {
		String line = body.replaceAll("\\s+", " ").strip();
		return (line.length() > BODY_SHOWN) ? line.substring(0, BODY_SHOWN) + "…" : line;
	}

	/**
	 * What came of a post.
	 *
	 * @param sent whether the webhook took it (a 2xx answer)
	 * @param detail its answer, or why there was none, on one line
	 */
	record Outcome(boolean sent, String detail) {
	}

}
