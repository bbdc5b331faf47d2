package io.cannobserv.reconciler.link;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * The REST resource a link's pointers name, and how to ask about one.
 *
 * @param name what the resource's API is called in messages, as {@code Watcher}
 * @param item the path of one resource under the base URL, with {@code {id}} where the
 * pointer goes, as {@code /api/v1/watched-items/{id}}
 * @param id the pointer's form; a pointer of another form is malformed, never sent
 * @param probe an id of that form that no resource can have, whose answer must be exactly
 * a gone answer before a run writes
 * @param auth how the secret goes with each request
 * @param health the path of a health check asked without the secret before a run, or null
 * for none
 * @param fields where a resource's answer holds its id, whether it is archived, and its
 * back-link
 * @param list the path of the whole list of resources, for the snapshot strategy, or null
 * when the API has none
 * @param backLinkSearch the search for the resources that link back to a row, for
 * re-link, or null when the API has none
 */
public record Resource(String name, String item, IdFormat id, String probe, Auth auth, @Nullable String health,
		Fields fields, @Nullable String list, @Nullable BackLinkSearch backLinkSearch) {

	/** The placeholder of the pointer in {@link #item}. */
	static final String ID = "{id}";

	/**
	 * The URI of the resource {@code id} names.
	 * @param baseUrl the API's root URL, without a trailing slash
	 * @param id a pointer of the link's form (it is percent-encoded whatever it holds, so
	 * that it cannot leave its path segment)
	 */
	public URI itemUri(URI baseUrl, String id) {
		return URI.create(baseUrl + this.item.replace(ID, encoded(id)));
	}

	/** The path of the probe: the item path for an id that cannot exist. */
	public String probePath() {
		return this.item.replace(ID, encoded(this.probe));
	}

	/**
	 * {@code value} with every octet but RFC 3986's unreserved characters
	 * percent-encoded: safe in a path segment and in a query's value alike.
	 */
	static String encoded(String value) {
		StringBuilder encoded = new StringBuilder(value.length());
		for (byte octet : value.getBytes(StandardCharsets.UTF_8)) {
			char c = (char) (octet & 0xFF);
			if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
					|| c == '_' || c == '~') {
				encoded.append(c);
			}
			else {
				encoded.append('%')
					.append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xF, 16)))
					.append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
			}
		}
		return encoded.toString();
	}

}
