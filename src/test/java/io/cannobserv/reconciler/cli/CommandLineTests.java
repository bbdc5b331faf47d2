package io.cannobserv.reconciler.cli;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * What the command line tells of a mistake, before anything starts: the exact line, with
 * the nearest known word, the form a value takes, and the fix.
 */
class CommandLineTests {

	static Stream<Arguments> mistakes() {
		return Stream.of(
				arguments(List.of("reconcile", "--aply"),
						"Unknown option --aply: did you mean --apply? (see --help for the options)"),
				arguments(List.of("reconcile", "--aply", "--chunk-size=5"),
						"Unknown option --aply: did you mean --apply? (see --help for the options)"),
				arguments(List.of("--aply", "reconcile"),
						"Unknown option --aply: did you mean --apply? (see --help for the options)"),
				arguments(List.of("reconcile", "--dry-run"),
						"--dry-run is not an option: a dry run is the default; add --apply to write"),
				arguments(List.of("reconcile", "--apply=true"),
						"--apply is a flag and takes no value: give --apply alone, not --apply=true"),
				arguments(List.of("reconcile", "--fresh=yes"),
						"--fresh is a flag and takes no value: give --fresh alone, not --fresh=yes"),
				arguments(List.of("reconcile", "--relink=maybe"),
						"--relink is a flag: give --relink alone (or --relink=false), not --relink=maybe"),
				arguments(List.of("reconsile"),
						"Unknown command 'reconsile': did you mean reconcile? (commands: reconcile, restore, report, prune; see --help)"),
				arguments(List.of("reprot"),
						"Unknown command 'reprot': did you mean report? (commands: reconcile, restore, report, prune; see --help)"),
				arguments(List.of("launch"),
						"Unknown command 'launch' (commands: reconcile, restore, report, prune; see --help)"),
				arguments(List.of("reconcile", "--chunck-size=4"),
						"Unknown option --chunck-size: did you mean --chunk-size? (see --help for the options)"),
				arguments(List.of("reconcile", "--max-clear=5"),
						"Unknown option --max-clear: did you mean --max-clears? (see --help for the options)"),
				arguments(List.of("reconcile", "--timeout=5s"),
						"Unknown option --timeout: did you mean --snapshot-timeout, --connect-timeout, --read-timeout"
								+ " or --request-timeout? (see --help for the options)"),
				arguments(List.of("reconcile", "--frobnicate"),
						"Unknown option --frobnicate (see --help for the options)"),
				arguments(List.of("reconcile", "-apply"),
						"Unknown option -apply: did you mean --apply? (see --help for the options)"),
				arguments(List.of("reconcile", "--reconciler.chunk-sise=4"),
						"Unknown option --reconciler.chunk-sise: did you mean --reconciler.chunk-size?"
								+ " (see --help for the options)"),
				arguments(List.of("reconcile", "apply"),
						"Unexpected argument 'apply': did you mean --apply? (see --help)"),
				arguments(List.of("reconcile", "report"),
						"Unexpected argument 'report': one command at a time, and reconcile came first (see --help)"),
				arguments(List.of(), "No command given: use one of reconcile, restore, report, prune (see --help)"),
				arguments(List.of("reconcile", "--chunk-size=abc"),
						"--chunk-size needs a whole number (e.g. --chunk-size=250), not 'abc'"),
				arguments(List.of("reconcile", "--chunk-size", "abc"),
						"--chunk-size needs a whole number (e.g. --chunk-size=250), not 'abc'"),
				arguments(List.of("reconcile", "--chunk-size=2.5"),
						"--chunk-size needs a whole number (e.g. --chunk-size=250), not '2.5'"),
				arguments(List.of("reconcile", "--chunk-size"),
						"--chunk-size needs a value: --chunk-size=N (e.g. --chunk-size=250)"),
				arguments(List.of("reconcile", "--chunk-size", "--apply"),
						"--chunk-size needs a value: --chunk-size=N (e.g. --chunk-size=250)"),
				arguments(List.of("reconcile", "--max-clears=many"),
						"--max-clears needs a whole number (e.g. --max-clears=100), not 'many'"),
				arguments(List.of("reconcile", "--max-clear-fraction=half"),
						"--max-clear-fraction needs a fraction from 0 to 1 (e.g. --max-clear-fraction=0.5), not 'half'"),
				arguments(List.of("reconcile", "--max-requests-per-second=fast"),
						"--max-requests-per-second needs a number (e.g. --max-requests-per-second=1000), not 'fast'"),
				arguments(List.of("reconcile", "--request-timeout=5x"),
						"--request-timeout needs a duration such as 500ms, 10s or 5m (e.g. --request-timeout=10s), not '5x'"),
				arguments(List.of("reconcile", "--strategy=snap"),
						"--strategy needs one of per-item, snapshot, auto (e.g. --strategy=auto), not 'snap': did you mean snapshot?"),
				arguments(List.of("reconcile", "--reconciler.watcher.read-timeout=soon"),
						"--reconciler.watcher.read-timeout needs a duration such as 500ms, 10s or 5m"
								+ " (e.g. --reconciler.watcher.read-timeout=5s), not 'soon'"),
				arguments(List.of("reconcile", "--reconciler.notify.timeout=x"),
						"--reconciler.notify.timeout needs a duration such as 500ms, 10s or 5m"
								+ " (e.g. --reconciler.notify.timeout=10s), not 'x'"),
				arguments(List.of("restore"),
						"restore needs the run to undo: restore --run ID (see report for run ids)"),
				arguments(List.of("restore", "--apply"),
						"restore needs the run to undo: restore --run ID (see report for run ids)"),
				arguments(List.of("restore", "--run", "abc"),
						"--run needs a run id (a number, as in the report's runId), not 'abc'"),
				arguments(List.of("report", "--run=0"),
						"--run needs a run id (a number, as in the report's runId), not '0'"),
				arguments(List.of("restore", "--run"), "--run needs a value: --run=ID (e.g. --run=42)"),
				arguments(List.of("reconcile", "--run=5"),
						"--run is not an option of reconcile: only of restore and report (see --help)"),
				arguments(List.of("report", "--apply"),
						"--apply is not an option of report: only of reconcile, restore and prune (see --help)"),
				arguments(List.of("restore", "--run=5", "--fresh"),
						"--fresh is not an option of restore: only of reconcile (see --help)"),
				arguments(List.of("reconcile", "--format=json"),
						"--format is not an option of reconcile: only of report (see --help)"),
				arguments(List.of("report", "--format", "pdf"),
						"Unknown --format 'pdf' (formats: text, json, markdown, html; text is the default)"),
				arguments(List.of("report", "--format=jsn"),
						"Unknown --format 'jsn': did you mean json? (formats: text, json, markdown, html; text is the default)"),
				arguments(List.of("report", "--output=run-7.json", "--format=html"),
						"--output run-7.json is json by its extension, but --format is html: drop --format"
								+ " (the extension sets it) or end the file name with .html"),
				arguments(List.of("report", "--output="), "--output needs a file name, such as --output=run-42.html"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("mistakes")
	void parseWhenArgumentsAreWrongRefusesWithTheLineThatNamesTheFix(List<String> args, String line) {
		// when, then
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> CommandLine.parse(args.toArray(String[]::new)))
			.withMessage(line);
	}

	@Test
	void parseWhenOutputNamesAFormatByItsExtensionTakesIt() {
		// when, then
		assertThat(CommandLine.parse("report", "--output", "runs.html").format()).isEqualTo(ReportFormat.HTML);
		assertThat(CommandLine.parse("report", "--output=reports/run-7.md").format()).isEqualTo(ReportFormat.MARKDOWN);
		assertThat(CommandLine.parse("report", "--output=run-7.JSON").format()).isEqualTo(ReportFormat.JSON);
		assertThat(CommandLine.parse("report", "--output=run-7.json", "--format=JSON").format())
			.isEqualTo(ReportFormat.JSON);
		// an extension that names no format leaves it to --format, text by default
		assertThat(CommandLine.parse("report", "--output=run-7.log").format()).isEqualTo(ReportFormat.TEXT);
		assertThat(CommandLine.parse("report", "--output=run-7.log", "--format=json").format())
			.isEqualTo(ReportFormat.JSON);
		assertThat(CommandLine.parse("report").format()).isEqualTo(ReportFormat.TEXT);
	}

	@Test
	void parseWhenValuesAreWhatTheBinderTakesPassesThemAsProperties() {
		// when
		CommandLine commandLine = CommandLine.parse("reconcile", "--apply", "--relink", "--chunk-size", "-5",
				"--strategy=SNAPSHOT", "--request-timeout=PT5S", "--max-clears=0x10", "--max-clear-fraction=1",
				"--reconciler.chunkSize=7", "--spring.datasource.url=jdbc:postgresql://db/archiver",
				"--reconciler.watcher.api-key=");

		// then the values are passed on as given: the binder converts them, and the
		// records' own rules judge them
		assertThat(commandLine.apply()).isTrue();
		assertThat(commandLine.springArgs()).containsExactly("--reconciler.relink=true", "--reconciler.chunk-size=-5",
				"--reconciler.strategy=SNAPSHOT", "--reconciler.watcher.request-timeout=PT5S",
				"--reconciler.brake.max-clears=0x10", "--reconciler.brake.max-clear-fraction=1",
				"--reconciler.chunkSize=7", "--spring.datasource.url=jdbc:postgresql://db/archiver",
				"--reconciler.watcher.api-key=");
	}

	@Test
	void parseWhenAFlagOptionIsTurnedOffPassesFalse() {
		// when
		CommandLine commandLine = CommandLine.parse("reconcile", "--relink=false");

		// then
		assertThat(commandLine.springArgs()).containsExactly("--reconciler.relink=false");
	}

	@Test
	void parseWhenHelpIsAskedIgnoresWhatTheCommandWouldNeed() {
		// when, then
		assertThat(CommandLine.parse("restore", "--help").help()).isTrue();
		assertThat(CommandLine.parse("--version").version()).isTrue();
	}

	@Test
	void usageWhenPrintedShowsFlagsAloneEachValuesTypeAndExamples() {
		// when
		List<String> lines = CommandLine.usage().lines().toList();

		// then
		assertThat(lines).anySatisfy((line) -> assertThat(line).startsWith("  --relink  ").doesNotContain("--relink="))
			.anySatisfy((line) -> assertThat(line).startsWith("  --chunk-size=N "))
			.anySatisfy((line) -> assertThat(line).startsWith("  --request-timeout=DURATION "))
			.anySatisfy((line) -> assertThat(line).startsWith("  --max-clear-fraction=FRACTION "))
			.anySatisfy((line) -> assertThat(line).startsWith("  --max-requests-per-second=NUMBER "))
			.anySatisfy((line) -> assertThat(line).startsWith("  --strategy=per-item|snapshot|auto "))
			.anySatisfy((line) -> assertThat(line).startsWith("  --report-dir=DIR "))
			.anySatisfy((line) -> assertThat(line).startsWith("  --watcher-base-url=URL"))
			.contains("Examples (java -jar watcher-link-reconciler.jar …):")
			.anySatisfy((line) -> assertThat(line).startsWith("  report --run=42 --output=run-42.html"));
		assertThat(lines).noneSatisfy((line) -> assertThat(line).contains("=VALUE"));
		assertThat(lines).allSatisfy((line) -> assertThat(line).hasSizeLessThanOrEqualTo(100));
	}

	@Test
	void usageWhenItGivesExamplesGivesOnlyCommandLinesThatParse() {
		// when
		List<String> examples = CommandLine.usage()
			.lines()
			.dropWhile((line) -> !line.startsWith("Examples"))
			.skip(1)
			.takeWhile((line) -> !line.isBlank())
			.map((line) -> line.strip().replaceFirst("\\s+#.*", ""))
			.toList();

		// then
		assertThat(examples).hasSizeGreaterThanOrEqualTo(3)
			.allSatisfy((example) -> CommandLine.parse(example.split(" ")));
	}

}
