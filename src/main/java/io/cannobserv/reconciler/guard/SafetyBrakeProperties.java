package io.cannobserv.reconciler.guard;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits that halt a run before it clears more than a healthy night would. A night is a
 * single run, or the runs of a partitioned run's partitions, which the brake judges
 * together ({@link BrakeSweeps}).
 *
 * @param maxClearFraction brake: largest share of the pointers checked in a night (all
 * its partitions together) that may be gone
 * @param minSample brake: pointers checked in a night (all its partitions together)
 * before the share is judged
 * @param maxClears brake: most pointers a night may clear, all its partitions together (a
 * single run is a night of its own)
 */
@ConfigurationProperties("reconciler.brake")
public record SafetyBrakeProperties(@DefaultValue("0.5") double maxClearFraction, @DefaultValue("20") long minSample,
		@Nullable Long maxClears) {

	public SafetyBrakeProperties {
		if (!(maxClearFraction >= 0 && maxClearFraction <= 1)) {
			throw new IllegalArgumentException(
					"--max-clear-fraction must be between 0 and 1 (1 turns the share check off), was "
							+ maxClearFraction);
		}
		if (minSample < 1) {
			throw new IllegalArgumentException("--brake-min-sample must be at least 1, was " + minSample);
		}
		if (maxClears != null && maxClears < 0) {
			throw new IllegalArgumentException("--max-clears must not be negative, was " + maxClears);
		}
	}

}
