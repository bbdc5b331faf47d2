package io.cannobserv.reconciler.run;

import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a run asks Watcher about its pointers ({@code --strategy}).
 */
public enum Strategy {

	/** One lookup by id per pointer. */
	PER_ITEM("per-item"),

	/**
	 * One request for Watcher's whole list of WatchedItems at the start; only the
	 * pointers missing from it are looked up by id.
	 */
	SNAPSHOT("snapshot"),

	/**
	 * The default: {@link #SNAPSHOT} when the run has many pointers to check and the link
	 * has a list, {@link #PER_ITEM} otherwise; chosen by each execution before its first
	 * pass.
	 */
	AUTO("auto");

	private final String label;

	Strategy(String label) {
		this.label = label;
	}

	/** As the option, reports and the run history spell it. */
	@JsonValue
	public String label() {
		return this.label;
	}

	@JsonCreator(mode = JsonCreator.Mode.DELEGATING)
	public static Strategy fromLabel(String label) {
		return Arrays.stream(values())
			.filter((strategy) -> strategy.label.equals(label))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("Unknown strategy '" + label + "'"));
	}

}
