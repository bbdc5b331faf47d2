package io.cannobserv.reconciler.run;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Tests for {@link Evidence}: one safe line, escapes for what is not text, bounded
 * without breaking an escape or a character.
 */
class EvidenceTests {

	static Stream<Arguments> texts() {
		return Stream.of(
				arguments("plain", "HTTP 404 {\"detail\":\"Not Found\"}", "HTTP 404 {\"detail\":\"Not Found\"}"),
				arguments("line breaks and tabs", "\r\n<html>\r\n\t<body>  x </body>\n", "<html> <body> x </body>"),
				arguments("line and paragraph separators", "a\u2028b\u2029c", "a b c"),
				arguments("NUL", "a\u0000b", "a\\u0000b"),
				arguments("terminal escapes", "\u001b[31mred\u001b[0m\u0007", "\\u001b[31mred\\u001b[0m\\u0007"),
				arguments("DEL and C1 controls", "\u007f\u0085\u009b", "\\u007f\\u0085\\u009b"),
				arguments("direction overrides and invisible characters", "\u202Eabc\u202C\u200B\uFEFF",
						"\\u202eabc\\u202c\\u200b\\ufeff"),
				arguments("vertical tab and form feed", "a\u000Bb\fc", "a b c"),
				arguments("separators that are controls", "a\u001Cb\u001Fc", "a\\u001cb\\u001fc"),
				arguments("lone surrogates", "a\uD800b\uDC00c", "a\\ud800b\\udc00c"),
				arguments("letters, symbols and the replacement character", "Grüße ✓ 😀 \uFFFD", "Grüße ✓ 😀 \uFFFD"),
				arguments("a supplementary format character", "tag\uDB40\uDC01", "tag\\udb40\\udc01"),
				arguments("backslashes stay as they are", "C:\\path \\u0000", "C:\\path \\u0000"),
				arguments("only white space", " \n\t ", ""));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("texts")
	void ofWhenTextHoldsAnythingGivesOneSafeLine(String label, String text, String expected) {
		assertThat(Evidence.of(text)).isEqualTo(expected);
		assertThat(Evidence.of(Evidence.of(text))).as("applied twice").isEqualTo(expected);
	}

	@Test
	void ofWhenTextFitsKeepsItWhole() {
		String text = "x".repeat(Evidence.MAX_LENGTH);
		assertThat(Evidence.of(text)).isEqualTo(text);
	}

	@Test
	void ofWhenTextIsTooLongCutsItWithAnEllipsis() {
		String evidence = Evidence.of("x".repeat(10_000));
		assertThat(evidence).hasSize(Evidence.MAX_LENGTH).endsWith("x…");
		assertThat(Evidence.of(evidence)).isEqualTo(evidence);
	}

	@Test
	void ofWhenAnEscapeWouldNotFitCutsBeforeIt() {
		String evidence = Evidence.of("x".repeat(Evidence.MAX_LENGTH - 3) + "\u0000 and more");
		assertThat(evidence).isEqualTo("x".repeat(Evidence.MAX_LENGTH - 3) + "…");
	}

	@Test
	void ofWhenACharacterOutsideTheBasicPlaneWouldNotFitCutsBeforeIt() {
		String evidence = Evidence.of("x".repeat(Evidence.MAX_LENGTH - 2) + "😀 and more");
		assertThat(evidence).isEqualTo("x".repeat(Evidence.MAX_LENGTH - 2) + "…");
	}

	@Test
	void ofWhenCutAtASpaceDropsIt() {
		String evidence = Evidence.of("x".repeat(Evidence.MAX_LENGTH - 2) + " " + "y".repeat(10), Evidence.MAX_LENGTH);
		assertThat(evidence).isEqualTo("x".repeat(Evidence.MAX_LENGTH - 2) + "…");
	}

	@Test
	void ofWhenGivenAShorterLimitKeepsToIt() {
		assertThat(Evidence.of("0123456789", 5)).isEqualTo("0123…");
		assertThat(Evidence.of("01234", 5)).isEqualTo("01234");
	}

	@Test
	void ofWhenAMegabyteOfBinaryStopsEarly() {
		// given: a proxy's binary page, every byte value, decoded as UTF-8
		char[] page = new char[1 << 20];
		for (int i = 0; i < page.length; i++) {
			page[i] = (char) (i % 65536);
		}
		// when
		String evidence = Evidence.of(new String(page));
		// then
		assertThat(evidence.length()).isLessThanOrEqualTo(Evidence.MAX_LENGTH);
		assertThat(evidence).startsWith("\\u0000\\u0001").endsWith("…");
	}

}
