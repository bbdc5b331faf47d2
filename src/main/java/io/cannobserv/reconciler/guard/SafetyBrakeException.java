package io.cannobserv.reconciler.guard;

import io.cannobserv.reconciler.guard.SafetyBrake.BrakeTrip;

/**
 * Halts the run before a chunk is written: the chunk rolls back, the run ends failed and
 * exits with code 3, and running it again resumes at the same chunk (under new limits, if
 * the clean-up is deliberate).
 */
public class SafetyBrakeException extends RuntimeException {

	private final BrakeTrip trip;

	public SafetyBrakeException(BrakeTrip trip) {
		super("Safety brake: " + trip.message());
		this.trip = trip;
	}

	public BrakeTrip trip() {
		return this.trip;
	}

}
