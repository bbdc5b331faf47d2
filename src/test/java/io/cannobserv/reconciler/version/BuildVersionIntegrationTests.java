package io.cannobserv.reconciler.version;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.cannobserv.reconciler.support.ArchiverTestBed;
import io.cannobserv.reconciler.support.ExpectedBuild;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which version did it: every place an operator looks at a run names the build that ran
 * it, its version and its commit (the ECS log:
 * {@code StructuredLoggingIntegrationTests}). The version expected is {@code pom.xml}'s;
 * the commit is the one {@link BuildVersionTests} holds to what git says.
 */
class BuildVersionIntegrationTests {

	private static final BuildVersion BUILD = BuildVersion.current();

	private final JsonMapper json = JsonMapper.builder().build();

	@RegisterExtension
	final ArchiverTestBed bed = new ArchiverTestBed();

	@TempDir
	Path reportDir;

	@Test
	void versionWhenAskedPrintsTheVersionAndCommitOfTheBuild() {
		// when
		Result result = ReconcilerRun.run("--version");

		// then
		assertThat(result.exitCode()).as(result.err()).isZero();
		assertThat(result.out())
			.isEqualTo("watcher-link-reconciler " + ExpectedBuild.version() + ", commit " + BUILD.shortCommit() + "\n");
		assertThat(ReconcilerRun.run("--help").out()).contains("--version");
	}

	@Test
	void reconcileWhenItEndsNamesTheBuildInEveryFormatOfItsReport() throws Exception {
		// given a run
		RegistryFixture.create(this.bed.archiver(), this.bed.watcher(), Mix.none().live(2).gone(1));
		Result run = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.reportDir, "--apply");
		assertThat(run.exitCode()).as(run.err()).isZero();
		String describe = ExpectedBuild.version() + ", commit " + BUILD.shortCommit();

		// then its summary and its report file say which build ran it
		assertThat(run.out()).contains("  version " + describe + "\n");
		JsonNode file = this.json.readTree(Files.readString(this.reportDir.resolve("run-1.json")));
		assertThat(file.path("build").path("version").asString()).isEqualTo(ExpectedBuild.version());
		assertThat(file.path("build").path("commit").isNull() ? null : file.path("build").path("commit").asString())
			.isEqualTo(BUILD.commit());
		// and so does the report rebuilt from the database, in every format
		assertThat(this.json.readTree(report("--format=json").out())).isEqualTo(file);
		assertThat(report("--format=text").out()).contains("  version " + describe + "\n");
		assertThat(report("--format=markdown").out())
			.contains("Version `" + ExpectedBuild.version() + "`, commit `" + BUILD.shortCommit() + "`.");
		assertThat(report("--format=html").out()).contains("version <b data-build>" + describe + "</b>");
		// and the run list
		String list = report().out();
		assertThat(list.lines().findFirst().orElseThrow()).endsWith("VERSION");
		assertThat(list).contains(BUILD.label());
	}

	@Test
	void reconcileWhenMetricsArePushedPushesTheBuildAsAnInfoMetric() {
		// given a stand-in Pushgateway
		RegistryFixture.create(this.bed.archiver(), this.bed.watcher(), Mix.none().live(2).gone(1));
		WireMockServer gateway = new WireMockServer(wireMockConfig().dynamicPort());
		gateway.start();
		try {
			gateway.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));

			// when
			Result run = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.reportDir, "--apply",
					"--management.prometheus.metrics.export.pushgateway.enabled=true",
					"--management.prometheus.metrics.export.pushgateway.address=localhost:" + gateway.port(),
					"--management.prometheus.metrics.export.pushgateway.format=text");

			// then
			assertThat(run.exitCode()).as(run.err()).isZero();
			List<LoggedRequest> pushes = gateway.findAll(anyRequestedFor(anyUrl()));
			String body = pushes.get(pushes.size() - 1).getBodyAsString();
			assertThat(body).containsPattern(Pattern.quote("reconciler_build_info{command=\"reconcile\",commit=\""
					+ ((BUILD.commit() != null) ? BUILD.commit() : "unknown")
					+ "\",mode=\"apply\",partition=\"0\",partitions=\"1\","
					+ "table=\"information.info_items(info_item_id,watcher_item_id)\",version=\""
					+ ExpectedBuild.version() + "\"} 1") + "(\\.0)?\n");
		}
		finally {
			gateway.stop();
		}
	}

	private Result report(String... options) {
		String[] db = this.bed.database().springArgs();
		String[] args = new String[4 + options.length + ((options.length > 0) ? 2 : 0)];
		int i = 0;
		args[i++] = "report";
		args[i++] = db[0];
		args[i++] = db[1];
		args[i++] = db[2];
		if (options.length > 0) {
			args[i++] = "--run";
			args[i++] = "1";
		}
		for (String option : options) {
			args[i++] = option;
		}
		Result result = ReconcilerRun.run(args);
		assertThat(result.exitCode()).as(result.err()).isZero();
		return result;
	}

}
