package io.cannobserv.reconciler.run;

import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a run left its safety brake. The labels are what reports, the run history and
 * dashboards show.
 */
public enum BrakeState {

	/** No limit was passed. */
	CLEAR("clear"),

	/** An applying run passed a limit and halted before writing the chunk. */
	TRIPPED("tripped"),

	/** A dry run passed a limit: an applying run would have halted. */
	WOULD_TRIP("would-trip");

	private final String label;

	BrakeState(String label) {
		this.label = label;
	}

	@JsonValue
	public String label() {
		return this.label;
	}

	@JsonCreator(mode = JsonCreator.Mode.DELEGATING)
	public static BrakeState fromLabel(String label) {
		return Arrays.stream(values())
			.filter((state) -> state.label.equals(label))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("Unknown brake state '" + label + "'"));
	}

}
