package io.cannobserv.reconciler.cli;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code --older-than}: every form it takes, and those it refuses because they would
 * prune nearly everything.
 */
class OlderThanTests {

	private static final Instant NOW = Instant.parse("2026-06-15T10:30:45.123Z");

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	@Test
	void parseWhenAbsentIsNinetyDaysBack() {
		OlderThan olderThan = OlderThan.parse(null, this.clock);
		assertThat(olderThan.cutoff()).isEqualTo("2026-03-17T10:30:45Z");
		assertThat(olderThan.describe()).isEqualTo("runs that ended before 2026-03-17T10:30:45Z (--older-than 90d)");
	}

	@Test
	void parseWhenADurationCountsBackFromNow() {
		assertThat(OlderThan.parse("12h", this.clock).cutoff()).isEqualTo("2026-06-14T22:30:45Z");
		assertThat(OlderThan.parse("P30D", this.clock).cutoff()).isEqualTo("2026-05-16T10:30:45Z");
		assertThat(OlderThan.parse(" 0s ", this.clock).cutoff()).isEqualTo("2026-06-15T10:30:45Z");
	}

	@Test
	void parseWhenADateIsMidnightUtcOrTheInstantGiven() {
		assertThat(OlderThan.parse("2026-01-31", this.clock).cutoff()).isEqualTo("2026-01-31T00:00:00Z");
		assertThat(OlderThan.parse("2026-01-31T12:00:00+02:00", this.clock).cutoff()).isEqualTo("2026-01-31T10:00:00Z");
	}

	@Test
	void parseWhenABareNumberNegativeFutureOrJunkRefusesNamingTheForms() {
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> OlderThan.parse("90", this.clock))
			.withMessage("--older-than 90 has no unit: give a duration (90d, 12h, P90D) or a date (2026-01-31,"
					+ " 2026-01-31T12:00:00Z)");
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> OlderThan.parse("-5d", this.clock))
			.withMessageStartingWith("--older-than must not be negative, was '-5d'");
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> OlderThan.parse("2026-07-01", this.clock))
			.withMessageStartingWith("--older-than 2026-07-01 is in the future");
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> OlderThan.parse("3 months", this.clock))
			.withMessageStartingWith("--older-than needs a duration");
	}

}
