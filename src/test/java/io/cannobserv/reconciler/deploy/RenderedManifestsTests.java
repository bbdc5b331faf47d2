package io.cannobserv.reconciler.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

import io.cannobserv.reconciler.support.NeedsTool;
import io.cannobserv.reconciler.support.NeedsTool.Tool;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manifests as kustomize renders them, on a copy of {@code k8s/} that a test may
 * change: the night's schedule is written once per overlay (changing that one place
 * changes every CronJob that runs the night), the components turn a feature on with its
 * ConfigMap keys and its egress rule together, and the runbooks' base is one value.
 * {@code .ci/validate-deploy.sh} validates the same renderings against the Kubernetes
 * schema.
 */
@NeedsTool(Tool.KUSTOMIZE)
class RenderedManifestsTests {

	private static final String APP = "watcher-link-reconciler";

	private static final List<String> RECONCILE_CRON_JOBS = List.of(APP, APP + "-partitioned");

	@TempDir
	Path copy;

	@Test
	void overlaysWhenRenderedRunBothReconcileCronJobsAtTheirOverlaysOneSchedule() throws IOException {
		Path k8s = copyOfK8s();
		String base = baseSchedule(k8s);
		assertThat(base).isEqualTo("17 2 * * *");
		assertThat(schedules(k8s, "production")).containsExactly(base, base);
		assertThat(schedules(k8s, "production-partitioned")).containsExactly(base, base);
		assertThat(schedules(k8s, "staging")).containsExactly("17 1 * * *", "17 1 * * *");
	}

	@Test
	void scheduleWhenChangedInItsOnePlaceMovesEveryCronJobOfTheNight() throws IOException {
		// given
		Path k8s = copyOfK8s();

		// when: the base's schedule (production's) and staging's are each changed where
		// they are written
		replace(k8s.resolve("base/cronjob.yaml"), "schedule: \"17 2 * * *\"", "schedule: \"5 4 * * *\"");
		replace(k8s.resolve("overlays/staging/kustomization.yaml"), "value: \"17 1 * * *\"", "value: \"45 0 * * *\"");

		// then: both CronJobs of every overlay follow
		assertThat(schedules(k8s, "production")).containsExactly("5 4 * * *", "5 4 * * *");
		assertThat(schedules(k8s, "production-partitioned")).containsExactly("5 4 * * *", "5 4 * * *");
		assertThat(schedules(k8s, "staging")).containsExactly("45 0 * * *", "45 0 * * *");
	}

	@Test
	void componentsWhenAddedTurnOnTheirFeatureWithItsKeysAndItsEgressRule() throws IOException {
		Path k8s = copyOfK8s();
		// neither is on without its component
		List<Map<String, Object>> plain = render(overlayWith(k8s, List.of()));
		assertThat(configMapData(plain)).doesNotContainKeys("MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_ENABLED",
				"RECONCILER_NOTIFY_TIMEOUT");
		assertThat(egressPorts(plain)).containsExactly("UDP/53,TCP/53", "TCP/5432", "TCP/8000");

		List<Map<String, Object>> metrics = render(overlayWith(k8s, List.of("metrics")));
		assertThat(configMapData(metrics))
			.containsEntry("MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_ENABLED", "true")
			.containsEntry("MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_ADDRESS",
					"prometheus-pushgateway.monitoring.svc.cluster.local:9091");
		assertThat(egressPorts(metrics)).containsExactly("UDP/53,TCP/53", "TCP/5432", "TCP/8000", "TCP/9091");

		List<Map<String, Object>> webhook = render(overlayWith(k8s, List.of("webhook")));
		assertThat(configMapData(webhook)).containsKey("RECONCILER_NOTIFY_TIMEOUT");
		assertThat(egressPorts(webhook)).containsExactly("UDP/53,TCP/53", "TCP/5432", "TCP/8000", "TCP/443");

		List<Map<String, Object>> both = render(overlayWith(k8s, List.of("metrics", "webhook")));
		assertThat(egressPorts(both)).containsExactly("UDP/53,TCP/53", "TCP/5432", "TCP/8000", "TCP/9091", "TCP/443");
		// the webhook's URL stays in the Secret, read by both CronJobs
		assertThat(configMapData(both)).doesNotContainKey("RECONCILER_NOTIFY_WEBHOOK_URL");
	}

