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
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.ClassUtils;

import io.cannobserv.reconciler.archiver.TableSettings;
import io.cannobserv.reconciler.cli.Options.Option;
import io.cannobserv.reconciler.guard.SafetyBrakeProperties;
import io.cannobserv.reconciler.link.LinkSettings;
import io.cannobserv.reconciler.notify.NotifyProperties;
import io.cannobserv.reconciler.run.ReconcilerProperties;
import io.cannobserv.reconciler.watcher.SnapshotProperties;
import io.cannobserv.reconciler.watcher.WatcherProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One source for the options: the documented properties' configuration metadata. The
 * generated reference ({@code docs/reference/cli.md} and {@code configuration.md}),
 * {@code --help} and the defaults the application binds must all say what the metadata
 * says.
 */
class OptionsDocumentationTests {

	@Test
	void referenceWhenGeneratedIsWhatDocsHolds() throws Exception {
		// given what the metadata and --help make of the two pages
		Map<Path, String> pages = Map.of(ReferenceDocs.CLI, ReferenceDocs.cli(), ReferenceDocs.CONFIGURATION,
				ReferenceDocs.configuration());

		// when asked to, write them
		if (Boolean.getBoolean(ReferenceDocs.WRITE)) {
			for (Map.Entry<Path, String> page : pages.entrySet()) {
				Files.createDirectories(page.getKey().getParent());
				Files.writeString(page.getKey(), page.getValue());
			}
		}

		// then docs/ holds them as generated
		for (Map.Entry<Path, String> page : pages.entrySet()) {
			assertThat(page.getKey()).as("%s: regenerate it with %s", page.getKey(), ReferenceDocs.REGENERATE).exists();
			assertThat(Files.readString(page.getKey()))
				.as("%s is not what the configuration metadata and --help say: regenerate it with %s", page.getKey(),
						ReferenceDocs.REGENERATE)
				.isEqualTo(page.getValue());
		}
	}

	@Test
	void configurationReferenceWhenItDescribesAPropertySaysWhatTheMetadataSays() throws Exception {
		// given
		Map<String, JsonNode> metadata = ReferenceDocs.metadata();
		Properties application = Options.applicationProperties();
		Map<String, String> options = new LinkedHashMap<>();
		Options.all().forEach((option) -> options.put(option.property(), "--" + option.name()));

		// when
		List<List<String>> rows = tableRows(ReferenceDocs.configuration(), "| property |");

		// then every documented property of the job has one row, and its environment
		// variable, option, default and purpose are the metadata's
		Map<String, List<String>> byProperty = new LinkedHashMap<>();
		rows.stream()
			.filter((row) -> row.get(0).startsWith("reconciler."))
			.forEach(
					(row) -> assertThat(byProperty.put(row.get(0), row)).as("a second row for " + row.get(0)).isNull());
		assertThat(byProperty.keySet()).containsExactlyInAnyOrderElementsOf(metadata.keySet());
		byProperty.forEach((property, row) -> {
			JsonNode described = metadata.get(property);
			assertThat(row.get(1)).as("environment variable of " + property)
				.contains(ReferenceDocs.environmentVariable(property));
			assertThat(row.get(2)).as("option of " + property).isEqualTo(options.getOrDefault(property, ""));
			assertThat(row.get(4)).as("default of " + property)
				.isEqualTo(ReferenceDocs.defaultOf(described, application.getProperty(property)));
			assertThat(row.get(5)).as("description of " + property)
				.isEqualTo(Options.markdown(described.path("description").asString("")).replace("|", "\\|"));
		});
	}

	@Test
	void cliReferenceWhenItListsTheOptionsListsEachWithItsDefault() {
		// when
		List<List<String>> rows = tableRows(ReferenceDocs.cli(), "| option |");

		// then one row per option, in the order of --help, with --help's default
		assertThat(rows).extracting((row) -> row.get(0))
			.containsExactlyElementsOf(Options.all().stream().map((option) -> "--" + option.name()).toList());
		for (Option option : Options.all()) {
			List<String> row = rows.stream().filter((r) -> r.get(0).equals("--" + option.name())).findFirst().get();
			assertThat(row.get(2)).as("default of --" + option.name()).isEqualTo(option.defaultValue());
			assertThat(row.get(3)).as("environment variable of --" + option.name())
				.isEqualTo(ReferenceDocs.environmentVariable(option.property()));
		}
		assertThat(ReferenceDocs.cli()).contains(CommandLine.usage().stripTrailing());
	}

	@Test
	void environmentVariableWhenSetAloneBindsTheProperty() {
		// given each documented property's environment variable, as the reference names
		// it
		Map<String, JsonNode> metadata = ReferenceDocs.metadata();
		for (String property : metadata.keySet()) {
			String variable = ReferenceDocs.environmentVariable(property);
			Binder environment = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(variable, "7"))));

			// when
			String bound = environment.bind(property, String.class).orElse(null);

			// then Spring Boot reads the property from it
			assertThat(bound).as(variable + " for " + property).isEqualTo("7");
		}
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
		ReferenceDocs.metadata().forEach((property, described) -> {
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
					TableSettings.class, "reconciler.notify", NotifyProperties.class, "reconciler.snapshot",
					SnapshotProperties.class, "reconciler.link", LinkSettings.class)
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
		Map<String, JsonNode> metadata = ReferenceDocs.metadata();

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
	 * The cells of the tables of a Markdown page whose header starts with {@code header},
	 * code quotes around a whole cell taken off.
	 */
	private static List<List<String>> tableRows(String page, String header) {
		List<List<String>> rows = new ArrayList<>();
		boolean inTable = false;
		for (String line : page.split("\n")) {
			if (line.startsWith(header)) {
				inTable = true;
			}
			else if (!line.startsWith("|")) {
				inTable = false;
			}
			else if (inTable && !line.startsWith("|---")) {
				List<String> cells = new ArrayList<>();
				for (String cell : line.substring(1, line.length() - 1).split("(?<!\\\\)\\|", -1)) {
					cells.add(unquote(cell));
				}
				rows.add(cells);
			}
		}
		assertThat(rows).as("rows of the tables headed " + header).isNotEmpty();
		return rows;
	}

	private static String unquote(String cell) {
		String value = cell.strip();
		return (value.startsWith("`") && value.endsWith("`") && value.indexOf('`', 1) == value.length() - 1)
				? value.substring(1, value.length() - 1) : value;
	}

}
