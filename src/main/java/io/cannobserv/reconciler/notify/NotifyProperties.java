package io.cannobserv.reconciler.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;

/**
 * Where a run that needs a human is told.
 *
 * @param webhookUrl a chat's incoming webhook taking Slack's JSON (a {@code text} field),
 * posted the run's Markdown summary when the brake trips, a run fails or cannot start, or
 * unconfirmed 404s remain; none posts nothing. A secret: set
 * {@code RECONCILER_NOTIFY_WEBHOOK_URL} from a Secret
 * @param timeout longest wait for the webhook, from connecting to its answer
 */
@ConfigurationProperties("reconciler.notify")
public record NotifyProperties(@Nullable String webhookUrl, @DefaultValue("10s") Duration timeout) {

	/**
	 * The property of the webhook's URL, whose value is a secret (Slack's token is in its
	 * path).
	 */
	static final String WEBHOOK_URL = "reconciler.notify.webhook-url";

	public NotifyProperties {
		webhookUrl = StringUtils.hasText(webhookUrl) ? webhookUrl.strip() : null;
		if (webhookUrl != null) {
			webhookUri(webhookUrl);
		}
		if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
			throw new IllegalArgumentException(
					"reconciler.notify.timeout must be a positive duration of at most 5m, such as 10s, was " + timeout);
		}
	}

	/** The webhook, if one is configured. */
	@Nullable URI webhook() {
		return (this.webhookUrl != null) ? webhookUri(this.webhookUrl) : null;
	}

	private static URI webhookUri(String url) {
		// the value is never repeated in a message: it is a secret, and messages reach
		// logs
		String fix = WEBHOOK_URL + " (RECONCILER_NOTIFY_WEBHOOK_URL) must be an http or https URL with a host,"
				+ " as the chat's incoming webhook gives it; its value is a secret and is not shown";
		try {
			URI uri = new URI(url);
			if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
					|| uri.getHost() == null) {
				throw new IllegalArgumentException(fix);
			}
			return uri;
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException(fix);
		}
	}

	@Override
	public String toString() {
		// the URL must never reach a log line, even through a debug dump of the settings
		return "NotifyProperties[webhookUrl=" + ((this.webhookUrl != null) ? "****" : "unset") + ", timeout="
				+ this.timeout + "]";
	}

}
