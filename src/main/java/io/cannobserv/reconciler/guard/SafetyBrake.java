package io.cannobserv.reconciler.guard;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

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
		String again = partitioned ? "run each halted partition again with " : "run again with ";
		String resumes = partitioned ? " (each resumes where it stopped)" : " (it resumes where it stopped)";
		Long maxClears = this.properties.maxClears();
		if (maxClears != null && gone > maxClears) {
			return Optional.of(new BrakeTrip("max-clears", checked, gone, String.format(Locale.ROOT,
					"%s would clear %d pointers, more than --max-clears=%d; nothing of this chunk was written. "
							+ "If this clean-up is deliberate, %sa higher --max-clears%s",
					partitioned ? "the " + sweep.partitions() + " partitions of this night together" : "the run", gone,
					maxClears, again, resumes)));
		}
		double fraction = (checked > 0) ? (double) gone / checked : 0;
		if (checked >= this.properties.minSample() && fraction > this.properties.maxClearFraction()) {
			return Optional.of(new BrakeTrip("max-clear-fraction", checked, gone, String.format(Locale.ROOT,
					"%d of %d %s (%.0f%%) are gone, above --max-clear-fraction=%s after a sample of %d; "
							+ "nothing of this chunk was written. Check that WATCHER_BASE_URL is the right Watcher; if this "
							+ "mass clean-up is deliberate, %s--max-clear-fraction=1%s",
					gone, checked,
					partitioned ? "pointers checked by the " + sweep.partitions() + " partitions of this night"
							: "checked pointers",
					fraction * 100, this.properties.maxClearFraction(), this.properties.minSample(), again, resumes)));
		}
		return Optional.empty();
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
	public record BrakeTrip(String limit, long checked, long gone, String message) {
	}

}
