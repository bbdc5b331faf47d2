package io.cannobserv.reconciler.link;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;

/**
 * Where a resource's answer holds what the job reads, as JSON pointers (RFC 6901).
 *
 * @param id the resource's id, which must equal the id asked for: an answer about another
 * resource proves nothing
 * @param archived set (present and not null) when the resource is archived; null when the
 * resource has no such state
 * @param backLink the key of the row the resource links back to; where it names another
 * row, the pointer is mismatched; null when the resource does not link back
 */
public record Fields(JsonPointer id, @Nullable JsonPointer archived, @Nullable JsonPointer backLink) {

	/** The id in {@code resource}, or null when it holds no string there. */
	public @Nullable String idOf(JsonNode resource) {
		JsonNode id = resource.at(this.id);
		return id.isString() ? id.stringValue() : null;
	}

	/** The value that makes {@code resource} archived, or null when it is not. */
	public @Nullable JsonNode archivedOf(JsonNode resource) {
		if (this.archived == null) {
			return null;
		}
		JsonNode archived = resource.at(this.archived);
		return (archived.isMissingNode() || archived.isNull()) ? null : archived;
	}

	/** The key {@code resource} links back to, or null when it names none. */
	public @Nullable String backLinkOf(JsonNode resource) {
		if (this.backLink == null) {
			return null;
		}
		JsonNode backLink = resource.at(this.backLink);
		return backLink.isString() ? backLink.stringValue() : null;
	}

	/**
	 * The fields the link declares, by their key in the link file ({@code id},
	 * {@code archived}, {@code back-link}).
	 */
	public Map<String, JsonPointer> declared() {
		Map<String, JsonPointer> declared = new LinkedHashMap<>();
		declared.put("id", this.id);
		if (this.archived != null) {
			declared.put("archived", this.archived);
		}
		if (this.backLink != null) {
			declared.put("back-link", this.backLink);
		}
		return declared;
	}

	/** The pointer's only property, when it names a key of the top-level object. */
	public static @Nullable String topLevelName(@Nullable JsonPointer pointer) {
		return (pointer != null && pointer.tail() != null && pointer.tail().matches()) ? pointer.getMatchingProperty()
				: null;
	}

}
