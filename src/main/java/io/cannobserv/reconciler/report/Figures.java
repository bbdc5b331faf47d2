package io.cannobserv.reconciler.report;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import io.cannobserv.reconciler.version.BuildVersion;

/**
 * How the human formats write figures. Times are UTC, as a cluster's logs are, and say
 * so.
 */
final class Figures {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private Figures() {
	}

	/** {@code 2026-11-26 18:19:50 UTC}, or a dash. */
	static String time(@Nullable Instant instant) {
		return (instant != null) ? TIME.format(instant) + " UTC" : "–";
	}

	/**
	 * {@code 850 ms}, {@code 16.8 s}, {@code 4 min 05 s}, {@code 2 h 03 min}, or a dash.
	 */
	static String duration(@Nullable Duration duration) {
		if (duration == null) {
			return "–";
		}
		long millis = duration.toMillis();
		if (millis < 1_000) {
			return millis + " ms";
		}
		if (millis < 60_000) {
			return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
		}
		long seconds = duration.toSeconds();
		if (seconds < 3_600) {
			return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
		}
		return String.format(Locale.ROOT, "%d h %02d min", seconds / 3_600, (seconds % 3_600) / 60);
	}

	/** {@code 2,640}. */
	static String count(long count) {
		return String.format(Locale.ROOT, "%,d", count);
	}

	/** {@code 5.0%} of {@code total}; {@code 0%} of nothing. */
	static String percent(long part, long total) {
		if (total == 0) {
			return "0%";
		}
		double share = 100.0 * part / total;
		return (share > 0 && share < 0.1) ? "<0.1%" : String.format(Locale.ROOT, "%.1f%%", share);
	}

	/**
	 * The build that recorded a run: {@code 0.2.0, commit 1a2b3c4}, or that it was not
	 * recorded.
	 */
	static String build(@Nullable BuildVersion build) {
		return (build != null) ? build.describe() : "not recorded";
	}

	/** The brake's limits in words. */
	static String brakeLimits(RunReport.Brake brake) {
		String share = (brake.maxClearFraction() >= 1) ? "no share limit" : "at most "
				+ BigDecimal.valueOf(brake.maxClearFraction()).movePointRight(2).stripTrailingZeros().toPlainString()
				+ "% gone once " + count(brake.minSample()) + " are checked";
		// the limits bound a night: a single run, or all the partitions of one together
		String cap = (brake.maxClears() != null) ? "at most " + count(brake.maxClears()) + " clears a night"
				: "no cap on clears a night";
		return share + "; " + cap;
	}

}