	@Test
	void billingLinkWhenRenderedIsADeploymentOfItsOwnReadingItsLinkFileAndItsSecret() throws IOException {
		String link = APP + "-billing-customers";
		List<Map<String, Object>> rendered = render(copyOfK8s().resolve("overlays/production-billing-customers"));

		// its own CronJobs, every one reading the link file and this link's Secret
		List<Map<String, Object>> cronJobs = rendered.stream()
			.filter((document) -> "CronJob".equals(document.get("kind")))
			.toList();
		assertThat(cronJobs).extracting(RenderedManifestsTests::name)
			.containsExactlyInAnyOrder(link, APP + "-partitioned-billing-customers", APP + "-prune-billing-customers");
		Map<String, Object> linkFile = rendered.stream()
			.filter((document) -> "ConfigMap".equals(document.get("kind"))
					&& name(document).startsWith(APP + "-link-billing-customers"))
			.findFirst()
			.orElseThrow();
		assertThat(map(linkFile, "data")).containsEntry("link.yaml",
				Files.readString(Path.of("links/billing-customers.yaml")));
		for (Map<String, Object> cronJob : cronJobs) {
			Map<String, Object> pod = map(map(map(map(cronJob, "spec"), "jobTemplate"), "spec"), "template");
			assertThat(map(map(pod, "metadata"), "labels")).as(name(cronJob))
				.containsEntry("reconciler.cannobserv.io/link", "billing-customers");
			assertThat(maps(map(pod, "spec"), "volumes")).as(name(cronJob))
				.anySatisfy((volume) -> assertThat(map(volume, "configMap")).containsEntry("name", name(linkFile)));
			Map<String, Object> container = maps(map(pod, "spec"), "containers").get(0);
			assertThat(maps(container, "volumeMounts")).as(name(cronJob))
				.anySatisfy((mount) -> assertThat(mount).containsEntry("mountPath", "/etc/reconciler/link"));
			List<Object> secrets = maps(container, "env").stream()
				.map((variable) -> variable.get("valueFrom"))
				.filter((from) -> from instanceof Map<?, ?> map && map.containsKey("secretKeyRef"))
				.map((from) -> (Object) ((Map<?, ?>) ((Map<?, ?>) from).get("secretKeyRef")).get("name"))
				.toList();
			assertThat(secrets).as(name(cronJob)).hasSizeGreaterThanOrEqualTo(2).containsOnly(link);
			assertThat(maps(container, "envFrom")).as(name(cronJob))
				.singleElement()
				.satisfies((from) -> assertThat(map(from, "configMapRef")).containsEntry("name", link));
			assertThat(container.get("image")).isEqualTo("ghcr.io/cannobserv/watcher-link-reconciler:0.2.0");
		}
		assertThat(map(single(rendered, "ConfigMap", link), "data"))
			.containsEntry("RECONCILER_LINK_FILE", "/etc/reconciler/link/link.yaml")
			.containsEntry("SPRING_DATASOURCE_URL",
					"jdbc:postgresql://postgresql.billing.svc.cluster.local:5432/billing");

		// a NetworkPolicy of its pods alone: DNS, the billing database, the API over
		// HTTPS
		Map<String, Object> policy = map(single(rendered, "NetworkPolicy", link), "spec");
		assertThat(map(map(policy, "podSelector"), "matchLabels")).containsEntry("reconciler.cannobserv.io/link",
				"billing-customers");
		assertThat(maps(policy, "egress"))
			.extracting((rule) -> String.join(",",
					maps(rule, "ports").stream().map((port) -> port.get("protocol") + "/" + port.get("port")).toList()))
			.containsExactly("UDP/53,TCP/53", "TCP/5432", "TCP/443");
		assertThat(rendered).as("no Namespace: the production overlay creates it")
			.noneMatch((document) -> "Namespace".equals(document.get("kind")));
	}

	@Test
	void monitoringWhenRenderedWithAnotherRunbookBaseLinksEveryAlertThere() throws IOException {
		Path k8s = copyOfK8s();
		replace(k8s.resolve("monitoring/kustomization.yaml"),
				"runbook-base=https://github.com/cannobserv/watcher-link-reconciler/blob/main",
				"runbook-base=https://git.example.org/ops/watcher-link-reconciler/-/blob/main");
		List<Map<String, Object>> rendered = render(k8s.resolve("monitoring"));
		// the base's ConfigMap is only the replacement's source: never applied
		assertThat(rendered).extracting((document) -> name(document))
			.containsExactlyInAnyOrder(APP + "-dashboard", APP);
		List<String> alerts = new ArrayList<>();
		for (Map<String, Object> document : rendered) {
			if ("PrometheusRule".equals(document.get("kind"))) {
				for (Map<String, Object> group : maps(map(document, "spec"), "groups")) {
					for (Map<String, Object> rule : maps(group, "rules")) {
						String alert = (String) rule.get("alert");
						alerts.add(alert);
						assertThat(map(rule, "annotations")).containsEntry("runbook_url",
								"https://git.example.org/ops/watcher-link-reconciler/-/blob/main/docs/runbooks/" + alert
										+ ".md");
					}
				}
			}
		}
		assertThat(alerts).isNotEmpty();
	}

