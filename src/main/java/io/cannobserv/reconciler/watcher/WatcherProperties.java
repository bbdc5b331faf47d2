package io.cannobserv.reconciler.watcher;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;

/**
 * Settings for calls to the Watcher API.
 *
 * @param baseUrl Watcher's root URL, {@code http} or {@code https}, without
 * {@code /api/v1}
 * @param apiKey sent as {@code X-API-Key}, to that origin only
 * @param connectTimeout connect timeout per request
 * @param readTimeout longest wait for the next bytes of an answer (its status line, then
 * each read of its body)
 * @param maxAttempts attempts before a pointer is reported transient
 * @param initialBackoff first pause; doubles each retry, ± half of it as jitter
 * @param maxBackoff longest pause between attempts
 * @param maxRetryAfter longest {@code Retry-After} honoured
 * @param maxRequestsPerSecond rate cap of the whole run, shared by its partitions (each
 * of N processes takes 1/N of it); {@code 0} = none
 */
@ConfigurationProperties("reconciler.watcher")
public record WatcherProperties(@Nullable String baseUrl, @Nullable String apiKey,
		@DefaultValue("2s") Duration connectTimeout, @DefaultValue("5s") Duration readTimeout,
		@DefaultValue("4") int maxAttempts, @DefaultValue("200ms") Duration initialBackoff,
		@DefaultValue("5s") Duration maxBackoff, @DefaultValue("30s") Duration maxRetryAfter,
		@DefaultValue(WatcherProperties.DEFAULT_MAX_REQUESTS_PER_SECOND) double maxRequestsPerSecond) {

	/**
	 * High enough that concurrency, not the cap, bounds a run at Watcher's usual latency.
	 */
	public static final String DEFAULT_MAX_REQUESTS_PER_SECOND = "1000";

	public WatcherProperties {
		baseUrl = StringUtils.hasText(baseUrl) ? normalise(baseUrl.strip()) : null;
		apiKey = StringUtils.hasText(apiKey) ? apiKey.strip() : null;
		positive(connectTimeout, "--connect-timeout");
		positive(readTimeout, "--read-timeout");
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
			throw new IllegalStateException(
					"WATCHER_BASE_URL is not set: set it (or --watcher-base-url) to Watcher's root URL, e.g. http://watcher:8000");
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

	private static String normalise(String url) {
		URI uri;
		try {
			uri = URI.create(url);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("WATCHER_BASE_URL '" + url + "' is not a URL (" + ex.getMessage()
					+ "): set it to Watcher's root URL, e.g. http://watcher:8000");
		}
		if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
				|| uri.getRawQuery() != null || uri.getRawFragment() != null) {
			throw new IllegalArgumentException("WATCHER_BASE_URL '" + url
					+ "' must be an http(s) URL with a host and no query, e.g. http://watcher:8000");
		}
		if (uri.getRawPath() != null && uri.getRawPath().replaceAll("/+$", "").endsWith("/api/v1")) {
			throw new IllegalArgumentException(
					"WATCHER_BASE_URL '" + url + "' must be Watcher's root URL, without the /api/v1 suffix");
		}
		return url.replaceAll("/+$", "");
	}

	@Override
	public String toString() {
		// the key must never reach a log line, even through a debug dump of the settings
		return "WatcherProperties[baseUrl=" + this.baseUrl + ", apiKey=" + ((this.apiKey != null) ? "****" : "unset")
				+ ", connectTimeout=" + this.connectTimeout + ", readTimeout=" + this.readTimeout + ", maxAttempts="
				+ this.maxAttempts + ", maxRequestsPerSecond=" + this.maxRequestsPerSecond + "]";
	}

	private static void positive(Duration value, String option) {
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(
					option + " must be a positive duration such as 500ms or 5s, was " + value);
		}
	}

}
