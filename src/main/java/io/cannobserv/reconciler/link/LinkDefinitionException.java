package io.cannobserv.reconciler.link;

/**
 * A link definition that cannot be used, said in one line that names the key and the fix.
 */
public class LinkDefinitionException extends RuntimeException {

	private final String key;

	public LinkDefinitionException(String key, String problem) {
		super(key + ": " + problem, null, false, false);
		this.key = key;
	}

	/** The key at fault, as {@code link.gone[0].body}. */
	public String key() {
		return this.key;
	}

}
