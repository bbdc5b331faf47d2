package io.cannobserv.reconciler.reconcile;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import io.cannobserv.reconciler.support.ArchiverTestBed;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.RegistryFixture.PointerClass;
import io.cannobserv.reconciler.support.ReportFiles;
import io.cannobserv.reconciler.support.WatcherBodies;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --strategy=auto}, the default, through the command line: a snapshot of Watcher's
 * list from 1000 pointers to check in the run's partition, lookups by id below; the
 * report says which and why. An explicit strategy is kept as set.
 */
class AutoStrategyIntegrationTests {

	@RegisterExtension
	final ArchiverTestBed bed = new ArchiverTestBed();

	@TempDir
	Path reportDir;

	@Test
	void reconcileByDefaultWithFewPointersLooksEachUpAndSaysWhy() throws Exception {
		// given
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().live(8).gone(2));

		// when
		Result result = reconcile("--apply");

		// then
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		assertThat(this.bed.watcher().listRequests()).as("no list asked for").isEmpty();
		JsonNode report = ReportFiles.only(this.reportDir);
		assertThat(report.get("strategy").asString()).isEqualTo("per-item");
		assertThat(report.get("strategyReason").asString())
			.isEqualTo("auto: 10 pointer(s) to check, fewer than the 1000 that make a snapshot worth it");
		assertThat(report.get("snapshot").isNull()).isTrue();
		assertThat(report.get("counts").get("cleared").asLong()).isEqualTo(2);
		assertThat(result.out()).contains("strategy per-item (auto: 10 pointer(s) to check");
		// and how many requests it let in flight: from 8, too few lookups to grow
		JsonNode requests = report.get("requestsInFlight");
		assertThat(requests.get("adaptive").asBoolean()).isTrue();
		assertThat(requests.get("ceiling").asInt()).isEqualTo(64);
		assertThat(requests.get("lowest").asInt()).isEqualTo(8);
		assertThat(result.out()).contains("; requests in flight adaptive 8");
		for (String id : registry.ids(PointerClass.GONE)) {
			assertThat(this.bed.archiver().pointerOf(id)).isNull();
		}
	}

	@Test
	void reconcileByDefaultWithManyPointersTakesASnapshotAndSaysWhy() throws Exception {
		// given
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().live(StrategyChoice.SNAPSHOT_FROM - 3).gone(3));

		// when
		Result result = reconcile("--apply");

		// then one list, and lookups only for the pointers it does not hold
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		assertThat(this.bed.watcher().listRequests()).containsExactly("include_archived=true");
		JsonNode report = ReportFiles.only(this.reportDir);
		assertThat(report.get("strategy").asString()).isEqualTo("snapshot");
		assertThat(report.get("strategyReason").asString()).isEqualTo("auto: at least 1000 pointers to check");
		assertThat(report.get("snapshot").get("used").asBoolean()).isTrue();
		assertThat(report.get("counts").get("fromSnapshot").asLong()).isEqualTo(StrategyChoice.SNAPSHOT_FROM - 3);
		assertThat(report.get("counts").get("cleared").asLong()).isEqualTo(3);
		assertThat(result.out()).contains("strategy snapshot (auto: at least 1000 pointers to check; 997 WatchedItems");
		for (String id : registry.ids(PointerClass.GONE)) {
			assertThat(this.bed.archiver().pointerOf(id)).isNull();
		}
		for (String id : registry.ids(PointerClass.LIVE)) {
			assertThat(this.bed.archiver().pointerOf(id)).isEqualTo(registry.entry(id).watcherItemId());
		}
	}

	@Test
	void reconcileByDefaultWhenTheKeyMayNotReadTheListLooksEachUpInstead() throws Exception {
		// given a key that reads items but not the list (a key scoped so, or a proxy's
		// rule)
		RegistryFixture registry = RegistryFixture.create(this.bed.archiver(), this.bed.watcher(),
				Mix.none().live(StrategyChoice.SNAPSHOT_FROM - 3).gone(3));
		this.bed.watcher()
			.listAnswers(aResponse().withStatus(403)
				.withHeader("Content-Type", "application/json")
				.withBody(WatcherBodies.NOT_AUTHENTICATED));

		// when
		Result result = reconcile("--apply");

		// then the snapshot is not used, and every pointer is looked up as per-item would
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		JsonNode report = ReportFiles.only(this.reportDir);
		assertThat(report.get("strategy").asString()).isEqualTo("snapshot");
		assertThat(report.get("snapshot").get("used").asBoolean()).isFalse();
		assertThat(report.get("snapshot").get("reason").asString()).startsWith("the list was refused: ")
			.contains("HTTP 403");
		assertThat(report.get("counts").get("fromSnapshot").asLong()).isZero();
		assertThat(report.get("counts").get("live").asLong()).isEqualTo(StrategyChoice.SNAPSHOT_FROM - 3);
		assertThat(report.get("counts").get("cleared").asLong()).isEqualTo(3);
		for (String id : registry.ids(PointerClass.GONE)) {
			assertThat(this.bed.archiver().pointerOf(id)).isNull();
		}
	}

	@Test
	void reconcileWithSnapshotSetWhenTheKeyMayNotReadTheListStops() throws Exception {
		// given
		RegistryFixture.create(this.bed.archiver(), this.bed.watcher(), Mix.none().live(5).gone(1));
		this.bed.watcher()
			.listAnswers(aResponse().withStatus(403)
				.withHeader("Content-Type", "application/json")
				.withBody(WatcherBodies.NOT_AUTHENTICATED));

		// when
		Result result = reconcile("--apply", "--strategy=snapshot");

		// then the operator asked for the list: its refusal is the key's problem, as
		// before
		assertThat(result.exitCode()).as(result.out() + result.err()).isNotZero();
		assertThat(result.out() + result.err()).contains("HTTP 403");
		assertThat(this.bed.watcher().itemRequests()).as("no lookup after the refusal")
			.allMatch((request) -> request.getUrl().endsWith("/00000000000000000000000000"));
	}

	@Test
	void reconcileByDefaultCountsThePointersOfItsOwnPartition() throws Exception {
		// given 1200 pointers split in two: about 600 each, fewer than a snapshot needs
		RegistryFixture.create(this.bed.archiver(), this.bed.watcher(), Mix.none().live(1200));

		// when
		Result result = reconcile("--partition=0", "--partitions=2");

		// then
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		assertThat(this.bed.watcher().listRequests()).isEmpty();
		JsonNode report = ReportFiles.only(this.reportDir);
		assertThat(report.get("strategy").asString()).isEqualTo("per-item");
		assertThat(report.get("strategyReason").asString()).startsWith("auto: ").contains("fewer than the 1000");
	}

	@Test
	void reconcileWithAStrategySetKeepsItWhateverTheCount() throws Exception {
		// given
		RegistryFixture.create(this.bed.archiver(), this.bed.watcher(), Mix.none().live(StrategyChoice.SNAPSHOT_FROM));

		// when
		Result result = reconcile("--strategy=per-item");

		// then
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		assertThat(this.bed.watcher().listRequests()).isEmpty();
		JsonNode report = ReportFiles.only(this.reportDir);
		assertThat(report.get("strategy").asString()).isEqualTo("per-item");
		assertThat(report.has("strategyReason")).as("no reason where the strategy was set").isFalse();
		assertThat(result.out()).contains("strategy per-item, no re-link");
	}

	private Result reconcile(String... options) {
		return ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.reportDir, options);
	}

}
