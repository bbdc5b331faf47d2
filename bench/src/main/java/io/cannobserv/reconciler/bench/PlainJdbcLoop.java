package io.cannobserv.reconciler.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The floor the job's start-up is compared with: the same small run's work with nothing
 * but a JDBC connection and the JDK's {@code HttpURLConnection} (the job uses Apache HttpClient 5). It
 * reads every pointer in one keyset page, asks Watcher for each, and clears a gone one
 * (a typed 404) with a compare-and-set on the pointer, then exits. No preflight, schema,
 * batch metadata, audit, report or metrics: what the job adds on top of this is what its
 * start-up costs.
 * <p>
 * Run as a process of its own by the start-up benchmark, with the job's JVM options:
 * {@code java -cp bench-classes:postgresql.jar PlainJdbcLoop BASE_URL API_KEY [POINTERS]}
 * (the first POINTERS only, for a rate; all by default), the
 * database from {@code SPRING_DATASOURCE_URL}, {@code _USERNAME} and {@code _PASSWORD},
 * as the job reads it.
 */
public final class PlainJdbcLoop {

	private static final String PAGE = "SELECT info_item_id, watcher_item_id FROM information.info_items"
			+ " WHERE watcher_item_id IS NOT NULL AND info_item_id > ? ORDER BY info_item_id LIMIT 250";

	private static final String CLEAR = "UPDATE information.info_items SET watcher_item_id = NULL, updated_at = now()"
			+ " WHERE info_item_id = ? AND watcher_item_id = ?";

	private static final String TYPED_404 = "\"detail\":\"WatchedItem not found\"";

	private PlainJdbcLoop() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 2 && args.length != 3) {
			System.err.println("Usage: PlainJdbcLoop WATCHER_BASE_URL API_KEY [POINTERS]");
			System.exit(2);
		}
		String baseUrl = args[0];
		String apiKey = args[1];
		int most = (args.length == 3) ? Integer.parseInt(args[2]) : Integer.MAX_VALUE;
		int read = 0;
		int cleared = 0;
		try (Connection connection = DriverManager.getConnection(System.getenv("SPRING_DATASOURCE_URL"),
				System.getenv("SPRING_DATASOURCE_USERNAME"), System.getenv("SPRING_DATASOURCE_PASSWORD"))) {
			String after = "";
			List<String[]> page;
			do {
				page = page(connection, after);
				for (String[] pointer : page) {
					if (read == most) {
						break;
					}
					read++;
					if (gone(baseUrl, apiKey, pointer[1]) && clear(connection, pointer[0], pointer[1])) {
						cleared++;
					}
					after = pointer[0];
				}
			}
			while (!page.isEmpty() && read < most);
		}
		System.out.println("read " + read + ", cleared " + cleared);
	}

	private static List<String[]> page(Connection connection, String after) throws SQLException {
		List<String[]> page = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(PAGE)) {
			statement.setString(1, after);
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					page.add(new String[] { rs.getString(1), rs.getString(2) });
				}
			}
		}
		return page;
	}

	/** Only Watcher's typed 404 says gone; anything else keeps the pointer. */
	private static boolean gone(String baseUrl, String apiKey, String watcherItemId) throws IOException {
		HttpURLConnection http = (HttpURLConnection) URI.create(baseUrl + "/api/v1/watched-items/" + watcherItemId)
			.toURL()
			.openConnection();
		http.setRequestProperty("X-API-Key", apiKey);
		http.setRequestProperty("Accept", "application/json");
		http.setConnectTimeout(5000);
		http.setReadTimeout(10000);
		int status = http.getResponseCode();
		try (InputStream body = (status >= 400) ? http.getErrorStream() : http.getInputStream()) {
			String text = (body != null) ? new String(body.readAllBytes(), StandardCharsets.UTF_8) : "";
			return status == 404 && text.contains(TYPED_404);
		}
	}

	private static boolean clear(Connection connection, String infoItemId, String watcherItemId) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(CLEAR)) {
			statement.setString(1, infoItemId);
			statement.setString(2, watcherItemId);
			return statement.executeUpdate() == 1;
		}
	}

}
