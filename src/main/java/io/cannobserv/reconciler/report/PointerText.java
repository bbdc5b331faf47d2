package io.cannobserv.reconciler.report;

/**
 * Shows a pointer safely in a log line or on a console: junk pointers (blank, control
 * characters, quotes) would otherwise be invisible or break the line.
 */
public final class PointerText {

	private PointerText() {
	}

	/** The pointer as it is when plain, else in quotes with escapes. */
	public static String quoted(String pointer) {
		if (!pointer.isEmpty() && pointer.chars().allMatch((c) -> c > ' ' && c < 127 && c != '"' && c != '\\')) {
			return pointer;
		}
		StringBuilder quoted = new StringBuilder("\"");
		pointer.chars().forEach((c) -> {
			if (c == '"' || c == '\\') {
				quoted.append('\\').append((char) c);
			}
			else if (c < ' ' || c == 127) {
				quoted.append(String.format("\\u%04x", c));
			}
			else {
				quoted.append((char) c);
			}
		});
		return quoted.append('"').toString();
	}

}
