package io.cannobserv.reconciler.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report's JSON Schema, {@code docs/reference/report.schema.json}, as documented:
 * tests hold real reports to it, so the documentation cannot drift from the document.
 */
public final class ReportSchema {

	/** The schema, from the project's directory (where Maven runs the tests). */
	public static final Path FILE = Path.of("docs", "reference", "report.schema.json");

	private static final Schema schema = load();

	private ReportSchema() {
	}

	/** Fails the test, naming each violation, unless {@code json} is a valid report. */
	public static void assertValid(String json) {
		List<Error> errors = schema.validate(json, InputFormat.JSON);
		assertThat(errors).as("violations of %s", FILE).isEmpty();
	}

	private static Schema load() {
		try {
			return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
				.getSchema(Files.readString(FILE), InputFormat.JSON);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
