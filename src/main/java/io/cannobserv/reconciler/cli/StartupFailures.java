package io.cannobserv.reconciler.cli;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;

/**
 * Turns a failure to start into one line for an operator: the setting at fault and why.
 * The stack trace is of no use to whoever runs the job, and would bury the fix.
 */
public final class StartupFailures {

	private StartupFailures() {
	}

	public static String describe(Throwable failure) {
		return describe(failure, null);
	}

	/**
	 * The line for {@code failure}, where {@code database} is the database the settings
	 * name, if they were read.
	 */
	public static String describe(Throwable failure, @Nullable DatabaseSetting database) {
		UsageException usage = Failures.find(failure, UsageException.class).orElse(null);
		if (usage != null) {
			// the settings check's own line
			return usage.getMessage();
		}
		if (database != null) {
			String unreachable = database.describe(failure).orElse(null);
			if (unreachable != null) {
				return unreachable;
			}
		}
		BindException bind = Failures.find(failure, BindException.class).orElse(null);
		Throwable root = Failures.root(failure);
		String reason = Failures.rootMessage(failure);
		if (reason.startsWith("Failed to determine a suitable driver class")) {
			return DatabaseSetting.URL + " is not set: set it to Archiver's database, " + DatabaseSetting.URL_FORM;
		}
		if (root instanceof IllegalArgumentException && !(root instanceof NumberFormatException)) {
			// our own validation messages already name the option and the fix
			return reason;
		}
		if (bind != null && bind.getProperty() != null) {
			return "Invalid value '" + bind.getProperty().getValue() + "' for " + bind.getProperty().getName() + ": "
					+ reason;
		}
		if (bind != null) {
			return "Invalid setting " + bind.getName() + ": " + reason;
		}
		return reason;
	}

}
