package io.cannobserv.reconciler.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import org.jspecify.annotations.Nullable;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The versioned migrations this release ships, each with the checksum Flyway records for
 * it: what the job's schema's history holds once this release has migrated it. Read from
 * the classpath without Flyway, whose classes and resource scan cost a small run most of
 * a second.
 */
final class ReleaseMigrations {

	static final String LOCATION = "db/reconciler";

	private static final Pattern VERSIONED = Pattern.compile("V([0-9]+(?:[._][0-9]+)*)__[^/]+\\.sql");

	private static final char BYTE_ORDER_MARK = '\uFEFF';

	private ReleaseMigrations() {
	}

	/**
	 * The version (as Flyway writes it: dots for underscores) and checksum of each
	 * migration, or {@code null} when the location holds anything but versioned SQL
	 * migrations (a repeatable one, a Java one, a name Flyway reads otherwise): then only
	 * Flyway can tell whether the schema is current.
	 */
	static @Nullable Map<String, Integer> read() {
		try {
			Resource[] resources = new PathMatchingResourcePatternResolver(ReleaseMigrations.class.getClassLoader())
				.getResources("classpath:" + LOCATION + "/*");
			Map<String, Integer> migrations = new HashMap<>();
			for (Resource resource : resources) {
				String name = resource.getFilename();
				Matcher versioned = (name != null) ? VERSIONED.matcher(name) : null;
				if (versioned == null || !versioned.matches()) {
					return null;
				}
				migrations.put(versioned.group(1).replace('_', '.'), checksum(resource));
			}
			return migrations.isEmpty() ? null : migrations;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the job schema's migrations from the classpath", ex);
		}
	}

	/**
	 * Flyway's checksum of a SQL migration: CRC-32 of its lines without their line
	 * breaks, UTF-8, a leading byte order mark dropped; so line endings do not count.
	 */
	static int checksum(Resource resource) throws IOException {
		CRC32 crc = new CRC32();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(resource.getInputStream(), StandardCharsets.UTF_8))) {
			boolean first = true;
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				if (first && !line.isEmpty() && line.charAt(0) == BYTE_ORDER_MARK) {
					line = line.substring(1);
				}
				first = false;
				crc.update(line.getBytes(StandardCharsets.UTF_8));
			}
		}
		return (int) crc.getValue();
	}

}
