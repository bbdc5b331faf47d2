package io.cannobserv.reconciler.notify;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

import io.cannobserv.reconciler.report.RunReports;

/**
 * The secret values of the configuration, taken out of any text that leaves the process
 * by a chat message. A message holds what a run met (Watcher's answers, a database's
 * error) and those can quote what they were sent: a proxy's error page echoing the API
 * key, a driver's message quoting its connection settings.
 */
final class Secrets {

	static final String REDACTED = "[redacted]";

	/** The properties whose values are secrets. */
	private static final List<String> PROPERTIES = List.of("reconciler.watcher.api-key", "spring.datasource.password",
			NotifyProperties.WEBHOOK_URL, "management.prometheus.metrics.export.pushgateway.password",
			"management.otlp.metrics.export.headers.authorization");

	/**
	 * A webhook's path shorter than this is no token (Slack's are some 60 characters).
	 */
	private static final int TOKEN_PATH = 8;

	/** What ends text that was cut short. */
	private static final String CUT = "…";

	/** The shortest start of a secret taken out where text was cut within it. */
	private static final int CUT_PREFIX = 3;

	private final List<String> values;

	private Secrets(Set<String> values) {
		// the longest first: a secret that contains another is taken out whole
		List<String> sorted = new ArrayList<>(values);
		sorted.sort(Comparator.comparingInt(String::length).reversed());
		this.values = List.copyOf(sorted);
	}

	static Secrets of(Environment environment) {
		Set<String> values = new LinkedHashSet<>();
		for (String property : PROPERTIES) {
			String value = environment.getProperty(property);
			if (StringUtils.hasText(value)) {
				values.add(value);
				values.add(value.strip());
			}
		}
		String webhook = environment.getProperty(NotifyProperties.WEBHOOK_URL);
		if (StringUtils.hasText(webhook)) {
			// the token of Slack's webhooks is in the path: alone, it is as good as the
			// URL
			try {
				String path = URI.create(webhook.strip()).getRawPath();
				if (path != null && path.length() >= TOKEN_PATH) {
					values.add(path);
				}
			}
			catch (IllegalArgumentException ex) {
				// not a URL: the whole value is taken out all the same
			}
		}
		// and as the Markdown summary writes them, with its escapes
		new ArrayList<>(values).forEach((value) -> values.add(RunReports.markdownText(value)));
		values.removeIf(String::isEmpty);
		return new Secrets(values);
	}

	/**
	 * {@code text} with every secret value replaced by {@value #REDACTED}, and the start
	 * of one where text was cut short within it (evidence is, at its length).
	 */
	String redact(String text) {
		String redacted = text;
		for (String value : this.values) {
			redacted = redacted.replace(value, REDACTED);
		}
		for (String value : this.values) {
			for (int length = value.length() - 1; length >= CUT_PREFIX; length--) {
				redacted = redacted.replace(value.substring(0, length) + CUT, REDACTED + CUT);
			}
		}
		return redacted;
	}

}
