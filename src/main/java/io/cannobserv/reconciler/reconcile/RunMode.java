package io.cannobserv.reconciler.reconcile;

/**
 * Whether a run writes. Dry run is the default: it classifies everything and writes nothing
 * to Archiver's tables.
 */
public enum RunMode {

	DRY_RUN("dry-run"), APPLY("apply");

	private final String label;

	RunMode(String label) {
		this.label = label;
	}

	public String label() {
		return this.label;
	}

	public static RunMode fromLabel(String label) {
		for (RunMode mode : values()) {
			if (mode.label.equals(label)) {
				return mode;
			}
		}
		throw new IllegalArgumentException("Unknown run mode '" + label + "'");
	}

}
