package io.cannobserv.reconciler.link;

import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import io.cannobserv.reconciler.run.Words;

/**
 * What a link's things are called in its reports and messages ({@code called:} in a link
 * file); each is optional, and a plain word stands in for a missing one.
 *
 * @param source what owns the table, as {@code Archiver}; the table's name when null
 * @param row what one row of the table is called, as {@code InfoItem}; {@code row} when
 * null
 * @param item what one resource is called, as {@code WatchedItem}; {@code resource} when
 * null
 */
public record Called(@Nullable String source, @Nullable String row, @Nullable String item) {

	/** A link file that calls nothing by name. */
	public static final Called NOTHING = new Called(null, null, null);

	/**
	 * The words of {@code link}'s runs on {@code table}.
	 * @param link the link
	 * @param table the table's identity, as {@code billing.accounts(account_id,…)}
	 * @param qualifiedTable the table's schema-qualified name, as
	 * {@code billing.accounts}
	 */
	static Words words(Link link, String table, String qualifiedTable) {
		Called called = link.called();
		String api = link.resource().name();
		return new Words(table, api, (called.item != null) ? called.item : "resource",
				(called.row != null) ? called.row : "row", (called.source != null) ? called.source : qualifiedTable,
				link.resource().id().called(), goneAnswer(link.gone()), goneNotFound(api, link.gone()));
	}

	/** What proves a deletion: "its typed 404" when that is the one gone answer. */
	private static String goneAnswer(GoneRules gone) {
		return (gone.rules().size() == 1 && gone.rules().get(0).status() == 404) ? "its typed 404"
				: "one of its gone answers";
	}

	/** The 404s that prove a deletion, as "Watcher's body {…}", or'ed. */
	private static String goneNotFound(String api, GoneRules gone) {
		String bodies = gone.rules()
			.stream()
			.filter((rule) -> rule.status() == 404)
			.map((rule) -> api + "'s body " + rule.body().described())
			.collect(Collectors.joining(" or "));
		return bodies.isEmpty() ? "a gone answer of the link (none is a 404)" : bodies;
	}

}
