package io.cannobserv.reconciler.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The properties of the Kubernetes manifests under {@code k8s/} that the job's contract
 * depends on: exit codes mapped to retry or fail, one run at a time, a restricted pod, no
 * secret values in the repository, egress only to DNS, the database and Watcher. Reads
 * the YAML files themselves: no kubectl, no cluster. ({@code .ci/validate-deploy.sh}
 * renders the overlays and validates them against the Kubernetes schema.)
 */
class DeploymentManifestTests {

	private static final Path K8S = Path.of("k8s");

	private static final String APP = "watcher-link-reconciler";

	private static final List<String> CREDENTIALS = List.of("SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD",
			"WATCHER_API_KEY");

	/** The webhook's URL, a secret: Slack's token is its path. */
	private static final String NOTIFY_WEBHOOK_URL = "RECONCILER_NOTIFY_WEBHOOK_URL";

	private static final Pattern SECRET_NAME = Pattern
		.compile("(?i).*(PASSWORD|API_KEY|TOKEN|SECRET|CREDENTIAL|WEBHOOK).*");

	private static List<Document> documents;

	@BeforeAll
	static void loadManifests() throws IOException {
		documents = new ArrayList<>();
		try (Stream<Path> files = Files.walk(K8S)) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
				.sorted()
				.toList()) {
				try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
					for (Object loaded : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
						if (loaded != null) {
							documents.add(new Document(file, loaded));
						}
					}
				}
			}
		}
		assertThat(documents).as("YAML documents under k8s/").isNotEmpty();
	}

	@Test
	void cronJobWhenScheduledNeverRunsTwiceAtOnce() {
		Map<String, Object> cronJob = base("CronJob", APP);
		Map<String, Object> spec = map(cronJob, "spec");
		assertThat(spec).containsEntry("concurrencyPolicy", "Forbid")
			.containsEntry("timeZone", "Etc/UTC")
			.containsKeys("schedule", "startingDeadlineSeconds", "successfulJobsHistoryLimit",
					"failedJobsHistoryLimit");
		assertThat(spec).doesNotContainKey("suspend");
		assertThat(map(base("CronJob", APP + "-partitioned"), "spec")).containsEntry("concurrencyPolicy", "Forbid");
	}

	@Test
	void jobTemplatesWhenExitCodeIsTwoThreeOrFourFailTheJobWithoutRetry() {
		for (Map<String, Object> cronJob : baseCronJobs()) {
			Map<String, Object> jobSpec = jobSpec(cronJob);
			List<Map<String, Object>> rules = maps(map(jobSpec, "podFailurePolicy"), "rules");
			Map<String, Object> failJob = rules.get(0);
			assertThat(failJob).containsEntry("action", "FailJob");
			assertThat(map(failJob, "onExitCodes")).containsEntry("containerName", "reconciler")
				.containsEntry("operator", "In");
			assertThat(list(map(failJob, "onExitCodes"), "values")).containsExactlyInAnyOrder(2, 3, 4);
			assertThat(rules).anySatisfy((rule) -> {
				assertThat(rule).containsEntry("action", "Ignore");
				assertThat(maps(rule, "onPodConditions")).extracting((c) -> c.get("type"))
					.containsExactly("DisruptionTarget");
			});
			// 1 (resumable) and 143 (SIGTERM) must reach the backoff limit: retried,
			// never failed at once or ignored
			for (Map<String, Object> rule : rules) {
				if (rule.containsKey("onExitCodes")) {
					assertThat(list(map(rule, "onExitCodes"), "values")).doesNotContain(0, 1, 143);
				}
			}
			assertThat(jobSpec).containsEntry("podReplacementPolicy", "Failed")
				.containsKeys("activeDeadlineSeconds", "ttlSecondsAfterFinished");
			Map<String, Object> podSpec = podSpec(cronJob);
			assertThat(podSpec).containsEntry("restartPolicy", "Never")
				.containsEntry("terminationGracePeriodSeconds", 30);
		}
		assertThat(jobSpec(base("CronJob", APP))).containsEntry("backoffLimit", 3);
	}

	@Test
	void podsWhenStartedRunRestrictedAndNonRoot() {
		for (Map<String, Object> cronJob : baseCronJobs()) {
			Map<String, Object> podSpec = podSpec(cronJob);
			Map<String, Object> podSecurity = map(podSpec, "securityContext");
			assertThat(podSecurity).containsEntry("runAsNonRoot", true).containsEntry("runAsUser", 10001);
			assertThat(map(podSecurity, "seccompProfile")).containsEntry("type", "RuntimeDefault");
			Map<String, Object> security = map(reconciler(cronJob), "securityContext");
			assertThat(security).containsEntry("runAsNonRoot", true)
				.containsEntry("runAsUser", 10001)
				.containsEntry("readOnlyRootFilesystem", true)
				.containsEntry("allowPrivilegeEscalation", false);
			assertThat(list(map(security, "capabilities"), "drop")).containsExactly("ALL");
			assertThat(map(security, "capabilities")).doesNotContainKey("add");
			assertThat(map(security, "seccompProfile")).containsEntry("type", "RuntimeDefault");
			assertThat(security).doesNotContainKey("privileged");
		}
	}

	@Test
	void podsWhenWritingUseEmptyDirsForReportsAndTmp() {
		for (Map<String, Object> cronJob : baseCronJobs()) {
			Map<String, Object> container = reconciler(cronJob);
			assertThat(maps(container, "volumeMounts")).extracting((m) -> m.get("mountPath"))
				.containsExactlyInAnyOrder("/reports", "/tmp");
			assertThat(maps(podSpec(cronJob), "volumes"))
				.allSatisfy((volume) -> assertThat(volume).containsKey("emptyDir"));
			assertThat(envFromConfigMap(container)).isEqualTo(APP);
		}
		assertThat(map(base("ConfigMap", APP), "data")).containsEntry("RECONCILER_REPORT_DIR", "/reports")
			.containsEntry("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs")
			.containsKeys("SPRING_DATASOURCE_URL", "WATCHER_BASE_URL");
	}

	@Test
	void containersWhenScheduledHaveRequestsAndLimits() {
		for (Map<String, Object> cronJob : baseCronJobs()) {
			Map<String, Object> resources = map(reconciler(cronJob), "resources");
			assertThat(map(resources, "requests")).containsKeys("cpu", "memory");
			assertThat(map(resources, "limits")).containsKeys("cpu", "memory").containsEntry("memory", "512Mi");
		}
	}

	@Test
	void reconcileWhenScheduledPassesApplyExplicitly() {
		for (Map<String, Object> cronJob : baseCronJobs()) {
			assertThat(list(reconciler(cronJob), "args")).containsExactly("reconcile", "--apply");
		}
		// no overlay or patch anywhere turns the scheduled run into a dry run
		for (Document document : documents) {
			document.walk((path, node) -> {
				if (node instanceof Map<?, ?> m && m.get("args") instanceof List<?> args
						&& args.contains("reconcile")) {
					assertThat(args.contains("--apply")).as("--apply in the args at %s in %s", path, document.file())
						.isTrue();
				}
			});
		}
	}

	@Test
	void repositoryWhenScannedHoldsNoSecretValues() {
		for (Document document : documents) {
			if ("Secret".equals(document.kind())) {
				assertThat(document.map()).as("Secret in %s", document.file()).doesNotContainKeys("data", "stringData");
			}
			if ("Kustomization".equals(document.kind()) || "Component".equals(document.kind())) {
				assertThat(document.map()).as(document.file().toString()).doesNotContainKey("secretGenerator");
			}
			if ("ConfigMap".equals(document.kind()) && document.map().get("data") instanceof Map<?, ?> data) {
				assertThat(data.keySet()).as("ConfigMap keys in %s", document.file())
					.noneMatch((key) -> SECRET_NAME.matcher(key.toString()).matches());
			}
			// an env var that looks like a credential never carries a literal value
			document.walk((path, node) -> {
				if (node instanceof Map<?, ?> env && env.get("name") instanceof String name && env.containsKey("value")
						&& SECRET_NAME.matcher(name).matches()) {
					throw new AssertionError("literal value for " + name + " at " + path + " in " + document.file());
				}
			});
		}
	}

	@Test
	void credentialsWhenInjectedComeFromTheSecretByKey() {
		for (Map<String, Object> cronJob : baseCronJobs()) {
			List<Map<String, Object>> env = maps(reconciler(cronJob), "env");
			for (String credential : CREDENTIALS) {
				assertThat(env).as(credential).anySatisfy((variable) -> {
					assertThat(variable).containsEntry("name", credential).doesNotContainKey("value");
					Map<String, Object> secretKeyRef = map(map(variable, "valueFrom"), "secretKeyRef");
					assertThat(secretKeyRef).containsEntry("name", APP).containsEntry("key", credential);
				});
			}
		}
	}

	@Test
	void notificationWebhookWhenInjectedComesFromTheSecretAndIsOptional() {
		for (Map<String, Object> cronJob : baseCronJobs()) {
			List<Map<String, Object>> env = maps(reconciler(cronJob), "env");
			assertThat(env).anySatisfy((variable) -> {
				assertThat(variable).containsEntry("name", NOTIFY_WEBHOOK_URL).doesNotContainKey("value");
				// a Secret without the key runs the job without notifications, as before
				assertThat(map(map(variable, "valueFrom"), "secretKeyRef")).containsEntry("name", APP)
					.containsEntry("key", NOTIFY_WEBHOOK_URL)
					.containsEntry("optional", true);
			});
		}
	}

	@Test
	void serviceAccountWhenUsedMountsNoToken() {
		assertThat(base("ServiceAccount", APP)).containsEntry("automountServiceAccountToken", false);
		for (Map<String, Object> cronJob : baseCronJobs()) {
			assertThat(podSpec(cronJob)).containsEntry("serviceAccountName", APP)
				.containsEntry("automountServiceAccountToken", false);
		}
	}

	@Test
	void networkPolicyWhenAppliedAllowsEgressOnlyToDnsDatabaseAndWatcher() {
		Map<String, Object> spec = map(base("NetworkPolicy", APP), "spec");
		assertThat(list(spec, "policyTypes")).containsExactlyInAnyOrder("Ingress", "Egress");
		assertThat(spec).doesNotContainKey("ingress");
		Set<String> ports = new HashSet<>();
		for (Map<String, Object> rule : maps(spec, "egress")) {
			assertThat(rule).as("an egress rule open to every destination").containsKey("to");
			assertThat(maps(rule, "to")).isNotEmpty();
			for (Map<String, Object> port : maps(rule, "ports")) {
				ports.add(port.get("protocol") + "/" + port.get("port"));
			}
		}
		assertThat(ports).containsExactlyInAnyOrder("UDP/53", "TCP/53", "TCP/5432", "TCP/8000");
		// the policy selects the job's pods
		Map<String, Object> selector = map(map(spec, "podSelector"), "matchLabels");
		for (Map<String, Object> cronJob : baseCronJobs()) {
			Map<String, Object> labels = map(map(map(map(map(cronJob, "spec"), "jobTemplate"), "spec"), "template"),
					"metadata");
			assertThat(map(labels, "labels")).containsAllEntriesOf(selector);
		}
	}

	@Test
	void partitionedJobWhenIndexedTakesItsPartitionFromTheCompletionIndex() {
		Map<String, Object> cronJob = base("CronJob", APP + "-partitioned");
		// a template: it runs on demand or when an overlay resumes it, never beside the
		// single run by default
		assertThat(map(cronJob, "spec")).containsEntry("suspend", true);
		Map<String, Object> jobSpec = jobSpec(cronJob);
		assertThat(jobSpec).containsEntry("completionMode", "Indexed")
			.containsKeys("backoffLimitPerIndex", "maxFailedIndexes");
		assertThat(jobSpec.get("parallelism")).isEqualTo(jobSpec.get("completions"));
		assertThat((Integer) jobSpec.get("completions")).isGreaterThan(1);
		List<Map<String, Object>> env = maps(reconciler(cronJob), "env");
		assertThat(env).anySatisfy((variable) -> {
			assertThat(variable).containsEntry("name", "RECONCILER_PARTITION");
			assertThat(map(map(variable, "valueFrom"), "fieldRef")).containsEntry("fieldPath",
					"metadata.annotations['batch.kubernetes.io/job-completion-index']");
		});
		assertThat(env).anySatisfy((variable) -> assertThat(variable).containsEntry("name", "RECONCILER_PARTITIONS")
			.containsEntry("value", String.valueOf(jobSpec.get("completions"))));
	}

	@Test
	void partitionedJobWhenPacedTakesItsShareOfTheRunsOneRateCap() {
		// the cap is written once, RECONCILER_WATCHER_MAX_REQUESTS_PER_SECOND in the
		// ConfigMap
		// (or the default): each partition's process divides it by RECONCILER_PARTITIONS
		// itself
		List<Map<String, Object>> env = maps(reconciler(base("CronJob", APP + "-partitioned")), "env");
		assertThat(env).extracting((variable) -> variable.get("name"))
			.doesNotContain("RECONCILER_WATCHER_MAX_REQUESTS_PER_SECOND");
		for (Document document : documents) {
			document.walk((path, node) -> {
				if (node instanceof Map<?, ?> map) {
					for (Object key : map.keySet()) {
						boolean rate = key.toString().contains("MAX_REQUESTS_PER_SECOND") || ("name".equals(key)
								&& String.valueOf(map.get(key)).contains("MAX_REQUESTS_PER_SECOND"));
						if (rate) {
							assertThat("ConfigMap".equals(document.kind()) && path.equals(".data"))
								.as("a request-rate setting at %s%s in %s: only the ConfigMap's data sets it", path,
										"." + key, document.file())
								.isTrue();
						}
					}
				}
			});
		}
	}

	@Test
	void overlaysWhenImageTagMovesPullItAtEveryStartOrPinADigest() throws IOException {
		Pattern release = Pattern.compile("\\d+\\.\\d+\\.\\d+([-+][0-9A-Za-z.-]+)?");
		List<Path> overlays;
		try (Stream<Path> dirs = Files.list(K8S.resolve("overlays"))) {
			overlays = dirs.filter(Files::isDirectory).sorted().toList();
		}
		int moving = 0;
		for (Path overlay : overlays) {
			Map<String, Object> kustomization = document(overlay.resolve("kustomization.yaml"));
			if (!kustomization.containsKey("images")) {
				continue;
			}
			for (Map<String, Object> image : maps(kustomization, "images")) {
				if (image.containsKey("digest") || release.matcher(String.valueOf(image.get("newTag"))).matches()) {
					continue;
				}
				moving++;
				// a moving tag (main, latest): every CronJob must pull it at each start
				assertThat(maps(kustomization, "patches"))
					.as("patches of %s, whose tag %s moves", overlay, image.get("newTag"))
					.anySatisfy((patch) -> {
						assertThat(map(patch, "target")).containsEntry("kind", "CronJob").doesNotContainKey("name");
						List<Map<String, Object>> operations = jsonPatch(overlay.resolve((String) patch.get("path")));
						assertThat(operations).anySatisfy((operation) -> assertThat(operation)
							.containsEntry("path", "/spec/jobTemplate/spec/template/spec/containers/0/imagePullPolicy")
							.containsEntry("value", "Always"));
					});
			}
		}
		assertThat(moving).as("overlays on a moving tag (staging)").isPositive();
	}

	@Test
	void prometheusRuleWhenComparedHoldsTheGroupsOfThePlainRulesFileWordForWord() {
		Map<String, Object> rule = document(K8S.resolve("monitoring/prometheusrule.yaml"));
		Map<String, Object> rulesFile = document(K8S.resolve("monitoring/alerts.rules.yaml"));
		// promtool checks and tests the plain file; the PrometheusRule must say exactly
		// the same
		assertThat(rule).containsEntry("apiVersion", "monitoring.coreos.com/v1")
			.containsEntry("kind", "PrometheusRule")
			.containsOnlyKeys("apiVersion", "kind", "metadata", "spec");
		assertThat(map(rule, "spec")).containsOnlyKeys("groups");
		assertThat(rulesFile).containsOnlyKeys("groups");
		assertThat(map(rule, "spec").get("groups"))
			.as("spec.groups of k8s/monitoring/prometheusrule.yaml: copy the groups of alerts.rules.yaml")
			.isEqualTo(rulesFile.get("groups"));
	}

	@Test
	void monitoringWhenAppliedShipsTheRuleAndTheDashboardForGrafanasSidecar() {
		Map<String, Object> kustomization = document(K8S.resolve("monitoring/kustomization.yaml"));
		assertThat(list(kustomization, "resources")).containsExactly("prometheusrule.yaml");
		// the dashboard's ConfigMap; the other generator is the runbooks' base,
		// local-config,
		// which is never applied
		assertThat(maps(kustomization, "configMapGenerator")).hasSize(2)
			.filteredOn((generator) -> generator.containsKey("files"))
			.singleElement()
			.satisfies((generator) -> {
				assertThat(list(generator, "files")).singleElement().asString().endsWith("=dashboard.json");
				assertThat(map(map(generator, "options"), "labels")).containsEntry("grafana_dashboard", "1");
			});
		assertThat(maps(kustomization, "configMapGenerator"))
			.filteredOn((generator) -> generator.containsKey("literals"))
			.singleElement()
			.satisfies((generator) -> assertThat(map(map(generator, "options"), "annotations"))
				.containsEntry("config.kubernetes.io/local-config", "true"));
		// apart from the overlays: a cluster without the Prometheus Operator has no
		// PrometheusRule kind
		for (Document document : documents) {
			if ("Kustomization".equals(document.kind())
					&& document.map().get("resources") instanceof List<?> resources) {
				assertThat(resources).as("resources of %s", document.file())
					.noneMatch((r) -> r.toString().contains("monitoring"));
			}
		}
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> jsonPatch(Path file) {
		Object root = documents.stream()
			.filter((d) -> d.file().equals(file))
			.map(Document::root)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no patch " + file));
		assertThat(root).as(file.toString()).isInstanceOf(List.class);
		return (List<Map<String, Object>>) root;
	}

	@Test
	void billingLinkWhenDeployedShipsTheLinkFileAsItIsAndProductionsImage() throws IOException {
		// kustomize reads no file outside its directory: the deployment holds a copy
		// a link file is UTF-8 whatever the machine's locale (a bare container's is
		// ASCII)
		assertThat(K8S.resolve("links/billing-customers/link.yaml")).usingCharset(StandardCharsets.UTF_8)
			.hasSameTextualContentAs(Path.of("links/billing-customers.yaml"), StandardCharsets.UTF_8);
		Map<String, Object> production = document(K8S.resolve("overlays/production/kustomization.yaml"));
		Map<String, Object> billing = document(K8S.resolve("overlays/production-billing-customers/kustomization.yaml"));
		assertThat(maps(billing, "images")).isEqualTo(maps(production, "images"));
		assertThat(billing.get("namespace")).isEqualTo(production.get("namespace"));
		assertThat(billing.get("labels")).isEqualTo(production.get("labels"));
	}

	@Test
	void overlaysWhenRenderedSetNamespaceAndImageTag() throws IOException {
		List<Path> overlays;
		try (Stream<Path> dirs = Files.list(K8S.resolve("overlays"))) {
			overlays = dirs.filter(Files::isDirectory).sorted().toList();
		}
		assertThat(overlays).extracting((p) -> p.getFileName().toString()).contains("staging", "production");
		for (String name : List.of("staging", "production")) {
			Map<String, Object> kustomization = document(
					K8S.resolve("overlays").resolve(name).resolve("kustomization.yaml"));
			assertThat(kustomization.get("namespace")).as(name).isInstanceOf(String.class);
			assertThat(list(kustomization, "resources")).as(name).contains("../../base");
			assertThat(maps(kustomization, "images")).as(name)
				.singleElement()
				.satisfies((image) -> assertThat(image).containsEntry("name", APP).containsKey("newTag"));
		}
		// the nightly-partitioned component swaps which CronJob runs, never both
		Map<String, Object> component = document(K8S.resolve("components/nightly-partitioned/kustomization.yaml"));
		assertThat(component).containsEntry("kind", "Component");
		assertThat(maps(component, "patches")).hasSize(2);
	}

	private record Document(Path file, Object root) {

		@SuppressWarnings("unchecked")
		Map<String, Object> map() {
			return (this.root instanceof Map<?, ?>) ? (Map<String, Object>) this.root : Map.of();
		}

		String kind() {
			return (String) map().get("kind");
		}

		String name() {
			return (map().get("metadata") instanceof Map<?, ?> metadata) ? (String) metadata.get("name") : null;
		}

		void walk(java.util.function.BiConsumer<String, Object> visitor) {
			walk("", this.root, visitor);
		}

		private static void walk(String path, Object node, java.util.function.BiConsumer<String, Object> visitor) {
			visitor.accept(path, node);
			if (node instanceof Map<?, ?> m) {
				m.forEach((key, value) -> walk(path + "." + key, value, visitor));
			}
			else if (node instanceof List<?> l) {
				for (int i = 0; i < l.size(); i++) {
					walk(path + "[" + i + "]", l.get(i), visitor);
				}
			}
		}

	}

	private static Map<String, Object> base(String kind, String name) {
		return documents.stream()
			.filter((d) -> d.file().startsWith(K8S.resolve("base")) && kind.equals(d.kind()) && name.equals(d.name()))
			.map(Document::map)
			.reduce((a, b) -> {
				throw new AssertionError("two " + kind + " " + name + " in k8s/base");
			})
			.orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in k8s/base"));
	}

	private static List<Map<String, Object>> baseCronJobs() {
		return List.of(base("CronJob", APP), base("CronJob", APP + "-partitioned"));
	}

	private static Map<String, Object> document(Path file) {
		return documents.stream()
			.filter((d) -> d.file().equals(file))
			.map(Document::map)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no document in " + file));
	}

	private static Map<String, Object> jobSpec(Map<String, Object> cronJob) {
		return map(map(map(cronJob, "spec"), "jobTemplate"), "spec");
	}

	private static Map<String, Object> podSpec(Map<String, Object> cronJob) {
		return map(map(jobSpec(cronJob), "template"), "spec");
	}

	private static Map<String, Object> reconciler(Map<String, Object> cronJob) {
		List<Map<String, Object>> containers = maps(podSpec(cronJob), "containers");
		assertThat(containers).extracting((c) -> c.get("name")).containsExactly("reconciler");
		return containers.get(0);
	}

	private static String envFromConfigMap(Map<String, Object> container) {
		return (String) map(maps(container, "envFrom").get(0), "configMapRef").get("name");
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

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> maps(Map<String, Object> parent, String key) {
		List<Object> list = list(parent, key);
		assertThat(list).as(key).allMatch(Map.class::isInstance);
		return (List<Map<String, Object>>) (List<?>) list;
	}

}
