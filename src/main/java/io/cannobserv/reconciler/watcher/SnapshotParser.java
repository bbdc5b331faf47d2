package io.cannobserv.reconciler.watcher;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonPointer;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.databind.json.JsonMapper;

import io.cannobserv.reconciler.link.Fields;
import io.cannobserv.reconciler.link.IdFormat;
import io.cannobserv.reconciler.link.Resource;

/**
 * Reads Watcher's list of WatchedItems token by token as it arrives, never as a whole: of
 * each item only its id, its back-link and whether it is archived are kept, and they go
 * to the sink a batch at a time, so that memory holds one batch whatever the list's size.
 * Unknown fields, however large, are skipped.
 * <p>
 * The body's reads fail once the snapshot's deadline has passed
 * ({@link WatcherHttp.Streamed}), whatever the bytes do; the parser checks it after every
 * item as well, for a list whose items come fast but too many.
 */
final class SnapshotParser {

	/** Strict: an item with a field twice cannot be trusted to say one thing. */
	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	private final IdFormat idFormat;

	private final String id;

	private final @Nullable String backLink;

	private final @Nullable String archived;

	/**
	 * A parser of the resource's list.
	 * @param resource its fields, each a key of the top-level object of an item (as the
	 * link file checks where a list is declared)
	 */
	SnapshotParser(Resource resource) {
		this.idFormat = resource.id();
		this.id = topLevel(resource.fields().id());
		this.backLink = (resource.fields().backLink() != null) ? topLevel(resource.fields().backLink()) : null;
		this.archived = (resource.fields().archived() != null) ? topLevel(resource.fields().archived()) : null;
	}

	private static String topLevel(JsonPointer pointer) {
		String name = Fields.topLevelName(pointer);
		if (name == null) {
			throw new IllegalArgumentException(pointer + " is not a key of the top-level object");
		}
		return name;
	}

	/**
	 * Reads the list to its end.
	 * @param body the answer's body
	 * @param maxItems most items allowed
	 * @param deadline {@link System#nanoTime()} past which the snapshot is given up
	 * @param timeout the timeout, as the refusal names it
	 * @param sink where the items go
	 * @return how many items the list held
	 * @throws SnapshotRefused past a limit, or on an answer that is not a list of
	 * WatchedItems
	 * @throws NotAList when the body is not JSON or ends too soon: worth asking again
	 * @throws IOException when reading the body fails
	 */
	long parse(InputStream body, long maxItems, long deadline, String timeout, SnapshotSink sink) throws IOException {
		long items = 0;
		try (JsonParser parser = JSON.createParser(body)) {
			if (parser.nextToken() != JsonToken.START_ARRAY) {
				throw new SnapshotRefused("the list's answer is not a JSON array");
			}
			List<SnapshotItem> batch = new ArrayList<>(SnapshotSink.BATCH);
			for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
				if (token == null) {
					throw new NotAList("the list ends before its closing bracket");
				}
				if (token != JsonToken.START_OBJECT) {
					throw new SnapshotRefused("the list holds an entry that is not a WatchedItem (" + token + ")");
				}
				SnapshotItem item = item(parser);
				if (++items > maxItems) {
					throw new SnapshotRefused("more than " + maxItems + " WatchedItems (--snapshot-max-items)");
				}
				batch.add(item);
				if (batch.size() == SnapshotSink.BATCH) {
					sink.accept(batch);
					batch = new ArrayList<>(SnapshotSink.BATCH);
				}
				if (System.nanoTime() - deadline > 0) {
					throw notTakenInTime(timeout, items);
				}
			}
			if (parser.nextToken() != null) {
				throw new NotAList("data after the end of the list");
			}
			if (!batch.isEmpty()) {
				sink.accept(batch);
			}
			return items;
		}
		catch (JacksonIOException ex) {
			// a read past the deadline fails, however the bytes came: a trickle, white
			// space without end, nothing at all
			if (System.nanoTime() - deadline > 0) {
				throw notTakenInTime(timeout, items);
			}
			throw ex.getCause();
		}
		catch (SnapshotRefused | NotAList ex) {
			throw ex;
		}
		catch (JacksonException ex) {
			throw new NotAList("not a complete JSON list: " + ex.getOriginalMessage());
		}
	}

	private static SnapshotRefused notTakenInTime(String timeout, long items) {
		return new SnapshotRefused(
				"not taken within " + timeout + " (--snapshot-timeout), after " + items + " WatchedItems");
	}

	/** The item whose object the parser has just entered, read to its end. */
	private SnapshotItem item(JsonParser parser) {
		@Nullable String id = null;
		@Nullable String backLink = null;
		boolean archived = false;
		for (JsonToken token = parser.nextToken(); token == JsonToken.PROPERTY_NAME; token = parser.nextToken()) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			if (name.equals(this.id)) {
				id = (value == JsonToken.VALUE_STRING) ? parser.getString() : null;
				parser.skipChildren();
			}
			else if (name.equals(this.backLink)) {
				if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
					throw new SnapshotRefused("a WatchedItem whose " + name + " is not a string");
				}
				backLink = (value == JsonToken.VALUE_STRING) ? parser.getString() : null;
			}
			else if (name.equals(this.archived)) {
				// as a lookup by id reads it: anything but null is archived
				archived = value != JsonToken.VALUE_NULL;
				parser.skipChildren();
			}
			else {
				parser.skipChildren();
			}
		}
		if (id == null || !this.idFormat.matches(id)) {
			throw new SnapshotRefused("the list holds a WatchedItem without a valid id");
		}
		return new SnapshotItem(id, backLink, archived);
	}

	/** The body is not a whole JSON document: cut short, or not JSON at all. */
	static final class NotAList extends RuntimeException {

		NotAList(String message) {
			super(message, null, false, false);
		}

	}

}
