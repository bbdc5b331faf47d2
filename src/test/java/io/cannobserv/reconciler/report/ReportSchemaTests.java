package io.cannobserv.reconciler.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.support.ReportSchema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The JSON Schema names what {@link Outcome} names: every count, every kept verdict, and
 * the version the reports carry. Real reports are held to it where they are made
 * ({@code ReportCommandIntegrationTests}, {@code SafetyBrakeIntegrationTests},
 * {@code PreviousReleaseIntegrationTests}).
 */
class ReportSchemaTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void schemaWhenReadNamesEveryOutcomeAndTheCurrentVersion() throws Exception {
		JsonNode schema = this.json.readTree(Files.readString(ReportSchema.FILE));
		JsonNode properties = schema.get("properties");

		assertThat(properties.get("schemaVersion").get("const").asInt()).isEqualTo(RunReport.SCHEMA_VERSION);
		assertThat(names(properties.get("counts").get("properties")))
			.containsExactlyElementsOf(Arrays.stream(Outcome.values()).map(Outcome::jsonName).toList());
		assertThat(values(schema.get("$defs").get("skippedPointer").get("properties").get("verdict").get("enum")))
			.containsExactlyElementsOf(
					Arrays.stream(Outcome.values()).filter(Outcome::isReported).map(Outcome::jsonName).toList());
		assertThat(names(properties)).containsExactlyElementsOf(
				Arrays.stream(RunReport.class.getRecordComponents()).map((c) -> c.getName()).toList());
	}

	@Test
	void reportFormatPageWhenReadNamesEachOutcomeAsEveryFormatDoes() throws Exception {
		String page = Files.readString(Path.of("docs", "reference", "report-format.md"));
		String section = page.substring(page.indexOf("\n## Outcomes\n"), page.indexOf("\n## The JSON document\n"));
		List<String> rows = section.lines().filter((line) -> line.matches("\\| `[a-zA-Z]+` \\| .*")).toList();

		assertThat(rows).hasSize(Outcome.values().length);
		for (int i = 0; i < rows.size(); i++) {
			Outcome outcome = Outcome.values()[i];
			assertThat(rows.get(i)).startsWith("| `" + outcome.jsonName() + "` | " + outcome.label() + " | ")
				.endsWith(" | " + (outcome.action().isEmpty() ? "–" : outcome.action().replace("|", "\\|")) + " |");
		}
	}

	@Test
	void assertValidWhenAReportLacksACountFails() {
		String broken = "{\"schemaVersion\":2}";

		assertThatThrownBy(() -> ReportSchema.assertValid(broken)).isInstanceOf(AssertionError.class)
			.hasMessageContaining("runId");
	}

	private static List<String> names(JsonNode object) {
		List<String> names = new ArrayList<>();
		object.properties().forEach((entry) -> names.add(entry.getKey()));
		return names;
	}

	private static List<String> values(JsonNode array) {
		List<String> values = new ArrayList<>();
		array.forEach((value) -> values.add(value.asString()));
		return values;
	}

}
