package io.cannobserv.reconciler.link;

import java.util.Locale;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One answer of the resource's API that proves a resource gone: its status, its media
 * type, and a condition on its body, which must parse strictly (duplicate keys, trailing
 * data and a byte order mark make a body no answer). A rule always has a body condition:
 * a status alone is what a proxy or a wrong base URL answers too.
 *
 * @param status the HTTP status, as 404
 * @param mediaType the media type, lower case and without parameters, as
 * {@code application/json}; an answer's parameters and case do not matter
 * @param body what the body must be
 */
public record GoneRule(int status, String mediaType, BodyCondition body) {

	public GoneRule {
		String problem = statusProblem(status);
		if (problem == null) {
			problem = mediaTypeProblem(mediaType);
		}
		if (problem != null) {
			throw new IllegalArgumentException(problem);
		}
		mediaType = essence(mediaType);
	}

	/**
	 * A gone rule, or a one-line error that names the key at fault.
	 * @param key the rule's key, as {@code link.gone[0]}
	 * @param status the HTTP status
	 * @param mediaType the media type
	 * @param body the body condition
	 * @return the rule
	 * @throws LinkDefinitionException when a part is missing or cannot describe a gone
	 * answer
	 */
	public static GoneRule of(String key, @Nullable Integer status, @Nullable String mediaType,
			@Nullable BodyCondition body) {
		if (status == null) {
			throw new LinkDefinitionException(key + ".status", "missing: the HTTP status of the gone answer, as 404");
		}
		String problem = statusProblem(status);
		if (problem != null) {
			throw new LinkDefinitionException(key + ".status", problem);
		}
		if (mediaType == null) {
			throw new LinkDefinitionException(key + ".media-type",
					"missing: the media type of the gone answer, as application/json");
		}
		problem = mediaTypeProblem(mediaType);
		if (problem != null) {
			throw new LinkDefinitionException(key + ".media-type", problem);
		}
		if (body == null) {
			throw new LinkDefinitionException(key + ".body",
					"a gone rule needs a body condition (an exact body or JSON-pointer conditions): without one, any "
							+ status + " of a proxy would clear");
		}
		return new GoneRule(status, mediaType, body);
	}

	/**
	 * Whether an answer is this gone answer.
	 * @param status the answer's HTTP status
	 * @param contentType its {@code Content-Type}, if any
	 * @param body its body, if any
	 * @return whether status and media type are the rule's and the body parses strictly
	 * and meets the rule's condition
	 */
	public boolean matches(int status, @Nullable String contentType, @Nullable String body) {
		if (status != this.status || contentType == null || !essence(contentType).equals(this.mediaType)) {
			return false;
		}
		JsonNode parsed = StrictJson.parse(body);
		return parsed != null && this.body.matches(parsed);
	}

	/** A media type without its parameters, in lower case. */
	private static String essence(String mediaType) {
		int parameters = mediaType.indexOf(';');
		String essence = (parameters >= 0) ? mediaType.substring(0, parameters) : mediaType;
		return essence.strip().toLowerCase(Locale.ROOT);
	}

	private static @Nullable String statusProblem(int status) {
		if (status == 401 || status == 403) {
			return status + " cannot be a gone answer: it is the key's rejection, which stops the run";
		}
		if (status == 429 || status >= 500) {
			return status + " cannot be a gone answer: it is an answer to retry";
		}
		if (status < 200 || (status >= 300 && status < 400)) {
			return status + " cannot be a gone answer: give a 2xx or 4xx status, as 404";
		}
		return null;
	}

	private static @Nullable String mediaTypeProblem(String mediaType) {
		if (mediaType.contains(";")) {
			return "'" + mediaType
					+ "' has parameters: give the media type alone (an answer's parameters do not matter)";
		}
		String essence = essence(mediaType);
		if (!essence.equals("application/json") && !(essence.startsWith("application/") && essence.endsWith("+json"))) {
			return "'" + mediaType + "' is not JSON: give application/json (or application/…+json), since the body "
					+ "condition reads JSON";
		}
		return null;
	}

}
