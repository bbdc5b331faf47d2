package io.cannobserv.reconciler.link;

import org.jspecify.annotations.Nullable;

import io.cannobserv.reconciler.run.Words;

/**
 * A link: a soft pointer from a table to a REST resource, and the answers of the
 * resource's API that prove it gone.
 *
 * @param name the link's name, as {@code archiver-watcher}
 * @param resource what the pointers name, and how to ask about one
 * @param gone the answers that prove a resource gone, and so clear its pointer
 * @param source where the pointers are; null in a file that says only how to ask the API,
 * which no run can use
 * @param called what its things are called in reports and messages
 */
public record Link(String name, Resource resource, GoneRules gone, @Nullable Source source, Called called) {

	/** A link that says only how to ask the API. */
	public Link(String name, Resource resource, GoneRules gone) {
		this(name, resource, gone, null, Called.NOTHING);
	}

	/** A link that calls nothing by name. */
	public Link(String name, Resource resource, GoneRules gone, @Nullable Source source) {
		this(name, resource, gone, source, Called.NOTHING);
	}

	/**
	 * What this link's runs on a table call its things.
	 * @param table the table's identity, as {@code billing.accounts(account_id,…)}
	 * @param qualifiedTable its schema-qualified name, as {@code billing.accounts}
	 */
	public Words words(String table, String qualifiedTable) {
		return Called.words(this, table, qualifiedTable);
	}

}
