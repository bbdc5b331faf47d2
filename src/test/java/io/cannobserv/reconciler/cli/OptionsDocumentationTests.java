package io.cannobserv.reconciler.cli;

import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.ClassUtils;

import io.cannobserv.reconciler.ReconcilerProperties;
import io.cannobserv.reconciler.archiver.ArchiverTable;
import io.cannobserv.reconciler.cli.Options.Option;
import io.cannobserv.reconciler.guard.SafetyBrakeProperties;
import io.cannobserv.reconciler.notify.NotifyProperties;
import io.cannobserv.reconciler.watcher.SnapshotProperties;
import io.cannobserv.reconciler.watcher.WatcherProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One source for the options: the documented properties' configuration metadata. The
 * README's option table, {@code --help} and the defaults the application binds must all
 * say what the metadata says.
 */
class OptionsDocumentationTests {

	@Test
	void readmeWhenItDescribesAnOptionSaysWhatTheMetadataSays() throws Exception {
		// given
		Map<String, JsonNode> metadata = Options.metadata();
		Properties application = Options.applicationProperties();

		// when
		List<Row> rows = readmeOptionTable();

		// then every documented property has one row, and each row's option, default and
		// purpose are the metadata's
		Map<String, Row> byProperty = new LinkedHashMap<>();
		rows.stream()
			.filter((row) -> row.property().startsWith("reconciler."))
			.forEach((row) -> assertThat(byProperty.put(row.property(), row)).as("a second row for " + row.property())
				.isNull());
		assertThat(byProperty.keySet()).containsExactlyInAnyOrderElementsOf(metadata.keySet());
		byProperty.forEach((property, row) -> {
			JsonNode described = metadata.get(property);
			assertThat(row.defaultValue()).as("README default of " + property)
				.isEqualTo(Options.defaultOf(described, application.getProperty(property)));
			assertThat(row.description()).as("README description of " + property)
				.isEqualTo(Options.markdown(described.path("description").asString("")));
		});
		for (Option option : Options.all()) {
			assertThat(byProperty.get(option.property()).option()).as("README option of " + option.property())
				.isEqualTo("--" + option.name());
		}
		assertThat(rows.stream().filter((row) -> !row.option().isEmpty()).map(Row::option))
			.containsExactlyInAnyOrderElementsOf(optionsAndFlags());
	}

	@Test
	void usageWhenPrintedListsEveryOptionWithItsDescriptionAndDefault() {
		// when
		String usage = CommandLine.usage().replaceAll("\\s+", " ");

		// then
		for (Option option : Options.all()) {
			assertThat(usage).contains(
					option.synopsis() + " " + Options.plain(option.description()) + " [" + option.defaultValue() + "]");
		}
	}

	@Test
	void metadataDefaultsWhenSetExplicitlyBindAsTheApplicationsOwnDefaults() {
		// given every documented default, given as a property
		Map<String, String> defaults = new LinkedHashMap<>();
		Options.metadata().forEach((property, described) -> {
			JsonNode value = described.get("defaultValue");
			if (value != null && !value.isNull()) {
				defaults.put(property, value.asString());
			}
		});
		Binder documented = new Binder(new MapConfigurationPropertySource(defaults));
		Binder nothingSet = new Binder(new MapConfigurationPropertySource(Map.of()));

		// then each settings record is the same as with nothing set
		for (Map.Entry<String, Class<?>> settings : Map
			.<String, Class<?>>of("reconciler", ReconcilerProperties.class, "reconciler.brake",
					SafetyBrakeProperties.class, "reconciler.watcher", WatcherProperties.class, "reconciler.archiver",
					ArchiverTable.class, "reconciler.notify", NotifyProperties.class, "reconciler.snapshot",
					SnapshotProperties.class)
			.entrySet()) {
			assertThat(documented.bindOrCreate(settings.getKey(), settings.getValue())).as(settings.getKey())
				.isEqualTo(nothingSet.bindOrCreate(settings.getKey(), settings.getValue()));
		}
		assertThat(defaults).containsEntry("reconciler.chunk-size", "250")
			.containsEntry("reconciler.watcher.read-timeout", "5s");
	}

	@Test
	void settingsRecordsWhenReadByReflectionAreWhatTheMetadataDescribes() throws Exception {
		// given the metadata's groups and properties
		Map<String, String> groups = new LinkedHashMap<>();
		JsonMapper json = JsonMapper.builder().build();
		for (URL file : Collections.list(getClass().getClassLoader().getResources(Options.METADATA))) {
			try (InputStream in = file.openStream()) {
				json.readTree(in)
					.path("groups")
					.forEach((group) -> groups.put(group.path("name").asString(), group.path("type").asString()));
			}
		}
		groups.keySet().removeIf((name) -> !name.equals("reconciler") && !name.startsWith("reconciler."));
		Map<String, JsonNode> metadata = Options.metadata();

		// then the records the command line checks values with are the metadata's,
		// property
		// for property, type for type, default for default
		assertThat(SettingsRecords.RECORDS).containsExactlyInAnyOrderEntriesOf(groups);
		assertThat(SettingsRecords.properties().keySet()).containsExactlyInAnyOrderElementsOf(metadata.keySet());
		metadata.forEach((property, described) -> {
			assertThat(ClassUtils.resolvePrimitiveIfNecessary(SettingsRecords.properties().get(property)).getName())
				.as("type of " + property)
				.isEqualTo(described.path("type").asString());
			JsonNode value = described.get("defaultValue");
			assertThat(SettingsRecords.defaultValue(property)).as("default of " + property)
				.isEqualTo((value != null && !value.isNull()) ? value.asString() : null);
		});
	}

	/**
	 * The README's option flags, and the command line's options, as the README spells
	 * them.
	 */
	private static List<String> optionsAndFlags() {
		List<String> options = new ArrayList<>(List.of("--apply", "--fresh"));
		Options.all().forEach((option) -> options.add("--" + option.name()));
		return options;
	}

	private static List<Row> readmeOptionTable() throws Exception {
		List<String> lines = Files.readAllLines(Path.of("README.md"));
		int header = lines.indexOf("| option | property | default | what it is for |");
		assertThat(header).as("the README's option table").isPositive();
		List<Row> rows = new ArrayList<>();
		for (String line : lines.subList(header + 2, lines.size())) {
			if (!line.startsWith("|")) {
				break;
			}
			String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
			assertThat(cells).as(line).hasSize(4);
			rows.add(new Row(unquote(cells[0]), unquote(cells[1]), unquote(cells[2]), cells[3].strip()));
		}
		return rows;
	}

	private static String unquote(String cell) {
		String value = cell.strip();
		return (value.startsWith("`") && value.endsWith("`") && value.indexOf('`', 1) == value.length() - 1)
				? value.substring(1, value.length() - 1) : value;
	}

	private record Row(String option, String property, String defaultValue, String description) {
	}

}
