package io.cannobserv.reconciler.guard;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.run.RunCounts;

/**
 * Judges, before a chunk is written, whether the run clears too much to be healthy: a
 * Watcher of the wrong environment, or one restored from an empty backup, answers the
 * typed 404 for everything, and only the figures can tell.
 */
@Component
public class SafetyBrake {

	/** {@link BrakeTrip#limit()} of the cap on clears. */
	public static final String MAX_CLEARS = "max-clears";

	/** {@link BrakeTrip#limit()} of the share of gone pointers. */
	public static final String MAX_CLEAR_FRACTION = "max-clear-fraction";

	private final SafetyBrakeProperties properties;

	public SafetyBrake(SafetyBrakeProperties properties) {
		this.properties = properties;
	}

	/**
	 * Whether writing {@code chunk} on top of {@code committed} would pass a limit.
	 * @param committed what the run has committed so far
	 * @param chunk the chunk about to be written
	 * @return why the brake trips, or empty
	 */
	public Optional<BrakeTrip> check(RunCounts committed, RunCounts chunk) {
		return check(Figures.of(committed.plus(chunk), 1));
	}

	/**
	 * Whether the figures of a sweep, the chunk about to be written included, pass a
	 * limit.
	 * @param sweep what the sweep's runs committed, plus the chunk
	 * @return why the brake trips, or empty
	 */
	public Optional<BrakeTrip> check(Figures sweep) {
		long checked = sweep.checked();
		long gone = sweep.gone();
		boolean partitioned = sweep.partitions() > 1;
		List<String> passed = new ArrayList<>();
		Long neededMaxClears = null;
		BigDecimal neededFraction = null;
		String limit = null;
		Long maxClears = this.properties.maxClears();
		if (maxClears != null && gone > maxClears) {
			limit = MAX_CLEARS;
			passed.add(String.format(Locale.ROOT, "%s would clear %d pointers, more than --max-clears=%d",
					partitioned ? "the " + sweep.partitions() + " partitions of this night together" : "the run", gone,
					maxClears));
			// the night's clears with this chunk: exactly what lets it through
			neededMaxClears = gone;
		}
		// the sample is at least one pointer (SafetyBrakeProperties): never a division by
		// 0
		double fraction = (checked >= this.properties.minSample()) ? (double) gone / checked : 0;
		if (fraction > this.properties.maxClearFraction()) {
			limit = (limit != null) ? limit : MAX_CLEAR_FRACTION;
			passed.add(String.format(Locale.ROOT,
					"%d of %d %s (%.0f%%) are gone, above --max-clear-fraction=%s after a sample of %d", gone, checked,
					partitioned ? "pointers checked by the " + sweep.partitions() + " partitions of this night"
							: "checked pointers",
					fraction * 100, this.properties.maxClearFraction(), this.properties.minSample()));
			neededFraction = fractionAtLeast(gone, checked);
		}
		if (limit == null) {
			return Optional.empty();
		}
		return Optional
			.of(new BrakeTrip(limit, checked, gone, String.join("; and ", passed), neededMaxClears, neededFraction));
	}

	/**
	 * The smallest share with two decimals that {@code gone} of {@code checked} does not
	 * pass: as parsed from the command line, the same double as the division, so the
	 * brake's {@code >} lets exactly this share through.
	 */
	static BigDecimal fractionAtLeast(long gone, long checked) {
		return BigDecimal.valueOf(gone).divide(BigDecimal.valueOf(checked), 2, RoundingMode.CEILING);
	}

	/**
	 * The options that let a chunk through, as a command line spells them.
	 * @param maxClears the cap needed, or null when the cap was not passed
	 * @param fraction the share needed, or null when the share was not passed
	 * @return {@code --max-clears=7}, {@code --max-clear-fraction=0.56}, or both
	 */
	public static String override(@Nullable Long maxClears, @Nullable BigDecimal fraction) {
		List<String> options = new ArrayList<>();
		if (maxClears != null) {
			options.add("--max-clears=" + maxClears);
		}
		if (fraction != null) {
			options.add("--max-clear-fraction=" + fraction.stripTrailingZeros().toPlainString());
		}
		return String.join(" ", options);
	}

	public SafetyBrakeProperties properties() {
		return this.properties;
	}

	/**
	 * What the brake judges.
	 *
	 * @param checked pointers Watcher answered definitely ({@link Outcome#isDefinite()})
	 * @param gone of those, the gone ones, and the moved ones, which a re-link changes as
	 * a clear does
	 * @param partitions how many partitions the sweep has (1: a single run)
	 */
	public record Figures(long checked, long gone, int partitions) {

		/** The figures of {@code counts}, in a sweep of {@code partitions}. */
		public static Figures of(RunCounts counts, int partitions) {
			// only definite answers count: transient and unconfirmed pointers would water
			// the share down, so a Watcher answering half 503 and half "deleted" would
			// never trip the brake
			long checked = Arrays.stream(Outcome.values()).filter(Outcome::isDefinite).mapToLong(counts::get).sum();
			// a re-link changes a pointer as a clear does, and counts as one
			long gone = Arrays.stream(Outcome.values()).filter(Outcome::isStale).mapToLong(counts::get).sum();
			return new Figures(checked, gone, partitions);
		}

	}

	/**
	 * Why the brake tripped.
	 *
	 * @param limit the option whose limit was passed
	 * @param checked pointers Watcher answered definitely ({@link Outcome#isDefinite()}),
	 * including the chunk
	 * @param gone of those, the gone ones (and the moved ones, which a re-link changes as
	 * a clear does)
	 * @param message the figures and how to override, for an operator
	 */
	public record BrakeTrip(String limit, long checked, long gone, String message, @Nullable Long neededMaxClears,
			@Nullable BigDecimal neededFraction) {

		/** The options that let this chunk through, such as {@code --max-clears=7}. */
		public String override() {
			return SafetyBrake.override(this.neededMaxClears, this.neededFraction);
		}

	}

}