	/** The schedules of the single and the partitioned CronJob, in that order. */
	private List<String> schedules(Path k8s, String overlay) {
		Map<String, String> byName = new LinkedHashMap<>();
		for (Map<String, Object> document : render(k8s.resolve("overlays").resolve(overlay))) {
			if ("CronJob".equals(document.get("kind")) && RECONCILE_CRON_JOBS.contains(name(document))) {
				byName.put(name(document), (String) map(document, "spec").get("schedule"));
			}
		}
		return RECONCILE_CRON_JOBS.stream().map(byName::get).toList();
	}

	private static String baseSchedule(Path k8s) throws IOException {
		Map<String, Object> cronJob = new Yaml(new SafeConstructor(new LoaderOptions()))
			.load(Files.readString(k8s.resolve("base/cronjob.yaml")));
		return (String) map(cronJob, "spec").get("schedule");
	}

	/**
	 * An overlay of production plus {@code components}, as an operator would write it.
	 */
	private Path overlayWith(Path k8s, List<String> components) throws IOException {
		Path overlay = Files.createDirectories(k8s.resolve("overlays/with-" + String.join("-", components)));
		StringBuilder kustomization = new StringBuilder(
				"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../production\n");
		if (!components.isEmpty()) {
			kustomization.append("components:\n");
			components
				.forEach((component) -> kustomization.append("  - ../../components/").append(component).append('\n'));
		}
		Files.writeString(overlay.resolve("kustomization.yaml"), kustomization);
		return overlay;
	}

	private static Map<String, Object> configMapData(List<Map<String, Object>> documents) {
		return map(single(documents, "ConfigMap", APP), "data");
	}

	/** Each egress rule's ports, as PROTOCOL/port joined by commas. */
	private static List<String> egressPorts(List<Map<String, Object>> documents) {
		List<String> rules = new ArrayList<>();
		for (Map<String, Object> rule : maps(map(single(documents, "NetworkPolicy", APP), "spec"), "egress")) {
			assertThat(maps(rule, "to")).as("an egress rule open to every destination").isNotEmpty();
			rules.add(String.join(",",
					maps(rule, "ports").stream()
						.map((port) -> port.get("protocol") + "/" + port.get("port"))
						.toList()));
		}
		return rules;
	}

	private static Map<String, Object> single(List<Map<String, Object>> documents, String kind, String name) {
		List<Map<String, Object>> found = documents.stream()
			.filter((document) -> kind.equals(document.get("kind")) && name.equals(name(document)))
			.toList();
		assertThat(found).as("%s %s", kind, name).hasSize(1);
		return found.get(0);
	}

	private Path copyOfK8s() throws IOException {
		Path target = this.copy.resolve("k8s");
		try (Stream<Path> files = Files.walk(Path.of("k8s"))) {
			for (Path file : files.toList()) {
				Path to = target.resolve(Path.of("k8s").relativize(file).toString());
				if (Files.isDirectory(file)) {
					Files.createDirectories(to);
				}
				else {
					Files.copy(file, to);
				}
			}
		}
		return target;
	}

	private static void replace(Path file, String from, String to) throws IOException {
		String text = Files.readString(file);
		assertThat(text).as(file.toString()).contains(from);
		Files.writeString(file, text.replace(from, to));
	}

	/** The documents kustomize renders from {@code directory}. */
	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> render(Path directory) {
		Path binary = Tool.KUSTOMIZE.path().orElseThrow();
		List<String> command = binary.getFileName().toString().startsWith("kubectl")
				? List.of(binary.toString(), "kustomize", directory.toString())
				: List.of(binary.toString(), "build", directory.toString());
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
			process.getOutputStream().close();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
			assertThat(process.exitValue()).as("%s: %s", command, err).isZero();
			List<Map<String, Object>> documents = new ArrayList<>();
			for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(out)) {
				if (document != null) {
					documents.add((Map<String, Object>) document);
				}
			}
			return documents;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String name(Map<String, Object> document) {
		return (String) map(document, "metadata").get("name");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Map<String, Object> parent, String key) {
		assertThat(parent.get(key)).as(key).isInstanceOf(Map.class);
		return (Map<String, Object>) parent.get(key);
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> maps(Map<String, Object> parent, String key) {
		assertThat(parent.get(key)).as(key).isInstanceOf(List.class);
		return (List<Map<String, Object>>) parent.get(key);
	}

}
