package io.cannobserv.reconciler.watcher;

import java.util.regex.Pattern;

/**
 * The shape of Watcher's ids: only a value of this shape is ever sent in a path or a
 * query.
 */
public final class WatchedItemIds {

	/** 26 characters of Crockford base32, upper case; the first at most 7 (128 bits). */
	private static final Pattern ULID = Pattern.compile("[0-7][0-9A-HJKMNP-TV-Z]{25}");

	private WatchedItemIds() {
	}

	/** Whether {@code value} is a ULID as Watcher writes them. */
	public static boolean isUlid(String value) {
		return ULID.matcher(value).matches();
	}

}
