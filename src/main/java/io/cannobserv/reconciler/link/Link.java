package io.cannobserv.reconciler.link;

import org.jspecify.annotations.Nullable;

/**
 * A link: a soft pointer from a table to a REST resource, and the answers of the
 * resource's API that prove it gone.
 *
 * @param name the link's name, as {@code archiver-watcher}
 * @param resource what the pointers name, and how to ask about one
 * @param gone the answers that prove a resource gone, and so clear its pointer
 * @param source where the pointers are; null in a file that says only how to ask the API,
 * which no run can use
 */
public record Link(String name, Resource resource, GoneRules gone, @Nullable Source source) {

	/** A link that says only how to ask the API. */
	public Link(String name, Resource resource, GoneRules gone) {
		this(name, resource, gone, null);
	}

}
