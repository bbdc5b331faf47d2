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
		RunCounts total = committed.plus(chunk);
		// only definite answers count: transient and unconfirmed pointers would water the
		// share down,
		// so a Watcher answering half 503 and half "deleted" would never trip the brake
		long checked = Arrays.stream(Outcome.values()).filter(Outcome::isDefinite).mapToLong(total::get).sum();
		// a re-link changes a pointer as a clear does, and counts as one
		long gone = Arrays.stream(Outcome.values()).filter(Outcome::isStale).mapToLong(total::get).sum();
		boolean moved = total.get(Outcome.MOVED) > 0;
		Long maxClears = this.properties.maxClears();
		if (maxClears != null && gone > maxClears) {
			return Optional.of(new BrakeTrip("max-clears", checked, gone, String.format(Locale.ROOT,
					"the run would clear %s%d pointers, more than --max-clears=%d; nothing of this chunk was written. "
							+ "If this clean-up is deliberate, run again with a higher --max-clears (it resumes where it stopped)",
					moved ? "or re-link " : "", gone, maxClears)));
		}
		double fraction = (checked > 0) ? (double) gone / checked : 0;
		if (checked >= this.properties.minSample() && fraction > this.properties.maxClearFraction()) {
			return Optional.of(new BrakeTrip("max-clear-fraction", checked, gone, String.format(Locale.ROOT,
					"%d of %d checked pointers (%.0f%%) are gone%s, above --max-clear-fraction=%s after a sample of %d; "
							+ "nothing of this chunk was written. Check that WATCHER_BASE_URL is the right Watcher; if this "
							+ "mass clean-up is deliberate, run again with --max-clear-fraction=1 (it resumes where it stopped)",
					gone, checked, fraction * 100, moved ? " or moved (to be re-linked)" : "",
					this.properties.maxClearFraction(), this.properties.minSample())));
		}
		return Optional.empty();
	}

	public SafetyBrakeProperties properties() {
		return this.properties;
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
