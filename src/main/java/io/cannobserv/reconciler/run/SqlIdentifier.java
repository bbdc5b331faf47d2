package io.cannobserv.reconciler.run;

import java.util.regex.Pattern;

/**
 * The rule for a name a setting splices into SQL (a schema, a table, a column): only a
 * plain lower-case PostgreSQL identifier passes, so no setting can change a statement.
 */
public final class SqlIdentifier {

	private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

	private SqlIdentifier() {
	}

	/** Whether {@code name} is a plain lower-case PostgreSQL identifier. */
	public static boolean valid(String name) {
		return IDENTIFIER.matcher(name).matches();
	}

	/**
	 * Whether {@code name} is a plain lower-case PostgreSQL identifier; the message names
	 * {@code option}.
	 */
	public static void check(String name, String option) {
		if (!valid(name)) {
			throw new IllegalArgumentException(option + " '" + name
					+ "' is not a plain lower-case PostgreSQL identifier (letters, digits, underscores)");
		}
	}

}
