package io.cannobserv.reconciler.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report files a run writes, {@code run-<id>.json}: each execution of a run replaces
 * its run's file.
 */
public final class ReportFiles {

	private static final JsonMapper json = JsonMapper.builder().build();

	private ReportFiles() {
	}

	/**
	 * The one report in {@code directory}; fails the test when there are more or none.
	 */
	public static JsonNode only(Path directory) {
		try (Stream<Path> files = Files.list(directory)) {
			List<Path> reports = files.filter((file) -> file.getFileName().toString().matches("run-\\d+\\.json"))
				.toList();
			assertThat(reports).as("reports in %s", directory).hasSize(1);
			return json.readTree(reports.get(0).toFile());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
