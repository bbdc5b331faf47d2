package io.cannobserv.reconciler.restore;

/**
 * What restore did with a cleared pointer, as {@code pointer_restore.outcome} records it.
 */
enum RestoreOutcome {

	/** Put back: the clear was still the last thing that happened to the row. */
	RESTORED("restored"),

	/** Not put back: the InfoItem was re-linked or deleted since the clear. */
	LEFT_ALONE("left alone"),

	/**
	 * Not put back: the row was cleared again by a later run, or changed in Archiver,
	 * since the clear.
	 */
	SUPERSEDED("superseded");

	private final String label;

	RestoreOutcome(String label) {
		this.label = label;
	}

	/** As restore prints it. */
	String label() {
		return this.label;
	}

}
