package io.cannobserv.reconciler.report;

/**
 * Escaping for the HTML report. Pointers and Watcher's answers are data from outside (a
 * pointer may be {@code <script>}, an nginx 404 is an HTML page): every value goes
 * through {@link #text(String)}, in element content and in attributes alike.
 */
final class Html {

	private Html() {
	}

	/** {@code value} as text, safe in element content and in quoted attribute values. */
	static String text(String value) {
		StringBuilder escaped = new StringBuilder(value.length() + 16);
		value.codePoints().forEach((c) -> {
			switch (c) {
				case '&' -> escaped.append("&amp;");
				case '<' -> escaped.append("&lt;");
				case '>' -> escaped.append("&gt;");
				case '"' -> escaped.append("&quot;");
				case '\'' -> escaped.append("&#39;");
				default -> {
					if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
						// control characters are invalid in HTML: show them, as
						// PointerText does
						escaped.append(String.format("\\u%04x", c));
					}
					else {
						escaped.appendCodePoint(c);
					}
				}
			}
		});
		return escaped.toString();
	}

}
