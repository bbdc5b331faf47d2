package io.cannobserv.reconciler.run;

/**
 * Evidence: what Watcher, or whatever answered in its place, said about a pointer, as
 * text that is safe wherever it goes. It is stored (the audit's {@code evidence} columns
 * are {@code VARCHAR(500)}, and PostgreSQL text cannot hold a NUL), logged, and printed
 * on consoles and in every report format, whatever bytes came over the wire: a binary
 * error page, UTF-16, a compressed body served raw, terminal escapes.
 * <p>
 * Safe means one line of at most {@link #MAX_LENGTH} characters: runs of white space and
 * line breaks become one space, and every other control or format character, line or
 * paragraph separator and lone surrogate is written as an escape: a backslash, {@code u}
 * and four hexadecimal digits, as in Java and JSON. Everything else, non-ASCII letters
 * and U+FFFD (where the bytes were not UTF-8) included, is kept as it is.
 */
public final class Evidence {

	/** The length of the audit's {@code evidence} columns. */
	public static final int MAX_LENGTH = 500;

	/** Ends text that was cut. */
	private static final String CUT = "…";

	private Evidence() {
	}

	/** {@code text} as safe evidence of at most {@link #MAX_LENGTH} characters. */
	public static String of(String text) {
		return of(text, MAX_LENGTH);
	}

	/**
	 * {@code text} as safe evidence of at most {@code maxLength} characters. Text that
	 * does not fit is cut before the escape or character that would not fit, and ends
	 * with an ellipsis. Applying it again changes nothing.
	 * @param text any text, such as a body decoded from whatever bytes came
	 * @param maxLength the longest result, at least 2
	 * @return safe text
	 */
	public static String of(String text, int maxLength) {
		StringBuilder safe = new StringBuilder(Math.min(text.length(), maxLength + 1));
		// the end of the last whole character or escape that leaves room for the ellipsis
		int fits = 0;
		boolean space = false;
		for (int i = 0; i < text.length() && safe.length() <= maxLength;) {
			int codePoint = text.codePointAt(i);
			int chars = Character.charCount(codePoint);
			if (isLineSpace(codePoint)) {
				space = !safe.isEmpty();
			}
			else {
				if (space) {
					safe.append(' ');
					space = false;
				}
				if (isUnsafe(codePoint)) {
					for (int unit = i; unit < i + chars; unit++) {
						safe.append(String.format("\\u%04x", (int) text.charAt(unit)));
					}
				}
				else {
					safe.appendCodePoint(codePoint);
				}
				if (safe.length() <= maxLength - CUT.length()) {
					fits = safe.length();
				}
			}
			i += chars;
		}
		if (safe.length() <= maxLength) {
			return safe.toString();
		}
		return safe.substring(0, fits).stripTrailing() + CUT;
	}

	/** White space that only lays text out: spaces, tabs, line breaks. */
	private static boolean isLineSpace(int codePoint) {
		return codePoint == ' ' || codePoint == '\t' || codePoint == '\n' || codePoint == '\r' || codePoint == '\f'
				|| codePoint == 0x0B || Character.getType(codePoint) == Character.LINE_SEPARATOR
				|| Character.getType(codePoint) == Character.PARAGRAPH_SEPARATOR;
	}

	/**
	 * What a terminal, a log shipper or PostgreSQL would take for more than a character,
	 * or cannot hold: controls (NUL, escape, DEL, C1), format characters (direction
	 * overrides, zero-width characters, byte order marks) and lone surrogates.
	 */
	private static boolean isUnsafe(int codePoint) {
		int type = Character.getType(codePoint);
		return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE;
	}

}
