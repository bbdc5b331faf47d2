package io.cannobserv.reconciler.watcher;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;

/**
 * Settings for calls to the Watcher API.
 * <p>
 * The base URL and the key are refused at start, naming their variable and never their
 * value, when they could leak or cannot be sent: a base URL with a user name or password,
 * a query or a fragment; a key holding a control character (a line break, say), once the
 * white space around it is trimmed.
 *
 * @param baseUrl Watcher's root URL, {@code http} or {@code https}, without
 * {@code /api/v1}
 * @param apiKey sent as {@code X-API-Key}, to that origin only
 * @param connectTimeout connect timeout per request
 * @param readTimeout longest wait for the next bytes of an answer (its status line, then
 * each read of its body)
 * @param requestTimeout longest time for one request, from connecting to the last byte of
 * its answer; a request past it is retried like a timeout, transient after the last
 * attempt
 * @param maxAttempts recheck rounds before a pointer is reported transient (and attempts
 * at the list)
 * @param initialBackoff pause before the second recheck round; doubles each round
 * (retries of the list: ± half of it as jitter)
 * @param maxBackoff longest pause between rounds or attempts
 * @param maxRetryAfter longest {@code Retry-After} honoured; it holds every request of
 * the process
 * @param maxRequestsPerSecond rate cap of the whole run, shared by its partitions (each
 * of N processes takes 1/N of it); {@code 0} = none
 */
@ConfigurationProperties("reconciler.watcher")
public record WatcherProperties(@Nullable String baseUrl, @Nullable String apiKey,
		@DefaultValue("2s") Duration connectTimeout, @DefaultValue("5s") Duration readTimeout,
		@DefaultValue("10s") Duration requestTimeout, @DefaultValue("4") int maxAttempts,
		@DefaultValue("200ms") Duration initialBackoff, @DefaultValue("5s") Duration maxBackoff,
		@DefaultValue("30s") Duration maxRetryAfter,
		@DefaultValue(WatcherProperties.DEFAULT_MAX_REQUESTS_PER_SECOND) double maxRequestsPerSecond) {

	/**
	 * High enough that concurrency, not the cap, bounds a run at Watcher's usual latency.
	 */
	public static final String DEFAULT_MAX_REQUESTS_PER_SECOND = "1000";

	private static final String BASE_URL_EXAMPLE = "e.g. http://watcher:8000";

	public WatcherProperties {
		baseUrl = StringUtils.hasText(baseUrl) ? normalise(baseUrl.strip()) : null;
		apiKey = StringUtils.hasText(apiKey) ? checkedKey(apiKey.strip()) : null;
		positive(connectTimeout, "--connect-timeout");
		positive(readTimeout, "--read-timeout");
		positive(requestTimeout, "--request-timeout");
		positive(initialBackoff, "--initial-backoff");
		positive(maxBackoff, "--max-backoff");
		if (maxRetryAfter.isNegative()) {
			throw new IllegalArgumentException("--max-retry-after must not be negative, was " + maxRetryAfter);
		}
		if (maxAttempts < 1 || maxAttempts > 20) {
			throw new IllegalArgumentException("--max-attempts must be between 1 and 20, was " + maxAttempts);
		}
		if (!(maxRequestsPerSecond >= 0)) {
			throw new IllegalArgumentException(
					"--max-requests-per-second must be 0 (no cap) or more, was " + maxRequestsPerSecond);
		}
	}

	/** The base URL; fails with the fix when it is not configured. */
	public URI requiredBaseUrl() {
		if (this.baseUrl == null) {
			throw new IllegalStateException("WATCHER_BASE_URL is not set: set it (or --watcher-base-url) to "
					+ "Watcher's root URL, " + BASE_URL_EXAMPLE);
		}
		return URI.create(this.baseUrl);
	}

	/** The API key; fails with the fix when it is not configured. */
	public String requiredApiKey() {
		if (this.apiKey == null) {
			throw new IllegalStateException("WATCHER_API_KEY is not set: set it to the key Watcher accepts");
		}
		return this.apiKey;
	}

	/**
	 * Refuses a URL that is not Watcher's root URL alone. The messages never quote the
	 * value: it may hold a password or a token.
	 */
	private static String normalise(String url) {
		URI uri;
		try {
			uri = URI.create(url);
		}
		catch (IllegalArgumentException ex) {
			// the parser's message quotes the whole value
			throw refused("is not a URL");
		}
		if (uri.getRawUserInfo() != null) {
			throw refused("must not hold a user name or password (user:password@): give Watcher's root URL alone, "
					+ BASE_URL_EXAMPLE + "; the key goes in WATCHER_API_KEY");
		}
		if (uri.getRawQuery() != null) {
			throw refused("must have no query (?…)");
		}
		if (uri.getRawFragment() != null) {
			throw refused("must have no fragment (#…)");
		}
		if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
			throw refused("must be an http(s) URL with a host");
		}
		if (uri.getRawPath() != null && uri.getRawPath().replaceAll("/+$", "").endsWith("/api/v1")) {
			throw new IllegalArgumentException(
					"WATCHER_BASE_URL must be Watcher's root URL, without the /api/v1 suffix");
		}
		return url.replaceAll("/+$", "");
	}

	private static IllegalArgumentException refused(String why) {
		return new IllegalArgumentException(
				"WATCHER_BASE_URL (--watcher-base-url) " + why + ": set it to Watcher's root URL, " + BASE_URL_EXAMPLE);
	}

	/**
	 * Refuses a key that cannot be a header value: a control character, such as the line
	 * break of a second line, would otherwise reach an error message.
	 */
	private static String checkedKey(String key) {
		if (key.chars().anyMatch(Character::isISOControl)) {
			throw new IllegalArgumentException("WATCHER_API_KEY (reconciler.watcher.api-key) holds a control "
					+ "character, such as a line break: set it to the key alone, on one line");
		}
		return key;
	}

	@Override
	public String toString() {
		// the key must never reach a log line, even through a debug dump of the settings
		return "WatcherProperties[baseUrl=" + this.baseUrl + ", apiKey=" + ((this.apiKey != null) ? "****" : "unset")
				+ ", connectTimeout=" + this.connectTimeout + ", readTimeout=" + this.readTimeout + ", requestTimeout="
				+ this.requestTimeout + ", maxAttempts=" + this.maxAttempts + ", maxRequestsPerSecond="
				+ this.maxRequestsPerSecond + "]";
	}

	private static void positive(Duration value, String option) {
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(
					option + " must be a positive duration such as 500ms or 5s, was " + value);
		}
	}

}
