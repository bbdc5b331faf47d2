package io.cannobserv.reconciler.report;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.support.ArchiverDatabase;
import io.cannobserv.reconciler.support.ArchiverVersion;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.NeedsTool;
import io.cannobserv.reconciler.support.NeedsTool.Tool;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.RegistryFixture.PointerClass;
import io.cannobserv.reconciler.support.TestDatabase;
import io.cannobserv.reconciler.support.TestPostgres;
import io.cannobserv.reconciler.support.Ulids;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTML report as a real browser shows it: Debian's headless Chromium loads the page
 * written by {@code report --format html --output}, from a file, with networking off, and
 * the figures must be in the DOM it built and in the pixels it drew. Skipped, saying so,
 * where Chromium is not installed, except in CI, which requires it.
 */
@NeedsTool(Tool.CHROMIUM)
class HtmlReportBrowserTests {

	private static final String SCRIPT_POINTER = "<script>document.title='owned'</script>";

	@TempDir
	static Path dir;

	private static RegistryFixture registry;

	private static long applyRunId;

	private static Path page;

	@BeforeAll
	static void reportOfTwoRuns() {
		TestDatabase database = TestPostgres.newDatabase();
		ArchiverDatabase archiver = ArchiverDatabase.createSchema(database.jdbc(), ArchiverVersion.V4_10);
		try (FakeWatcher watcher = new FakeWatcher().start()) {
			registry = RegistryFixture.create(archiver, watcher,
					Mix.none()
						.live(20)
						.archived(3)
						.gone(6)
						.notFoundUnconfirmed(4)
						.transientAlways(3)
						.mismatched(2)
						.malformed(1));
			archiver.insertItem(Ulids.of("01HZZXSS", 1), SCRIPT_POINTER);
			Path reports = dir.resolve("reports");
			assertThat(ReconcilerRun.reconcile(database, watcher, reports).exitCode()).isZero();
			assertThat(ReconcilerRun.reconcile(database, watcher, reports, "--apply").exitCode()).isZero();
		}
		applyRunId = database.jdbc()
			.queryForObject("SELECT max(run_id) FROM watcher_link_reconciler.reconcile_run", Long.class);
		page = dir.resolve("report.html");
		Result result = ReconcilerRun.run(concat(database.springArgs(), "report", "--run", String.valueOf(applyRunId),
				"--format=html", "--output=" + page));
		assertThat(result.exitCode()).as(result.err()).isZero();
	}

	@Test
	void htmlReportWhenLoadedInChromiumShowsTheFiguresChartsAndItems() throws Exception {
		String dom = HeadlessChromium.dumpDom(page);

		assertThat(dom).contains("<title>Run " + applyRunId + " · Watcher link reconciler</title>")
			.contains("<h1>Run " + applyRunId + " <span class=\"badge status-COMPLETED\">COMPLETED</span></h1>");
		assertThat(kpi(dom, "checked")).isEqualTo("40");
		assertThat(kpi(dom, "cleared")).isEqualTo("6");
		assertThat(kpi(dom, "transient")).isEqualTo("3");
		assertThat(kpi(dom, "notFoundUnconfirmed")).isEqualTo("4");
		// one bar label per verdict, with its count
		assertThat(countLabel(dom, "LIVE")).isEqualTo("20");
		assertThat(countLabel(dom, "ARCHIVED")).isEqualTo("3");
		assertThat(countLabel(dom, "GONE")).isEqualTo("6");
		assertThat(countLabel(dom, "NOT_FOUND_UNCONFIRMED")).isEqualTo("4");
		assertThat(countLabel(dom, "MISMATCHED")).isEqualTo("2");
		assertThat(countLabel(dom, "MALFORMED")).isEqualTo("2");
		assertThat(countLabel(dom, "TRANSIENT")).isEqualTo("3");
		assertThat(count(dom, "<rect class=\"bar\"")).isEqualTo(7);
		// the trend: the dry run and the apply run, three series each, this run shaded
		assertThat(count(dom, "<circle class=\"point\"")).isEqualTo(2 * 3);
		assertThat(count(dom, "<polyline class=\"line\"")).isEqualTo(3);
		assertThat(dom).contains("data-series=\"cleared\" data-run=\"" + applyRunId + "\" data-value=\"6\"")
			.contains("<rect class=\"current\"");
		// every cleared pointer, with Watcher's typed 404 as evidence
		for (String id : registry.ids(PointerClass.GONE)) {
			assertThat(dom).contains("<td class=\"mono\">" + id + "</td>");
		}
		assertThat(dom).contains("{\"detail\":\"WatchedItem not found\"}");
		// the junk pointer stayed text: the browser made no script element of it
		assertThat(dom).doesNotContain("<script").contains("&lt;script&gt;document.title='owned'&lt;/script&gt;");
		assertThat(dom).doesNotContain("<title>owned");
	}

	@Test
	void htmlReportWhenScreenshotIsTakenDrawsTheCharts(@TempDir Path shots) throws Exception {
		Path png = shots.resolve("report.png");

		HeadlessChromium.screenshot(page, png, 1800);

		assertThat(png).exists();
		assertThat(Files.size(png)).isGreaterThan(40_000);
		BufferedImage image = ImageIO.read(png.toFile());
		assertThat(image.getWidth()).isEqualTo(1280);
		assertThat(image.getHeight()).isEqualTo(1800);
		// the bars and lines were painted in their own colours, not only put in the DOM
		assertThat(pixelsOf(image, Outcome.CLEARED.colour())).isGreaterThan(200);
		assertThat(pixelsOf(image, Outcome.TRANSIENT.colour())).isGreaterThan(200);
		assertThat(pixelsOf(image, Outcome.LIVE.colour())).isGreaterThan(200);
	}

	private static String kpi(String dom, String key) {
		return group(dom,
				"data-kpi=\"" + key + "\"[^>]*><div class=\"label\">[^<]*</div><div class=\"value\">([^<]*)<");
	}

	private static String countLabel(String dom, String verdict) {
		return group(dom,
				"<text class=\"value\" data-verdict=\"" + verdict + "\"[^>]*><tspan class=\"count\">([^<]*)<");
	}

	private static String group(String text, String regex) {
		Matcher matcher = Pattern.compile(regex).matcher(text);
		assertThat(matcher.find()).as("%s in the DOM", regex).isTrue();
		return matcher.group(1);
	}

	private static int count(String text, String needle) {
		return text.split(Pattern.quote(needle), -1).length - 1;
	}

	/**
	 * Pixels within a small distance of {@code hex}: antialiasing blends only the edges.
	 */
	private static int pixelsOf(BufferedImage image, String hex) {
		int colour = Integer.parseInt(hex.substring(1), 16);
		int count = 0;
		for (int y = 0; y < image.getHeight(); y++) {
			for (int x = 0; x < image.getWidth(); x++) {
				int rgb = image.getRGB(x, y);
				if (Math.abs(((rgb >> 16) & 0xff) - ((colour >> 16) & 0xff)) <= 4
						&& Math.abs(((rgb >> 8) & 0xff) - ((colour >> 8) & 0xff)) <= 4
						&& Math.abs((rgb & 0xff) - (colour & 0xff)) <= 4) {
					count++;
				}
			}
		}
		return count;
	}

	private static String[] concat(String[] springArgs, String... args) {
		return Stream.concat(Stream.of(args), Stream.of(springArgs)).toArray(String[]::new);
	}

}
