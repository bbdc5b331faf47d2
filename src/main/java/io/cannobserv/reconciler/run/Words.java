package io.cannobserv.reconciler.run;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a link's things are called in reports and messages, so that a run of any link
 * speaks of its own table and API: {@code Watcher} and {@code WatchedItem} for the
 * built-in link, {@code the customers API} and {@code customer} for billing's. The
 * outcomes' texts are templates over these words ({@link #render}).
 *
 * @param table the table's identity, as a run's identity names it: the words are of this
 * table's runs ({@link #forTable})
 * @param api what the API is called, as {@code Watcher}
 * @param item what one of its resources is called, as {@code WatchedItem}
 * @param row what one row of the table is called, as {@code InfoItem}
 * @param source what owns the table, as {@code Archiver}
 * @param idCalled what a well-formed pointer is called, as {@code a ULID}
 * @param goneAnswer what proves a resource deleted, after "with", as
 * {@code its typed 404}
 * @param goneNotFound the 404 that proves it, after "a 404 without", as {@code Watcher's
 * body {"detail":"WatchedItem not found"}}
 */
public record Words(String table, String api, String item, String row, String source, String idCalled,
		String goneAnswer, String goneNotFound) {

	/**
	 * The built-in link's words: every text the job printed before links had words of
	 * their own.
	 */
	public static final Words WATCHER = new Words("information.info_items(info_item_id,watcher_item_id)", "Watcher",
			"WatchedItem", "InfoItem", "Archiver", "a ULID", "its typed 404",
			"Watcher's body {\"detail\":\"WatchedItem not found\"}");

	/**
	 * Words that fit any link's run: for the report of a run of another table than the
	 * link the process was given names.
	 */
	public static Words generic(String table) {
		int columns = table.indexOf('(');
		return new Words(table, "the API", "resource", "row", (columns > 0) ? table.substring(0, columns) : table,
				"an id of the link's form", "one of its gone answers", "a gone answer's body");
	}

	/**
	 * These words for the runs of {@code table}, the generic ones for another table's.
	 */
	public Words forTable(String table) {
		return this.table.equals(table) ? this : generic(table);
	}

	/**
	 * {@code template} in these words: {@code {api}}, {@code {item}}, {@code {row}},
	 * {@code {source}}, {@code {id}}, {@code {gone}} and {@code {gone-404}} replaced, a
	 * word that starts a sentence capitalised ({@code The customers API gave …}).
	 */
	public String render(String template) {
		Map<String, String> words = new LinkedHashMap<>();
		words.put("{api}", this.api);
		words.put("{item}", this.item);
		words.put("{row}", this.row);
		words.put("{source}", this.source);
		words.put("{id}", this.idCalled);
		words.put("{gone}", this.goneAnswer);
		words.put("{gone-404}", this.goneNotFound);
		String text = template;
		for (Map.Entry<String, String> word : words.entrySet()) {
			String key = word.getKey();
			String capitalised = capitalised(word.getValue());
			if (text.startsWith(key)) {
				text = capitalised + text.substring(key.length());
			}
			text = text.replace(". " + key, ". " + capitalised)
				.replace("? " + key, "? " + capitalised)
				.replace(key, word.getValue());
		}
		return text;
	}

	private static String capitalised(String word) {
		return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
	}

}
