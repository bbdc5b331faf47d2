package io.cannobserv.reconciler.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * "Did you mean": the known words nearest to a mistyped one, as git and kubectl suggest
 * them. Near is at most two edits of the restricted Damerau-Levenshtein distance (an
 * insertion, a deletion, a substitution or two neighbours swapped), and fewer edits than
 * the word has letters; failing that, the words that the typed one begins or ends
 * ({@code --timeout} suggests every {@code --…-timeout}).
 */
final class Suggestions {

	/** Edits that still make a typo rather than another word. */
	private static final int MAX_EDITS = 2;

	/** Most words a suggestion names. */
	private static final int MAX_SUGGESTIONS = 4;

	/** Fewest letters a part of a word must have to suggest the word. */
	private static final int MIN_PART = 3;

	private Suggestions() {
	}

	/** The candidates nearest to {@code typed}, best first; empty for none. */
	static List<String> nearest(String typed, Collection<String> candidates) {
		String word = typed.toLowerCase(Locale.ROOT);
		int best = Integer.MAX_VALUE;
		List<String> nearest = new ArrayList<>();
		for (String candidate : candidates) {
			int distance = distance(word, candidate.toLowerCase(Locale.ROOT));
			if (distance > MAX_EDITS || distance >= word.length()) {
				continue;
			}
			if (distance < best) {
				best = distance;
				nearest.clear();
			}
			if (distance == best && !nearest.contains(candidate)) {
				nearest.add(candidate);
			}
		}
		if (nearest.isEmpty() && word.length() >= MIN_PART) {
			for (String candidate : candidates) {
				String known = candidate.toLowerCase(Locale.ROOT);
				if ((known.startsWith(word) || known.endsWith("-" + word) || known.endsWith("." + word))
						&& !nearest.contains(candidate)) {
					nearest.add(candidate);
				}
			}
		}
		return nearest.subList(0, Math.min(nearest.size(), MAX_SUGGESTIONS));
	}

	/**
	 * {@code did you mean --apply?}, each candidate written with {@code prefix}; empty
	 * when nothing is near.
	 */
	static String didYouMean(String typed, Collection<String> candidates, String prefix) {
		List<String> nearest = nearest(typed, candidates).stream().map((word) -> prefix + word).toList();
		if (nearest.isEmpty()) {
			return "";
		}
		if (nearest.size() == 1) {
			return "did you mean " + nearest.get(0) + "?";
		}
		return "did you mean " + String.join(", ", nearest.subList(0, nearest.size() - 1)) + " or "
				+ nearest.get(nearest.size() - 1) + "?";
	}

	/**
	 * The optimal string alignment distance: edits to turn {@code a} into {@code b},
	 * where swapping two neighbours is one edit.
	 */
	static int distance(String a, String b) {
		int[][] d = new int[a.length() + 1][b.length() + 1];
		for (int i = 0; i <= a.length(); i++) {
			d[i][0] = i;
		}
		for (int j = 0; j <= b.length(); j++) {
			d[0][j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			for (int j = 1; j <= b.length(); j++) {
				int cost = (a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1;
				d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
				if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
					d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
				}
			}
		}
		return d[a.length()][b.length()];
	}

}
