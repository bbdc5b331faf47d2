package io.cannobserv.reconciler.watcher;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads a {@code Retry-After} header: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
 * An unreadable value counts as no hint.
 */
final class RetryAfter {

	private RetryAfter() {
	}

	static Duration parse(String value) {
		String text = value.strip();
		try {
			return Duration.ofSeconds(Math.max(0, Long.parseLong(text)));
		}
		catch (NumberFormatException notSeconds) {
			try {
				Duration until = Duration.between(ZonedDateTime.now(),
						ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME));
				return until.isNegative() ? Duration.ZERO : until;
			}
			catch (DateTimeParseException notDate) {
				return Duration.ZERO;
			}
		}
	}

}
