package io.cannobserv.reconciler.cli;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The nearest known words to a mistyped one.
 */
class SuggestionsTests {

	private static final List<String> WORDS = List.of("apply", "fresh", "run", "format", "output", "chunk-size",
			"concurrency", "max-clears", "max-clear-fraction", "read-timeout", "request-timeout");

	@Test
	void distanceWhenNeighboursAreSwappedCountsOneEdit() {
		// when, then
		assertThat(Suggestions.distance("aplpy", "apply")).isEqualTo(1);
		assertThat(Suggestions.distance("aply", "apply")).isEqualTo(1);
		assertThat(Suggestions.distance("appply", "apply")).isEqualTo(1);
		assertThat(Suggestions.distance("aplly", "apply")).isEqualTo(1);
		assertThat(Suggestions.distance("chnuk-siez", "chunk-size")).isEqualTo(2);
		assertThat(Suggestions.distance("", "run")).isEqualTo(3);
		assertThat(Suggestions.distance("run", "run")).isZero();
	}

	@Test
	void nearestWhenOneWordIsClosestNamesOnlyIt() {
		// when, then
		assertThat(Suggestions.nearest("aply", WORDS)).containsExactly("apply");
		assertThat(Suggestions.nearest("Apply", WORDS)).containsExactly("apply");
		assertThat(Suggestions.nearest("max-clear", WORDS)).containsExactly("max-clears");
		assertThat(Suggestions.nearest("concurency", WORDS)).containsExactly("concurrency");
	}

	@Test
	void nearestWhenNothingIsWithinTwoEditsOffersTheWordsItBeginsOrEnds() {
		// when, then
		assertThat(Suggestions.nearest("timeout", WORDS)).containsExactly("read-timeout", "request-timeout");
		assertThat(Suggestions.nearest("chunk", WORDS)).containsExactly("chunk-size");
		assertThat(Suggestions.nearest("zzzzzz", WORDS)).isEmpty();
	}

	@Test
	void nearestWhenTheWordIsShortSuggestsNothingItWouldHaveToRewrite() {
		// when, then: "xy" is two edits from "run"'s neighbours but has only two letters
		assertThat(Suggestions.nearest("xy", WORDS)).isEmpty();
		assertThat(Suggestions.nearest("rn", WORDS)).containsExactly("run");
	}

	@Test
	void didYouMeanWhenSeveralAreNearestListsThemAll() {
		// when, then
		assertThat(Suggestions.didYouMean("timeout", WORDS, "--"))
			.isEqualTo("did you mean --read-timeout or --request-timeout?");
		assertThat(Suggestions.didYouMean("zzzzzz", WORDS, "--")).isEmpty();
	}

}
