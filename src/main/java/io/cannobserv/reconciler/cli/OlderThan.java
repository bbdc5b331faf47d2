package io.cannobserv.reconciler.cli;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;

/**
 * {@code --older-than}: which runs are old enough to prune, those that ended before
 * {@link #cutoff()}. A duration counts back from now ({@code 90d}, {@code 12h},
 * {@code P90D}); a date is midnight UTC of that day ({@code 2026-01-31}); an instant is
 * itself ({@code 2026-01-31T12:00:00Z}).
 *
 * @param cutoff runs that ended before this instant are old
 * @param given the value as given, or the default, for the summary
 */
public record OlderThan(Instant cutoff, String given) {

	/**
	 * The default: a quarter of nightly history, which keeps the report's trend and weeks
	 * of findings to investigate with, far beyond the brake's night (12 hours) and the
	 * alerts' two weeks.
	 */
	public static final String DEFAULT = "90d";

	private static final String FORMS = "a duration (90d, 12h, P90D) or a date (2026-01-31, 2026-01-31T12:00:00Z)";

	/**
	 * Parse {@code --older-than}.
	 * @param value as given, or null for the default
	 * @param clock now
	 * @throws UsageException naming the forms it takes
	 */
	public static OlderThan parse(@Nullable String value, Clock clock) {
		String given = (value != null) ? value.strip() : DEFAULT;
		Instant now = clock.instant();
		Instant cutoff = date(given);
		if (cutoff == null) {
			Duration age = duration(given);
			if (age.isNegative()) {
				throw new UsageException("--older-than must not be negative, was '" + given + "': give " + FORMS);
			}
			cutoff = now.minus(age);
		}
		else if (cutoff.isAfter(now)) {
			throw new UsageException("--older-than " + given + " is in the future, so every run would be old: give a"
					+ " past date or a duration such as 90d");
		}
		return new OlderThan(cutoff.truncatedTo(ChronoUnit.SECONDS), given);
	}

	private static @Nullable Instant date(String given) {
		try {
			return LocalDate.parse(given).atStartOfDay(ZoneOffset.UTC).toInstant();
		}
		catch (DateTimeException ex) {
			// not a date
		}
		try {
			return OffsetDateTime.parse(given).toInstant();
		}
		catch (DateTimeException ex) {
			return null;
		}
	}

	private static Duration duration(String given) {
		if (given.matches("[+-]?[0-9]+")) {
			// a bare number would be milliseconds, and prune nearly everything
			throw new UsageException("--older-than " + given + " has no unit: give " + FORMS);
		}
		try {
			return DurationStyle.detectAndParse(given);
		}
		catch (IllegalArgumentException ex) {
			throw new UsageException("--older-than needs " + FORMS + ", not '" + given + "'");
		}
	}

	/** {@code runs that ended before 2026-03-03T10:00:00Z (--older-than 90d)}. */
	public String describe() {
		return "runs that ended before " + this.cutoff + " (--older-than " + this.given + ")";
	}

}
