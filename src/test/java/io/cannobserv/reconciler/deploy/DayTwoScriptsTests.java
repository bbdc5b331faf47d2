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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
 * What an operator does every week, scripted under {@code jobs/}: pause and resume the
 * nightly run, move it to another time, and fetch a report from the cluster as one clean
 * document. Against a stand-in {@code kubectl} that keeps the CronJobs in a file and
 * applies merge patches to them as the API server does, and that serves a report Job's
 * pod log with structured log lines around the document.
 */
@NeedsTool(Tool.JQ)
class DayTwoScriptsTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String SINGLE = "watcher-link-reconciler";

	private static final String PARTITIONED = "watcher-link-reconciler-partitioned";

	private static final String PAUSED = "watcher-link-reconciler/paused";

	@TempDir
	Path fake;

	@Test
	void pauseWhenResumedRestoresExactlyTheSchedulesItSuspended() throws Exception {
		// given: production, the single run nightly, the partitioned one a suspended
		// template
		cronJobs(false, true);

		// when
		Result paused = run("jobs/pause.sh", "--namespace", "ns");

		// then: the nightly one is suspended and marked, the template untouched
		assertThat(paused.exitCode()).as(paused.err()).isZero();
		assertThat(paused.out()).contains("cronjob/" + SINGLE + " suspended")
			.contains("cronjob/" + PARTITIONED + " is suspended already");
		assertThat(suspend(SINGLE)).isTrue();
		assertThat(annotations(SINGLE)).containsKey(PAUSED);
		assertThat(suspend(PARTITIONED)).isTrue();
		assertThat(annotations(PARTITIONED)).doesNotContainKey(PAUSED);
		assertThat(calls()).allSatisfy((call) -> assertThat(call).contains("--namespace ns"));

		// when
		Result resumed = run("jobs/resume.sh", "--namespace", "ns");

		// then: only the one it suspended runs again, unmarked
		assertThat(resumed.exitCode()).as(resumed.err()).isZero();
		assertThat(suspend(SINGLE)).isFalse();
		assertThat(annotations(SINGLE)).doesNotContainKey(PAUSED);
		assertThat(suspend(PARTITIONED)).isTrue();
	}

	@Test
	void pauseWhenThePartitionedRunIsNightlyResumesThatOneAndNotTheSingleRun() throws Exception {
		// given: production-partitioned
		cronJobs(true, false);

		// when
		assertThat(run("jobs/pause.sh").exitCode()).isZero();
		assertThat(suspend(PARTITIONED)).isTrue();
		assertThat(run("jobs/resume.sh").exitCode()).isZero();

		// then
		assertThat(suspend(PARTITIONED)).isFalse();
		assertThat(suspend(SINGLE)).isTrue();
		assertThat(annotations(SINGLE)).doesNotContainKey(PAUSED);
	}

	@Test
	void resumeWhenNothingWasPausedLeavesEveryCronJobAndSaysHow() throws Exception {
		cronJobs(false, true);

		Result resumed = run("jobs/resume.sh");

		assertThat(resumed.exitCode()).isZero();
		assertThat(resumed.err()).contains("nothing was paused by jobs/pause.sh");
		assertThat(suspend(PARTITIONED)).isTrue();
		assertThat(calls()).noneMatch((call) -> call.contains(" patch "));
	}

	@Test
	void rescheduleWhenGivenACronScheduleMovesBothReconcileCronJobs() throws Exception {
		cronJobs(false, true);

		Result moved = run("jobs/reschedule.sh", "-n", "ns", "--time-zone", "Europe/Paris", "0 3 * * *");

		assertThat(moved.exitCode()).as(moved.err()).isZero();
		for (String name : List.of(SINGLE, PARTITIONED)) {
			JsonNode spec = cronJob(name).path("spec");
			assertThat(spec.path("schedule").asString()).isEqualTo("0 3 * * *");
			assertThat(spec.path("timeZone").asString()).isEqualTo("Europe/Paris");
		}
		// the suspension stays as it was
		assertThat(suspend(PARTITIONED)).isTrue();
		assertThat(moved.out()).contains("where the overlay states it");
	}

	@Test
	void rescheduleWhenTheScheduleIsNotCronRefusesWithoutTouchingTheCluster() throws Exception {
		cronJobs(false, true);
		for (List<String> args : List.of(List.of("0 3 * *"), List.of("0 3 * * * *"), List.of("0 3 * * *; rm"),
				List.<String>of())) {
			List<String> command = new ArrayList<>(List.of("jobs/reschedule.sh"));
			command.addAll(args);
			Result refused = run(command.toArray(String[]::new));
			assertThat(refused.exitCode()).as("%s", args).isEqualTo(2);
			assertThat(refused.err()).as("%s", args).contains("five fields");
		}
		assertThat(run("jobs/pause.sh", "--no-such-option").exitCode()).isEqualTo(2);
		assertThat(run("jobs/resume.sh", "extra").exitCode()).isEqualTo(2);
		assertThat(this.fake.resolve("calls.txt")).doesNotExist();
	}

	@Test
	void showReportsWhenInClusterPrintsTheHtmlReportAloneAsOneDocument() throws Exception {
		// given: the report Job's pod printed its document among structured log lines
		String html = """
				<!DOCTYPE html>
				<html lang="en"><head><meta charset="utf-8"><title>Run 42</title>
				<style>
				body { font-family: sans-serif; }
				{ not a log line: CSS a minifier left }
				</style></head>
				<body><h1>Run 42 (apply): COMPLETED</h1>
				<p>{"detail":"WatchedItem not found"}</p>
				</body></html>
				""";
		reportPod(0, log(html));

		// when
		Result shown = run("jobs/show-reports.sh", "--in-cluster", "-n", "ns", "--run", "42", "--format", "html");

		// then: standard output is the document, once, byte for byte
		assertThat(shown.exitCode()).as(shown.err()).isZero();
		assertThat(shown.out()).isEqualTo(html);
		assertThat(shown.err()).contains("job.batch/").contains("complete");
		JsonNode created = json.readTree(Files.readString(this.fake.resolve("created.json")));
		JsonNode container = created.path("spec").path("template").path("spec").path("containers").get(0);
		assertThat(container.path("args").toString()).isEqualTo("[\"report\",\"--run\",\"42\",\"--format\",\"html\"]");
		assertThat(container.path("env").toString())
			.contains("{\"name\":\"LOGGING_STRUCTURED_FORMAT_CONSOLE\",\"value\":\"ecs\"}");
		// no log streamed while it ran: the log was read once, after the end
		assertThat(calls()).filteredOn((call) -> call.contains(" logs "))
			.singleElement()
			.asString()
			.doesNotContain("-f");
	}

	@Test
	void showReportsWhenInClusterKeepsEveryLineOfAJsonReport() throws Exception {
		String report = """
				{
				  "runId" : 42,
				  "counts" : { "read" : 3 }
				}
				""";
		reportPod(0, log(report));

		Result shown = run("jobs/show-reports.sh", "--in-cluster", "--format", "json");

		assertThat(shown.exitCode()).as(shown.err()).isZero();
		assertThat(shown.out()).isEqualTo(report);
		// and a document on one line, which is JSON but no log line
		reportPod(0, log("[{\"runId\":42,\"mode\":\"apply\"}]\n"));
		assertThat(run("jobs/show-reports.sh", "--in-cluster", "--format", "json").out())
			.isEqualTo("[{\"runId\":42,\"mode\":\"apply\"}]\n");
	}

	@Test
	void showReportsWhenTheReportFailsInClusterPrintsNoDocumentAndExitsWithItsCode() throws Exception {
		reportPod(2, log("watcher-link-reconciler: No run 99 in schema watcher_link_reconciler: `report` lists the"
				+ " recorded runs\n"));

		Result shown = run("jobs/show-reports.sh", "--in-cluster", "--run", "99");

		assertThat(shown.exitCode()).isEqualTo(2);
		assertThat(shown.out()).isEmpty();
		assertThat(shown.err()).contains("exited 2").contains("No run 99 in schema");
	}

	/** A pod log: structured log lines before and after what the command printed. */
	private static String log(String printed) {
		return """
				{"@timestamp":"2026-01-01T02:17:01.1Z","log.level":"INFO","message":"Starting","ecs.version":"8.11"}
				{"@timestamp":"2026-01-01T02:17:02.2Z","log.level":"WARN","message":"slow {start}","ecs.version":"8.11"}
				""" + printed + """
				{"@timestamp":"2026-01-01T02:17:03.3Z","log.level":"INFO","message":"Closing","ecs.version":"8.11"}
				""";
	}

	private void cronJobs(boolean singleSuspended, boolean partitionedSuspended) throws IOException {
		List<Map<String, Object>> items = new ArrayList<>();
		items.add(cronJobFrom("k8s/base/cronjob.yaml", singleSuspended));
		items.add(cronJobFrom("k8s/base/partitioned-cronjob.yaml", partitionedSuspended));
		Files.writeString(this.fake.resolve("cronjobs.json"),
				json.writeValueAsString(Map.of("apiVersion", "v1", "kind", "List", "items", items)));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> cronJobFrom(String file, boolean suspended) throws IOException {
		try (Reader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
			Map<String, Object> cronJob = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
			Map<String, Object> spec = (Map<String, Object>) cronJob.get("spec");
			spec.put("schedule", "17 2 * * *");
			if (suspended) {
				spec.put("suspend", true);
			}
			else {
				spec.remove("suspend");
			}
			return cronJob;
		}
	}

	private void reportPod(int exitCode, String log) throws IOException {
		Files.writeString(this.fake.resolve("log.txt"), log);
		Files.writeString(this.fake.resolve("job-status.json"), (exitCode == 0)
				? "{\"status\": {\"conditions\": [{\"type\": \"Complete\", \"status\": \"True\"}]}}"
				: "{\"status\": {\"conditions\": [{\"type\": \"Failed\", \"status\": \"True\", \"reason\": \"PodFailurePolicy\"}]}}");
		Files.writeString(this.fake.resolve("pods.json"), """
				{"items": [{"metadata": {"name": "p1", "creationTimestamp": "2026-01-01T02:17:00Z"},
				  "status": {"containerStatuses": [{"name": "reconciler",
				    "state": {"terminated": {"exitCode": %d, "finishedAt": "2026-01-01T02:18:00Z"}}}]}}]}
				""".formatted(exitCode));
		Map<String, Object> template = cronJobFrom("k8s/base/cronjob.yaml", false);
		Map<String, Object> job = new LinkedHashMap<>();
		job.put("apiVersion", "batch/v1");
		job.put("kind", "Job");
		job.put("metadata", new LinkedHashMap<>(Map.of("name", "placeholder")));
		job.put("spec", ((Map<?, ?>) ((Map<?, ?>) template.get("spec")).get("jobTemplate")).get("spec"));
		Files.writeString(this.fake.resolve("job-template.json"), json.writeValueAsString(job));
	}

	private JsonNode cronJob(String name) throws IOException {
		for (JsonNode item : json.readTree(Files.readString(this.fake.resolve("cronjobs.json"))).path("items")) {
			if (item.path("metadata").path("name").asString().equals(name)) {
				return item;
			}
		}
		throw new AssertionError("no CronJob " + name);
	}

	private boolean suspend(String name) throws IOException {
		return cronJob(name).path("spec").path("suspend").asBoolean(false);
	}

	private Map<String, String> annotations(String name) throws IOException {
		Map<String, String> annotations = new LinkedHashMap<>();
		cronJob(name).path("metadata")
			.path("annotations")
			.properties()
			.forEach((entry) -> annotations.put(entry.getKey(), entry.getValue().asString()));
		return annotations;
	}

	private List<String> calls() throws IOException {
		return Files.readAllLines(this.fake.resolve("calls.txt"));
	}

	/**
	 * A kubectl stand-in: CronJobs from cronjobs.json, merge patches applied to them with
	 * RFC 7386's rules (null deletes), and a report Job whose pod log is log.txt.
	 */
	private void writeFakeKubectl() throws IOException {
		Path kubectl = this.fake.resolve("kubectl");
		Files.writeString(kubectl, """
				#!/usr/bin/env bash
				set -euo pipefail
				echo "$*" >>"$FAKE_DIR/calls.txt"
				state="$FAKE_DIR/cronjobs.json"
				words=" $* "
				patch=
				args=("$@")
				for i in "${!args[@]}"; do
				  [[ ${args[$i]} == -p ]] && patch=${args[$((i + 1))]}
				done
				case $words in
				  *" get cronjobs "*"-o json "*) cat "$state" ;;
				  *" get cronjob "*"-o json "*)
				    name=$(sed -E 's/.* get cronjob ([^ ]+) .*/\\1/' <<<"$words")
				    jq -e --arg name "$name" '.items[] | select(.metadata.name == $name)' "$state" ;;
				  *" patch cronjob "*"--type merge "*)
				    name=$(sed -E 's/.* patch cronjob ([^ ]+) .*/\\1/' <<<"$words")
				    jq -e --arg name "$name" 'any(.items[]; .metadata.name == $name)' "$state" >/dev/null \\
				      || { echo "Error from server (NotFound): cronjobs.batch \\"$name\\" not found" >&2; exit 1; }
				    jq --arg name "$name" --argjson patch "$patch" '
				      def merge($p): if ($p | type) == "object"
				        then reduce ($p | to_entries[]) as $e ((if type == "object" then . else {} end);
				          if $e.value == null then del(.[$e.key]) else .[$e.key] |= merge($e.value) end)
				        else $p end;
				      .items |= map(if .metadata.name == $name then merge($patch) else . end)' "$state" >"$state.new"
				    mv "$state.new" "$state" ;;
				  *" create job "*"--dry-run=client"*)
				    name=$(sed -E 's/.* create job ([^ ]+) .*/\\1/' <<<"$words")
				    jq --arg name "$name" '.metadata.name = $name' "$FAKE_DIR/job-template.json" ;;
				  *" create -f - "*) cat >"$FAKE_DIR/created.json" ;;
				  *" get job "*) cat "$FAKE_DIR/job-status.json" ;;
				  *" get pods "*) cat "$FAKE_DIR/pods.json" ;;
				  *" get pod "*"-o json "*)
				    pod=$(sed -E 's/.* get pod ([^ ]+) .*/\\1/' <<<"$words")
				    jq --arg pod "$pod" '.items[] | select(.metadata.name == $pod)' "$FAKE_DIR/pods.json" ;;
				  *" logs "*) cat "$FAKE_DIR/log.txt" ;;
				  *) echo "fake kubectl: unexpected: $*" >&2; exit 1 ;;
				esac
				""");
		Files.setPosixFilePermissions(kubectl, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
				PosixFilePermission.OWNER_EXECUTE));
	}

	private record Result(int exitCode, String out, String err) {
	}

	private Result run(String... command) throws Exception {
		writeFakeKubectl();
		List<String> bash = new ArrayList<>(List.of("bash"));
		bash.addAll(List.of(command));
		ProcessBuilder builder = new ProcessBuilder(bash);
		builder.environment().put("PATH", this.fake + ":" + System.getenv("PATH"));
		builder.environment().put("FAKE_DIR", this.fake.toString());
		Process process = builder.start();
		process.getOutputStream().close();
		CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
			try {
				return process.getErrorStream().readAllBytes();
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished: %s", List.of(command)).isTrue();
		return new Result(process.exitValue(), out, new String(err.get(), StandardCharsets.UTF_8));
	}

}
