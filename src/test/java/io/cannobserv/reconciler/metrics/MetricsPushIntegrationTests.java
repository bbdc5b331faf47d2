package io.cannobserv.reconciler.metrics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.global.GlobalSettings;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cannobserv.reconciler.support.ArchiverDatabase;
import io.cannobserv.reconciler.support.ArchiverVersion;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.RegistryFixture.PointerClass;
import io.cannobserv.reconciler.support.TestDatabase;
import io.cannobserv.reconciler.support.TestPostgres;
import io.cannobserv.reconciler.support.Ulids;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Metrics leave the short-lived process when it exits: a fake Pushgateway and a fake OTLP
 * collector (WireMock) receive the run's figures, equal to its report.
 */
class MetricsPushIntegrationTests {

	private TestDatabase database;

	private FakeWatcher watcher;

	private RegistryFixture registry;

	private final WireMockServer collector = new WireMockServer(wireMockConfig().dynamicPort());

	@TempDir
	Path reportDir;

	@BeforeEach
	void setUp() {
		this.database = TestPostgres.newDatabase();
		ArchiverDatabase archiver = ArchiverDatabase.createSchema(this.database.jdbc(), ArchiverVersion.V4_10);
		this.watcher = new FakeWatcher().start();
		this.registry = RegistryFixture.create(archiver, this.watcher,
				Mix.none().live(6).gone(3).transientAlways(2).archived(1));
		this.collector.start();
		this.collector.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
	}

	@AfterEach
	void tearDown() {
		this.watcher.stop();
		this.collector.stop();
	}

	@Test
	void reconcileWhenRelinkingFromASnapshotPushesTheReLinksAndTheSnapshot() {
		// given: another WatchedItem tracks the InfoItem of one gone pointer
		String moved = this.registry.ids(PointerClass.GONE).get(0);
		this.watcher.live(Ulids.of("01HZZNEW", 1), moved);

		// when
		Result result = ReconcilerRun.reconcile(this.database, this.watcher, this.reportDir, "--apply", "--relink",
				"--strategy=snapshot", "--management.prometheus.metrics.export.pushgateway.enabled=true",
				"--management.prometheus.metrics.export.pushgateway.address=localhost:" + this.collector.port(),
				"--management.prometheus.metrics.export.pushgateway.format=text");

		// then
		assertThat(result.exitCode()).as(result.err()).isZero();
		List<LoggedRequest> pushes = this.collector.findAll(anyRequestedFor(anyUrl()));
		String body = pushes.get(pushes.size() - 1).getBodyAsString();
		String run = "command=\"reconcile\",mode=\"apply\"";
		String partition = "partition=\"0\",partitions=\"1\"";
		String table = ",table=\"information.info_items(info_item_id,watcher_item_id)\"";
		assertThat(body)
			.contains("reconciler_run_pointers{" + run + ",outcome=\"relinked\"," + partition + table + "} 1.0")
			.contains("reconciler_run_pointers{" + run + ",outcome=\"cleared\"," + partition + table + "} 2.0")
			.contains("reconciler_run_snapshot_items{" + run + "," + partition + table + "} 8.0")
			.contains("reconciler_run_snapshot_fallback{" + run + "," + partition + table + "} 0.0")
			.contains("reconciler_watcher_requests_seconds_count{command=\"reconcile\",endpoint=\"snapshot\","
					+ "mode=\"apply\",outcome=\"answered\"," + partition + ",status=\"2xx\"" + table + "} 1")
			.contains("reconciler_watcher_requests_seconds_count{command=\"reconcile\",endpoint=\"list\","
					+ "mode=\"apply\",outcome=\"answered\"," + partition + ",status=\"2xx\"" + table + "}");
	}

	@Test
	void reconcileWhenPushgatewayIsEnabledPushesRunFiguresGroupedByKindOfRun() {
		Result result = ReconcilerRun.reconcile(this.database, this.watcher, this.reportDir, "--apply",
				"--management.prometheus.metrics.export.pushgateway.enabled=true",
				"--management.prometheus.metrics.export.pushgateway.address=localhost:" + this.collector.port(),
				"--management.prometheus.metrics.export.pushgateway.format=text");

		assertThat(result.exitCode()).as(result.err()).isZero();
		List<LoggedRequest> pushes = this.collector.findAll(anyRequestedFor(anyUrl()));
		LoggedRequest last = pushes.get(pushes.size() - 1);
		assertThat(last.getMethod().getName()).isEqualTo("PUT");
		assertThat(last.getUrl())
			.isEqualTo("/metrics/job/watcher-link-reconciler/command/reconcile/mode/apply/partition/0/partitions/1"
					+ "/table/information.info_items%28info_item_id%2Cwatcher_item_id%29");
		String body = last.getBodyAsString();
		String run = "command=\"reconcile\",mode=\"apply\"";
		String partition = "partition=\"0\",partitions=\"1\"";
		String table = ",table=\"information.info_items(info_item_id,watcher_item_id)\"";
		assertThat(body)
			.contains("reconciler_run_pointers{" + run + ",outcome=\"cleared\"," + partition + table + "} 3.0")
			.contains("reconciler_run_pointers{" + run + ",outcome=\"read\"," + partition + table + "} 12.0")
			.contains("reconciler_run_pointers{" + run + ",outcome=\"transient\"," + partition + table + "} 2.0")
			.contains("reconciler_run_exit_code{" + run + "," + partition + table + "} 0.0")
			.contains("reconciler_run_brake_tripped{" + run + "," + partition + table + "} 0.0")
			.contains("reconciler_run_last_success_timestamp_seconds{" + run + "," + partition + table + "}")
			.contains(
					"reconciler_watcher_requests_seconds_count{command=\"reconcile\",endpoint=\"item\",mode=\"apply\","
							+ "outcome=\"answered\"," + partition + ",status=\"4xx\"" + table + "}")
			.contains("reconciler_watcher_retries_total{" + run + "," + partition + table + "} 8.0")
			.contains("reconciler_watcher_concurrency_limit{" + run + "," + partition + table + "} ")
			.contains("spring_batch_job_seconds_count{command=\"reconcile\",error=\"none\",mode=\"apply\"," + partition
					+ ",spring_batch_job_name=\"watcherLinkReconcileJob\",spring_batch_job_status=\"COMPLETED\"" + table
					+ "} 1");
	}

