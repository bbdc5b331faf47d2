package io.cannobserv.reconciler.link;

/**
 * How the secret goes with each request: as the value of a named header
 * ({@code X-API-Key: <secret>}), or as a bearer token
 * ({@code Authorization: Bearer <secret>}).
 *
 * @param header the header's name
 * @param prefix what comes before the secret in its value
 */
public record Auth(String header, String prefix) {

	/** {@code Authorization: Bearer <secret>}. */
	public static Auth bearer() {
		return new Auth("Authorization", "Bearer ");
	}

	/** {@code <name>: <secret>}. */
	public static Auth header(String name) {
		return new Auth(name, "");
	}

	/** The header's value for {@code secret}. */
	public String value(String secret) {
		return this.prefix + secret;
	}

}
