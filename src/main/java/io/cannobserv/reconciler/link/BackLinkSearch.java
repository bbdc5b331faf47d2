package io.cannobserv.reconciler.link;

import java.net.URI;

/**
 * The API's search for the resources that link back to a row, by which a gone pointer is
 * re-linked.
 *
 * @param query the path and query under the base URL, with {@code {key}} where the row's
 * key goes, as {@code /api/v1/watched-items?archiver_info_item_id={key}}; it must answer
 * a JSON list of resources, archived ones included
 * @param key the form of a key that may be sent; a row whose key has another form is not
 * searched for
 */
public record BackLinkSearch(String query, IdFormat key) {

	/** The placeholder of the row's key in {@link #query}. */
	static final String KEY = "{key}";

	/**
	 * The URI of the search for the resources that link back to {@code key}.
	 * @param baseUrl the API's root URL, without a trailing slash
	 * @param key a key of the search's form (it is percent-encoded whatever it holds)
	 */
	public URI uri(URI baseUrl, String key) {
		return URI.create(baseUrl + this.query.replace(KEY, Resource.encoded(key)));
	}

}
