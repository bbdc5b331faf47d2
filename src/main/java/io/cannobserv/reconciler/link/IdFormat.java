package io.cannobserv.reconciler.link;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an id of the link looks like: a pointer, or a key sent to a search. Only an id of
 * this form is ever sent to the resource's API; any other is malformed and never leaves
 * the job.
 *
 * @param pattern the whole id must match it
 * @param called what such an id is called in messages, as {@code a ULID}
 */
public record IdFormat(Pattern pattern, String called) {

	/** Whether {@code value} is a whole id of this form. */
	public boolean matches(String value) {
		return this.pattern.matcher(value).matches();
	}

	// Pattern has no equality of its own: two formats are equal when their expressions
	// are

	@Override
	public boolean equals(Object other) {
		return other instanceof IdFormat format && format.pattern.pattern().equals(this.pattern.pattern())
				&& format.called.equals(this.called);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.pattern.pattern(), this.called);
	}

}
