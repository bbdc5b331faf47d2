package io.cannobserv.reconciler.run;

import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Whether a run writes. Dry run is the default: it classifies everything and writes
 * nothing to Archiver's tables.
 */
public enum RunMode {

	DRY_RUN("dry-run"), APPLY("apply");

	private final String label;

	RunMode(String label) {
		this.label = label;
	}

	/** As reports, job parameters and the run history spell it. */
	@JsonValue
	public String label() {
		return this.label;
	}

	@JsonCreator(mode = JsonCreator.Mode.DELEGATING)
	public static RunMode fromLabel(String label) {
		return Arrays.stream(values())
			.filter((mode) -> mode.label.equals(label))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("Unknown run mode '" + label + "'"));
	}

}
