package io.cannobserv.reconciler.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The weekly prune CronJob ({@code k8s/base/prune-cronjob.yaml}): in the base, one at a
 * time, with its own arguments, and otherwise the nightly CronJob's pod: the same
 * ServiceAccount, ConfigMap, Secret (the database's credentials only), restricted
 * security, and exit codes mapped to retry or fail. Reads the YAML files themselves.
 */
class PruneCronJobTests {

	private static final Path BASE = Path.of("k8s", "base");

	private static final String APP = "watcher-link-reconciler";

	@Test
	void pruneCronJobWhenInTheBaseRunsWeeklyOneAtATimeAwayFromTheNightlyRun() throws IOException {
		Map<String, Object> prune = load(BASE.resolve("prune-cronjob.yaml"));
		Map<String, Object> nightly = load(BASE.resolve("cronjob.yaml"));
		assertThat(list(load(BASE.resolve("kustomization.yaml")), "resources")).contains("prune-cronjob.yaml");
		assertThat(prune).containsEntry("kind", "CronJob");
		assertThat(map(prune, "metadata")).containsEntry("name", APP + "-prune");
		Map<String, Object> spec = map(prune, "spec");
		assertThat(spec).containsEntry("concurrencyPolicy", "Forbid")
			.containsEntry("timeZone", "Etc/UTC")
			.doesNotContainKey("suspend");
		// minute hour day-of-month month day-of-week: once a week, hours from the nightly
		// run's start
		String[] schedule = ((String) spec.get("schedule")).split(" ");
		String[] nightlySchedule = ((String) map(nightly, "spec").get("schedule")).split(" ");
		assertThat(schedule).hasSize(5);
		assertThat(schedule[4]).matches("[0-6]");
		assertThat(schedule[2]).isEqualTo("*");
		int hoursApart = Math.floorMod(Integer.parseInt(schedule[1]) - Integer.parseInt(nightlySchedule[1]), 24);
		assertThat(hoursApart).as("hours from the nightly run's start")
			.isGreaterThanOrEqualTo((Integer) jobSpec(nightly).get("activeDeadlineSeconds") / 3600);
	}

	@Test
	void pruneCronJobWhenRunPrunesWithApplyAndNeverRunsThatRestoreCouldStillUndo() throws IOException {
		Map<String, Object> container = container(load(BASE.resolve("prune-cronjob.yaml")));
		assertThat(list(container, "args")).containsExactly("prune", "--apply", "--older-than=90d");
		try (Stream<Path> files = Files.walk(Path.of("k8s"))) {
			for (Path file : files.filter(Files::isRegularFile).toList()) {
				assertThat(Files.readString(file)).as(file.toString())
					.doesNotContain("\"--include-restorable\"")
					.doesNotContain("- --include-restorable");
			}
		}
	}

	@Test
	void prunePodWhenStartedIsTheNightlyPodWithOnlyTheDatabasesCredentials() throws IOException {
		Map<String, Object> prune = load(BASE.resolve("prune-cronjob.yaml"));
		Map<String, Object> nightly = load(BASE.resolve("cronjob.yaml"));
		Map<String, Object> podSpec = podSpec(prune);
		Map<String, Object> nightlyPodSpec = podSpec(nightly);
		for (String key : List.of("serviceAccountName", "automountServiceAccountToken", "securityContext",
				"restartPolicy", "terminationGracePeriodSeconds")) {
			assertThat(podSpec.get(key)).as(key).isEqualTo(nightlyPodSpec.get(key));
		}
		Map<String, Object> container = container(prune);
		Map<String, Object> nightlyContainer = container(nightly);
		for (String key : List.of("name", "image", "envFrom", "securityContext", "volumeMounts")) {
			assertThat(container.get(key)).as(key).isEqualTo(nightlyContainer.get(key));
		}
		// prune never asks Watcher: no key, no webhook; the database's credentials as the
		// nightly run has them
		List<Object> env = list(container, "env");
		assertThat(env).hasSize(2);
		for (Object variable : env) {
			assertThat(list(nightlyContainer, "env")).contains(variable);
			assertThat(((Map<?, ?>) variable).get("name")).isIn("SPRING_DATASOURCE_USERNAME",
					"SPRING_DATASOURCE_PASSWORD");
		}
		assertThat(map(container, "resources")).containsKeys("requests", "limits");
		// the NetworkPolicy selects it: egress to DNS and the database only
		assertThat(map(map(map(jobSpec(prune), "template"), "metadata"), "labels"))
			.containsEntry("app.kubernetes.io/name", APP);
	}

	@Test
	void pruneJobWhenItExitsTwoOrFourFailsAtOnceAndRetriesAnythingElse() throws IOException {
		Map<String, Object> jobSpec = jobSpec(load(BASE.resolve("prune-cronjob.yaml")));
		assertThat(jobSpec).containsEntry("podReplacementPolicy", "Failed")
			.containsKeys("backoffLimit", "activeDeadlineSeconds", "ttlSecondsAfterFinished");
		List<Object> rules = list(map(jobSpec, "podFailurePolicy"), "rules");
		@SuppressWarnings("unchecked")
		Map<String, Object> failJob = (Map<String, Object>) rules.get(0);
		assertThat(failJob).containsEntry("action", "FailJob");
		assertThat(map(failJob, "onExitCodes")).containsEntry("containerName", "reconciler")
			.containsEntry("operator", "In");
		// 1 and 143: a prune stopped goes on where it stopped when run again
		assertThat(list(map(failJob, "onExitCodes"), "values")).containsExactlyInAnyOrder(2, 4);
		assertThat(rules).hasSize(2);
		assertThat(rules.get(1))
			.isEqualTo(Map.of("action", "Ignore", "onPodConditions", List.of(Map.of("type", "DisruptionTarget"))));
	}

	private static Map<String, Object> load(Path file) throws IOException {
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
			assertThat(loaded).as(file.toString()).isInstanceOf(Map.class);
			@SuppressWarnings("unchecked")
			Map<String, Object> document = (Map<String, Object>) loaded;
			return document;
		}
	}

	private static Map<String, Object> jobSpec(Map<String, Object> cronJob) {
		return map(map(map(cronJob, "spec"), "jobTemplate"), "spec");
	}

	private static Map<String, Object> podSpec(Map<String, Object> cronJob) {
		return map(map(jobSpec(cronJob), "template"), "spec");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> container(Map<String, Object> cronJob) {
		List<Object> containers = list(podSpec(cronJob), "containers");
		assertThat(containers).hasSize(1);
		return (Map<String, Object>) containers.get(0);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Map<String, Object> parent, String key) {
		Object value = parent.get(key);
		assertThat(value).as(key).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Map<String, Object> parent, String key) {
		Object value = parent.get(key);
		assertThat(value).as(key).isInstanceOf(List.class);
		return (List<Object>) value;
	}

}
