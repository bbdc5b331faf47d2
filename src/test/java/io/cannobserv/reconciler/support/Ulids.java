package io.cannobserv.reconciler.support;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.springframework.util.Assert;

/**
 * Deterministic, valid ULIDs for tests, and the junk that Archiver's {@code VARCHAR(50)}
 * pointer column may hold instead.
 * <p>
 * A ULID here is 26 characters of uppercase Crockford base32 whose first character is
 * {@code 0-7} (a larger one would overflow 128 bits). Ids sort in the order of their
 * counter, like real ULIDs sort in creation order.
 */
public final class Ulids {

	/** Crockford base32: digits and uppercase letters without I, L, O, U. */
	public static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

	/** The shape Watcher accepts in a path ({@code ULID.from_str}). */
	public static final Pattern PATTERN = Pattern.compile("[0-7][0-9A-HJKMNP-TV-Z]{25}");

	/** Prefix of InfoItem ids, as in the contract's examples. */
	public static final String INFO_ITEM_PREFIX = "01HZZ";

	/**
	 * Prefix of WatchedItem ids, as in the contract's example
	 * {@code 01HZZWATCHER00000000000001}.
	 */
	public static final String WATCHED_ITEM_PREFIX = "01HZZWATCHER";

	private static final int LENGTH = 26;

	private Ulids() {
	}

	/**
	 * {@code prefix} followed by {@code n} in Crockford base32, zero-padded to 26
	 * characters.
	 */
	public static String of(String prefix, long n) {
		Assert.isTrue(n >= 0, "n must not be negative");
		Assert.isTrue(prefix.chars().allMatch((c) -> ALPHABET.indexOf(c) >= 0),
				() -> "Prefix '" + prefix + "' is not Crockford base32");
		StringBuilder counter = new StringBuilder();
		long rest = n;
		do {
			counter.insert(0, ALPHABET.charAt((int) (rest % 32)));
			rest /= 32;
		}
		while (rest > 0);
		int padding = LENGTH - prefix.length() - counter.length();
		Assert.isTrue(padding >= 0, () -> "Prefix '" + prefix + "' leaves no room for " + n);
		String ulid = prefix + "0".repeat(padding) + counter;
		Assert.isTrue(isValid(ulid), () -> ulid + " is not a valid ULID");
		return ulid;
	}

	/** The n-th InfoItem id: {@code 01HZZ000...n}. */
	public static String infoItem(long n) {
		return of(INFO_ITEM_PREFIX, n);
	}

	/** The n-th WatchedItem id: {@code 01HZZWATCHER000...n}. */
	public static String watchedItem(long n) {
		return of(WATCHED_ITEM_PREFIX, n);
	}

	public static boolean isValid(String candidate) {
		return PATTERN.matcher(candidate).matches();
	}

	/**
	 * Pointer values that are not ULIDs, each with a label for parameterized test names.
	 * None of them may ever reach a URL path.
	 */
	public static List<InvalidPointer> invalidPointers() {
		String ulid = watchedItem(1);
		return List.of(new InvalidPointer("blank", ""), new InvalidPointer("whitespace", "   "),
				new InvalidPointer("padded", " " + ulid + " "),
				new InvalidPointer("lowercase", ulid.toLowerCase(Locale.ROOT)),
				new InvalidPointer("25 chars", ulid.substring(1)), new InvalidPointer("27 chars", ulid + "0"),
				new InvalidPointer("excluded letter", ulid.substring(0, 25) + "U"),
				new InvalidPointer("path traversal", "../admin"), new InvalidPointer("encoded slash", "%2F.."),
				new InvalidPointer("slash", "a/b"), new InvalidPointer("query", "?archiver_info_item_id=x"),
				new InvalidPointer("non-ASCII", "01HZZ00000000000000000000É"), new InvalidPointer("single quote", "'"),
				new InvalidPointer("double quote", "\""), new InvalidPointer("SQL fragment", "x' OR '1'='1"));
	}

	/**
	 * A value a pointer column may hold that is not a ULID.
	 *
	 * @param label what is wrong with it, for test names
	 * @param value the raw value
	 */
	public record InvalidPointer(String label, String value) {

		@Override
		public String toString() {
			return this.label;
		}

	}

}