	@Test
	void reconcileWhenOtlpIsEnabledExportsRunFiguresOnExit() throws Exception {
		Result result = ReconcilerRun.reconcile(this.database, this.watcher, this.reportDir, "--apply",
				"--management.otlp.metrics.export.enabled=true",
				"--management.otlp.metrics.export.url=http://localhost:" + this.collector.port() + "/v1/metrics");

		assertThat(result.exitCode()).as(result.err()).isZero();
		List<LoggedRequest> exports = this.collector.findAll(anyRequestedFor(anyUrl()));
		assertThat(exports).isNotEmpty();
		Map<String, Double> pointers = new HashMap<>();
		for (LoggedRequest export : exports) {
			assertThat(export.getUrl()).isEqualTo("/v1/metrics");
			ExportMetricsServiceRequest request = ExportMetricsServiceRequest.parseFrom(export.getBody());
			request.getResourceMetricsList()
				.forEach((resource) -> resource.getScopeMetricsList()
					.forEach((scope) -> scope.getMetricsList()
						.stream()
						.filter((metric) -> metric.getName().equals("reconciler.run.pointers"))
						.forEach((metric) -> collect(metric, pointers))));
		}
		assertThat(pointers).containsEntry("cleared", 3.0)
			.containsEntry("read", 12.0)
			.containsEntry("gone", 3.0)
			.containsEntry("transient", 2.0)
			.containsEntry("archived", 1.0);
	}

	@Test
	void reconcileWhenOtlpIsEnabledExportsItsProgressWhileItWorksAndEndsNotRunning() throws Exception {
		// given: a Watcher that takes 150 ms per answer, asked one pointer at a time
		this.watcher.server().updateGlobalSettings(GlobalSettings.builder().fixedDelay(150).build());

		// when: the run exports at its progress interval
		Result result = ReconcilerRun.reconcile(this.database, this.watcher, this.reportDir, "--apply",
				"--chunk-size=2", "--concurrency=1", "--reconciler.progress-interval=500ms",
				"--management.otlp.metrics.export.enabled=true",
				"--management.otlp.metrics.export.url=http://localhost:" + this.collector.port() + "/v1/metrics");

		// then: an export while it worked says so, with what it had checked of all; the
		// last one says it no longer runs
		assertThat(result.exitCode()).as(result.err()).isZero();
		List<Map<String, Double>> exports = new ArrayList<>();
		// the newest export is the one of the newest data points, not the last to arrive:
		// a
		// periodic export collected before the run ended can reach the collector after
		// the
		// final one sent at close
		Map<Map<String, Double>, Long> collectedAt = new java.util.IdentityHashMap<>();
		for (LoggedRequest export : this.collector.findAll(anyRequestedFor(anyUrl()))) {
			Map<String, Double> values = new HashMap<>();
			long[] newest = { 0 };
			ExportMetricsServiceRequest.parseFrom(export.getBody())
				.getResourceMetricsList()
				.forEach((resource) -> resource.getScopeMetricsList()
					.forEach((scope) -> scope.getMetricsList().forEach((metric) -> {
						for (NumberDataPoint point : metric.getGauge().getDataPointsList()) {
							String outcome = point.getAttributesList()
								.stream()
								.filter((attribute) -> attribute.getKey().equals("outcome"))
								.map((attribute) -> "{" + attribute.getValue().getStringValue() + "}")
								.findFirst()
								.orElse("");
							values.put(metric.getName() + outcome, point.getAsDouble());
							newest[0] = Math.max(newest[0], point.getTimeUnixNano());
						}
					})));
			exports.add(values);
			collectedAt.put(values, newest[0]);
		}
		assertThat(exports).anySatisfy((values) -> {
			assertThat(values).containsEntry("reconciler.run.running", 1.0)
				.containsEntry("reconciler.run.progress.total.pointers", 12.0);
			assertThat(values.get("reconciler.run.progress.pointers{read}")).isLessThan(12.0);
		});
		Map<String, Double> last = exports.stream().max(java.util.Comparator.comparing(collectedAt::get)).orElseThrow();
		assertThat(last).containsEntry("reconciler.run.running", 0.0)
			.containsEntry("reconciler.run.progress.pointers{read}", 12.0)
			.containsEntry("reconciler.run.pointers{read}", 12.0);
	}

	private static void collect(Metric metric, Map<String, Double> values) {
		for (NumberDataPoint point : metric.getGauge().getDataPointsList()) {
			for (KeyValue attribute : point.getAttributesList()) {
				if (attribute.getKey().equals("outcome")) {
					values.put(attribute.getValue().getStringValue(), point.getAsDouble());
				}
			}
		}
	}

}
