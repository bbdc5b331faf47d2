package io.cannobserv.reconciler.guard;

import io.cannobserv.reconciler.guard.SafetyBrake.BrakeTrip;

/**
 * Halts the run before a chunk is written: the chunk rolls back, the run ends (Spring
 * Batch records it failed; every report calls it halted) and exits with code 3, and
 * running it again resumes at the same chunk (under new limits, if the clean-up is
 * deliberate). Its message is for the log's debug level only: operators read the trip's
 * own message, which names no class.
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
