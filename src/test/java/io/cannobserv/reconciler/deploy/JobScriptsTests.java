package io.cannobserv.reconciler.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cannobserv.reconciler.support.NeedsTool;
import io.cannobserv.reconciler.support.NeedsTool.Tool;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator scripts under {@code jobs/}: each has a working {@code --help} and strict
 * bash settings, and {@code launch-now.sh} turns the CronJob's template into a dry run
 * unless {@code --apply}, against a stand-in {@code kubectl} that records what it is
 * asked to create. ({@code .ci/validate-deploy.sh} runs shellcheck on them.)
 */
class JobScriptsTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@TempDir
	Path fake;

	@Test
	void scriptsWhenAskedForHelpPrintUsageAndExitZero() throws Exception {
		List<Path> scripts = scripts();
		assertThat(scripts).extracting((p) -> p.getFileName().toString())
			.contains("launch-now.sh", "run-local.sh", "restore.sh", "show-reports.sh");
		for (Path script : scripts) {
			assertThat(Files.readString(script)).as(script.toString())
				.startsWith("#!/usr/bin/env bash\n")
				.contains("\nset -euo pipefail\n");
			assertThat(Files.isExecutable(script)).as("%s is executable", script).isTrue();
			Result help = run(List.of("bash", script.toString(), "--help"), Map.of());
			assertThat(help.exitCode()).as(script + " --help").isZero();
			assertThat(help.output()).as(script + " --help").startsWith("Usage: ");
		}
	}

	@Test
	void scriptsWhenGivenAnUnknownArgumentExitTwo() throws Exception {
		for (String script : List.of("jobs/launch-now.sh", "jobs/restore.sh", "jobs/show-reports.sh")) {
			Result result = run(List.of("bash", script, "--no-such-option"), Map.of());
			assertThat(result.exitCode()).as(script).isEqualTo(2);
		}
		assertThat(run(List.of("bash", "jobs/restore.sh", "--apply"), Map.of()).output())
			.contains("--run ID is required");
	}

	@Test
	@NeedsTool(Tool.JQ)
	void launchNowWhenNotApplyingCreatesADryRunFromTheCronJobTemplate() throws Exception {
		JsonNode created = launch(List.of("--namespace", "ns"));
		assertThat(args(created)).containsExactly("reconcile");
		assertThat(created.path("metadata").path("name").asString()).startsWith("watcher-link-reconciler-dry-run-");
		assertThat(calls()).anySatisfy((call) -> assertThat(call).contains("--namespace ns create job")
			.contains("--from=cronjob/watcher-link-reconciler --dry-run=client -o json"));
	}

	@Test
	@NeedsTool(Tool.JQ)
	void launchNowWhenApplyingKeepsApply() throws Exception {
		assertThat(args(launch(List.of("--apply")))).containsExactly("reconcile", "--apply");
	}

	@Test
	@NeedsTool(Tool.JQ)
	void launchNowWhenPartitionedUsesTheIndexedTemplate() throws Exception {
		launch(List.of("--partitioned"));
		assertThat(calls())
			.anySatisfy((call) -> assertThat(call).contains("--from=cronjob/watcher-link-reconciler-partitioned"));
	}

	@Test
	@NeedsTool(Tool.JQ)
	void launchNowWhenGivenACommandRunsItInstead() throws Exception {
		assertThat(args(launch(List.of("--", "restore", "--run", "42", "--apply")))).containsExactly("restore", "--run",
				"42", "--apply");
	}

	@Test
	@NeedsTool(Tool.JQ)
	void launchNowWhenFollowingAFailedRunPrintsTheReportAndExitsWithItsCode() throws Exception {
		Files.writeString(this.fake.resolve("job-status.json"),
				"""
						{"status": {"failed": 1, "conditions": [
						  {"type": "FailureTarget", "status": "True"},
						  {"type": "Failed", "status": "True", "reason": "PodFailurePolicy",
						   "message": "Container reconciler for pod ns/p1 failed with exit code 3 matching FailJob rule at index 0"}]}}
						""");
		Files.writeString(this.fake.resolve("pods.json"), """
				{"items": [{"metadata": {"name": "p1", "creationTimestamp": "2026-01-01T02:17:00Z"},
				  "status": {"phase": "Failed", "containerStatuses": [{"name": "reconciler",
				    "state": {"terminated": {"exitCode": 3, "finishedAt": "2026-01-01T02:18:00Z"}}}]}}]}
				""");
		Files.writeString(this.fake.resolve("log.txt"), """
				{"@timestamp":"2026-01-01T02:17:01Z","log.level":"INFO","message":"started"}

				Run 7 (apply): HALTED by the safety brake, exit code 3
				  safety brake: halted before writing a chunk of 250 pointers: 12 of 20 checked pointers (60%) are gone
				{"@timestamp":"2026-01-01T02:17:59Z","log.level":"INFO","message":"closing"}
				""");
		Result result = launchResult(List.of("--apply", "--follow"));
		assertThat(result.exitCode()).isEqualTo(3);
		assertThat(result.output()).contains("Run 7 (apply): HALTED by the safety brake, exit code 3")
			.contains("safety brake: halted before writing a chunk")
			.contains("failed (PodFailurePolicy")
			.contains("---- pod p1: exit code 3");
	}

	@Test
	@NeedsTool(Tool.JQ)
	void launchNowWhenFollowingARunThatLogsJsonPrintsItsSummaryEventAsText() throws Exception {
		Files.writeString(this.fake.resolve("job-status.json"), """
				{"status": {"succeeded": 1, "conditions": [{"type": "Complete", "status": "True"}]}}
				""");
		Files.writeString(this.fake.resolve("pods.json"), """
				{"items": [{"metadata": {"name": "p1", "creationTimestamp": "2026-01-01T02:17:00Z"},
				  "status": {"phase": "Succeeded", "containerStatuses": [{"name": "reconciler",
				    "state": {"terminated": {"exitCode": 0, "finishedAt": "2026-01-01T02:18:00Z"}}}]}}]}
				""");
		// every line of the pod's log one ECS document, the summary an event of its own
		Files.writeString(this.fake.resolve("log.txt"),
				"""
						{"@timestamp":"2026-01-01T02:17:01Z","log":{"level":"INFO"},"message":"Run 7 (apply, partition 0 of 1) on t: execution 7 started","runId":"7"}
						{"@timestamp":"2026-01-01T02:17:58Z","log":{"level":"INFO"},"message":"Run 7 (apply): COMPLETED, exit code 0\\n  table t\\n  checked 3: live 3","runId":"7","summary":{"status":"COMPLETED","exitCode":0}}
						{"@timestamp":"2026-01-01T02:17:59Z","log":{"level":"INFO"},"message":"closing"}
						""");
		Result result = launchResult(List.of("--apply", "--follow"));
		assertThat(result.exitCode()).as(result.output()).isZero();
		// the log streams as it is; the report after it is the summary's text alone
		String report = result.output().substring(result.output().indexOf("==== report(s)"));
		assertThat(report)
			.contains("---- pod p1: exit code 0\nRun 7 (apply): COMPLETED, exit code 0\n  table t\n"
					+ "  checked 3: live 3\n==== job")
			.doesNotContain("{")
			.doesNotContain("closing");
	}

	private JsonNode launch(List<String> arguments) throws Exception {
		Result result = launchResult(arguments);
		assertThat(result.exitCode()).as(result.output()).isZero();
		return json.readTree(Files.readString(this.fake.resolve("created.json")));
	}

	private Result launchResult(List<String> arguments) throws Exception {
		writeFakeKubectl();
		List<String> command = new ArrayList<>(List.of("bash", "jobs/launch-now.sh"));
		command.addAll(arguments);
		return run(command, Map.of("PATH", this.fake + ":" + System.getenv("PATH"), "FAKE_DIR", this.fake.toString()));
	}

	private List<String> args(JsonNode job) {
		List<String> args = new ArrayList<>();
		job.path("spec")
			.path("template")
			.path("spec")
			.path("containers")
			.get(0)
			.path("args")
			.forEach((arg) -> args.add(arg.asString()));
		return args;
	}

	private List<String> calls() throws IOException {
		return Files.readAllLines(this.fake.resolve("calls.txt"));
	}

	/**
	 * A kubectl stand-in: {@code create job --from} prints the Job that the CronJob's
	 * template makes (from k8s/base), {@code create -f -} records what it is given, and
	 * the rest answers from files the test writes.
	 */
	private void writeFakeKubectl() throws IOException {
		for (String cronJob : List.of("watcher-link-reconciler", "watcher-link-reconciler-partitioned")) {
			Files.writeString(this.fake.resolve(cronJob + ".json"), json.writeValueAsString(jobFromTemplate(cronJob)));
		}
		if (!Files.exists(this.fake.resolve("job-status.json"))) {
			Files.writeString(this.fake.resolve("job-status.json"), "{\"status\": {}}");
		}
		Path kubectl = this.fake.resolve("kubectl");
		Files.writeString(kubectl, """
				#!/usr/bin/env bash
				set -euo pipefail
				echo "$*" >>"$FAKE_DIR/calls.txt"
				words=" $* "
				case $words in
				  *" create job "*"--dry-run=client"*)
				    name=$(sed -E 's/.* create job ([^ ]+) .*/\\1/' <<<"$words")
				    from=$(sed -E 's/.*--from=cronjob\\/([^ ]+) .*/\\1/' <<<"$words")
				    jq --arg name "$name" '.metadata.name = $name' "$FAKE_DIR/$from.json" ;;
				  *" create -f - "*) cat >"$FAKE_DIR/created.json" ;;
				  *" get job "*) cat "$FAKE_DIR/job-status.json" ;;
				  *" get pods "*) cat "$FAKE_DIR/pods.json" ;;
				  *" get pod "*"-o json "*)
				    pod=$(sed -E 's/.* get pod ([^ ]+) .*/\\1/' <<<"$words")
				    jq --arg pod "$pod" '.items[] | select(.metadata.name == $pod)' "$FAKE_DIR/pods.json" ;;
				  *" get pod "*) echo "" ;;
				  *" logs "*) cat "$FAKE_DIR/log.txt" ;;
				  *) echo "fake kubectl: unexpected: $*" >&2; exit 1 ;;
				esac
				""");
		Files.setPosixFilePermissions(kubectl, java.util.Set.of(PosixFilePermission.OWNER_READ,
				PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> jobFromTemplate(String cronJob) throws IOException {
		Path file = Path.of("k8s/base", cronJob.endsWith("-partitioned") ? "partitioned-cronjob.yaml" : "cronjob.yaml");
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			Map<String, Object> loaded = (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions()))
				.load(reader);
			Map<String, Object> template = (Map<String, Object>) ((Map<String, Object>) loaded.get("spec"))
				.get("jobTemplate");
			Map<String, Object> job = new LinkedHashMap<>();
			job.put("apiVersion", "batch/v1");
			job.put("kind", "Job");
			job.put("metadata", new LinkedHashMap<>(Map.of("name", "placeholder", "annotations",
					new LinkedHashMap<>(Map.of("cronjob.kubernetes.io/instantiate", "manual")))));
			job.put("spec", template.get("spec"));
			return job;
		}
	}

	private static List<Path> scripts() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("jobs"))) {
			return files.filter((p) -> p.toString().endsWith(".sh")).sorted().toList();
		}
	}

	private record Result(int exitCode, String output) {
	}

	private static Result run(List<String> command, Map<String, String> environment) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().putAll(environment);
		Process process = builder.start();
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished: " + command).isTrue();
		return new Result(process.exitValue(), output);
	}

}
