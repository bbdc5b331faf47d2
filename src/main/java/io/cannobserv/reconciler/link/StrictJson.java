package io.cannobserv.reconciler.link;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an API's answers strictly, whatever the application's JSON settings: a duplicate
 * key, anything after the value or a byte order mark makes a body unreadable, so that it
 * cannot pass for the answer a rule describes.
 */
public final class StrictJson {

	private static final JsonMapper MAPPER = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private StrictJson() {
	}

	/**
	 * The JSON value of {@code body}.
	 * @return the value, or {@code null} when there is none or it does not parse strictly
	 */
	public static @Nullable JsonNode parse(@Nullable String body) {
		if (body == null || body.isBlank()) {
			return null;
		}
		try {
			return MAPPER.readTree(body);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/** {@code value} (maps, lists, strings, numbers, booleans) as a JSON value. */
	static JsonNode valueOf(@Nullable Object value) {
		// through the text, so that a rule's numbers are the node types an answer's
		// parse gives
		return MAPPER.readTree(MAPPER.writeValueAsString(value));
	}

}
