package io.cannobserv.reconciler.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.cannobserv.reconciler.report.RunReport.ClearedPointer;
import io.cannobserv.reconciler.report.RunReport.RelinkedPointer;
import io.cannobserv.reconciler.report.RunReport.SkippedPointer;
import io.cannobserv.reconciler.report.TextRunList.Column;
import io.cannobserv.reconciler.run.BrakeState;
import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.run.RunCounts;
import io.cannobserv.reconciler.run.Words;

/**
 * A run, or the run list, as one self-contained HTML page: inline CSS (the
 * {@code report.css} resource), inline SVG charts, no script and nothing fetched, so it
 * can be mailed, attached to a ticket or opened from a CronJob's volume. Every value from
 * the database or from Watcher is escaped. A page is its sections, each a method, in
 * order.
 */
final class HtmlReport {

	/** Rows of each item table; past that the JSON report has them all. */
	static final int ITEM_LIMIT = 1000;

	private static final String CSS = stylesheet();

	private HtmlReport() {
	}

	/**
	 * One run's page.
	 * @param report the run
	 * @param trend the runs of its table and partition up to it, oldest first
	 * @param schema the job schema it was read from
	 * @param now when the page is made
	 */
	static String run(RunReport report, List<RunSummary> trend, String schema, Instant now, Words words) {
		StringBuilder html = new StringBuilder(16_384);
		head(html, "Run " + report.runId() + " · Watcher link reconciler");
		runHeader(html, report, words);
		alerts(html, report, words);
		kpis(html, report, words);
		// what needs a look before what went well
		keptSection(html, report, words);
		charts(html, report, trend);
		clearedSection(html, report, words);
		relinkedSection(html, report, words);
		footer(html, schema, now);
		return html.toString();
	}

	private static void runHeader(StringBuilder html, RunReport report, Words words) {
		html.append("<header><div class=\"eyebrow\">Watcher link reconciler · run report</div>");
		html.append("<h1>Run ").append(report.runId()).append(' ');
		badge(html, "status-" + report.summary().displayStatus(), report.summary().displayStatus());
		html.append("</h1><p class=\"meta\"><b>").append(Html.text(report.mode().label())).append("</b>");
		html.append(" · table <b>").append(Html.text(report.table())).append("</b>");
		if (report.partitions() > 1) {
			html.append(" · partition <b>")
				.append(report.partition())
				.append(" of ")
				.append(report.partitions())
				.append("</b>");
		}
		html.append(" · exit code <b>").append(report.exitCode()).append("</b>");
		html.append(" · started <b>").append(Figures.time(report.startedAt())).append("</b>");
		html.append(" · <b>").append(Html.text(report.summary().durations())).append("</b>");
		html.append(" · <span data-strategy=\"")
			.append(report.strategy().label())
			.append("\">")
			.append(Html.text(RunReports.describeStrategy(report, words)))
			.append("</span>");
		html.append(" · ")
			.append(report.executions())
			.append((report.executions() == 1) ? " execution" : " executions");
		html.append(" · version <b data-build>").append(Html.text(Figures.build(report.build()))).append("</b>");
		html.append("</p></header>");
	}

	private static void alerts(StringBuilder html, RunReport report, Words words) {
		RunSummary run = report.summary();
		if (report.exitMessage() != null && !run.halted()) {
			html.append("<div class=\"alert\" data-alert=\"stopped\"><b>Stopped because:</b> ")
				.append(Html.text(report.exitMessage()));
			if (report.exitCode() == 1) {
				html.append(
						" <span class=\"note\">Run the same command again to resume from the last committed chunk.</span>");
			}
			html.append("</div>");
		}
		RunReport.Snapshot snapshot = report.snapshot();
		if (snapshot != null && !snapshot.used()) {
			html.append("<div class=\"alert warn\" data-alert=\"snapshot\"><b>Snapshot not used:</b> ")
				.append(Html.text(String.valueOf(snapshot.reason())))
				.append(" <span class=\"note\">Every pointer was looked up by id, as with --strategy=per-item.</span></div>");
		}
		RunReport.Brake brake = report.brake();
		if (brake.state() == BrakeState.CLEAR) {
			return;
		}
		boolean halted = brake.state() == BrakeState.TRIPPED;
		html.append("<div class=\"alert")
			.append(halted ? " halt" : " warn")
			.append("\" data-alert=\"brake\"><b>")
			.append(halted ? "Halted by the safety brake" : "Safety brake: an applying run would halt")
			.append("</b>");
		if (halted) {
			html.append(" before writing a chunk of ").append(Figures.count(brake.notWritten())).append(" pointers");
		}
		html.append(": ").append(Html.text(String.valueOf(brake.message()))).append('.');
		if (halted && (!report.wouldClear().isEmpty() || !report.wouldRelink().isEmpty())) {
			html.append("<p><b>To judge:</b> the pointers that chunk would have cleared or re-linked, with "
					+ Html.text(words.api()) + "'s answer.</p>");
			pointerTable(html, report.wouldClear(), report.runId(), words);
			if (!report.wouldRelink().isEmpty()) {
				relinkTable(html, report.wouldRelink(), report.runId(), words);
			}
		}
		html.append("<p><b>Next:</b></p><ul class=\"next\">");
		for (Actions.Step step : Actions.next(report, words)) {
			html.append("<li>")
				.append(Html.text(capitalised(step.why())))
				.append(": <code>")
				.append(Html.text(step.command()))
				.append("</code></li>");
		}
		html.append("</ul></div>");
	}

	private static String capitalised(String text) {
		return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

	private static void kpis(StringBuilder html, RunReport report, Words words) {
		RunCounts counts = report.counts();
		html.append("<section class=\"kpis\">");
		kpi(html, "checked", Outcome.READ.label(), counts.get(Outcome.READ), "pointers read", Outcome.READ.colour());
		if (report.summary().applied()) {
			kpi(html, Outcome.CLEARED, counts,
					Figures.percent(counts.get(Outcome.CLEARED), counts.get(Outcome.READ)) + " of checked · "
							+ Figures.count(counts.get(Outcome.CHANGED_CONCURRENTLY)) + " "
							+ Outcome.CHANGED_CONCURRENTLY.lowerLabel());
		}
		if (Actions.shown(report, Outcome.WOULD_CLEAR)) {
			kpi(html, Outcome.WOULD_CLEAR, counts, report.summary().applied()
					? "the chunk the brake halted: not written" : "dry run: nothing written; --apply clears");
		}
		if (Actions.shown(report, Outcome.MOVED)) {
			if (report.summary().applied()) {
				kpi(html, Outcome.RELINKED, counts, Figures.count(counts.get(Outcome.RELINK_CHANGED_CONCURRENTLY)) + " "
						+ Outcome.RELINK_CHANGED_CONCURRENTLY.lowerLabel() + ", left alone");
			}
			else {
				kpi(html, Outcome.WOULD_RELINK, counts, "dry run: nothing written; --apply re-links");
			}
		}
		kpi(html, Outcome.TRANSIENT, counts, capitalised(words.api()) + " did not answer; checked again next run");
		kpi(html, Outcome.NOT_FOUND_UNCONFIRMED, counts, "not " + words.api() + "'s typed 404: kept");
		html.append("<div class=\"kpi\" data-kpi=\"brake\" style=\"--accent: ")
			.append(brakeAccent(report.brake().state()))
			.append("\"><div class=\"label\">Safety brake</div><div class=\"value\">");
		badge(html, "brake-" + report.brake().state().label(), report.brake().state().label());
		html.append("</div><div class=\"sub\">")
			.append(Html.text(Figures.brakeLimits(report.brake())))
			.append("</div></div></section>");
	}

	private static void charts(StringBuilder html, RunReport report, List<RunSummary> trend) {
		RunSummary run = report.summary();
		html.append("<section class=\"charts\"><figure class=\"panel\"><h2>Outcomes per verdict</h2>");
		html.append(SvgCharts.verdicts(run));
		html.append("<figcaption>");
		boolean moved = report.relink() || report.counts().get(Outcome.MOVED) > 0;
		for (Outcomes.Bar bar : Outcomes.bars(run)) {
			boolean gone = Outcome.GONE.name().equals(bar.verdict());
			if (gone || (moved && Outcome.MOVED.name().equals(bar.verdict()))) {
				for (Outcomes.Segment segment : bar.segments()) {
					swatch(html, segment.colour(), (gone ? "gone: " : "moved: ") + segment.label());
				}
			}
		}
		html.append("<span>Share of the pointers checked.</span></figcaption></figure>");
		html.append("<figure class=\"panel\"><h2>Trend over the last ")
			.append(trend.size())
			.append((trend.size() == 1) ? " run" : " runs");
		if (report.partitions() > 1) {
			html.append(" of partition ").append(report.partition()).append('/').append(report.partitions());
		}
		html.append("</h2>").append(SvgCharts.trend(trend, report.runId(), SvgCharts.HALF_WIDTH));
		html.append("<figcaption>");
		trendLegend(html, trend);
		html.append("<span>This run is shaded; hover a point for its figures.</span></figcaption>");
		html.append("</figure></section>");
	}

	private static void clearedSection(StringBuilder html, RunReport report, Words words) {
		boolean applied = report.summary().applied();
		Outcome outcome = applied ? Outcome.CLEARED : Outcome.WOULD_CLEAR;
		List<ClearedPointer> cleared = applied ? report.cleared() : report.wouldClear();
		html.append("<section class=\"panel\" id=\"cleared\"><h2>")
			.append(Html.text(outcome.label()))
			.append(applied ? "" : " (dry run)")
			.append(" (")
			.append(Figures.count(cleared.size()))
			.append(")</h2>");
		if (cleared.isEmpty()) {
			html.append("<p class=\"empty\">None.</p>");
		}
		else {
			html.append("<p class=\"note\">")
				.append(Html.text(Actions.action(outcome, report.runId(), words)))
				.append("</p>");
			pointerTable(html, cleared, report.runId(), words);
		}
		html.append("</section>");
	}

	private static void pointerTable(StringBuilder html, List<ClearedPointer> pointers, long runId, Words words) {
		html.append("<table><thead><tr><th>" + Html.text(capitalised(words.row()))
				+ "</th><th>Pointer</th><th class=\"num\">HTTP</th>")
			.append("<th>" + Html.text(capitalised(words.api())) + "'s answer</th></tr></thead><tbody>");
		for (ClearedPointer pointer : pointers.stream().limit(ITEM_LIMIT).toList()) {
			html.append("<tr><td class=\"mono\">").append(Html.text(pointer.infoItemId()));
			html.append("</td><td class=\"mono\">").append(Html.text(PointerText.quoted(pointer.watcherItemId())));
			html.append("</td><td class=\"num\">").append(pointer.httpStatus());
			html.append("</td><td class=\"evidence\">").append(Html.text(pointer.evidence())).append("</td></tr>");
		}
		html.append("</tbody></table>");
		more(html, runId, pointers.size());
	}

	private static void relinkedSection(StringBuilder html, RunReport report, Words words) {
		boolean applied = report.summary().applied();
		Outcome outcome = applied ? Outcome.RELINKED : Outcome.WOULD_RELINK;
		List<RelinkedPointer> relinked = applied ? report.relinked() : report.wouldRelink();
		if (!Actions.shown(report, Outcome.MOVED) && relinked.isEmpty()) {
			return;
		}
		html.append("<section class=\"panel\" id=\"relinked\"><h2>")
			.append(Html.text(outcome.label()))
			.append(applied ? "" : " (dry run)")
			.append(" (")
			.append(Figures.count(relinked.size()))
			.append(")</h2>");
		if (relinked.isEmpty()) {
			html.append("<p class=\"empty\">None.</p></section>");
			return;
		}
		html.append("<p class=\"note\">")
			.append(Html.text(Actions.action(outcome, report.runId(), words)))
			.append("</p>");
		relinkTable(html, relinked, report.runId(), words);
		html.append("</section>");
	}

	private static void relinkTable(StringBuilder html, List<RelinkedPointer> relinked, long runId, Words words) {
		html.append("<table><thead><tr><th>" + Html.text(capitalised(words.row()))
				+ "</th><th>Pointer</th><th>Re-linked to</th>")
			.append("<th>" + Html.text(capitalised(words.api())) + "'s answers</th></tr></thead><tbody>");
		for (RelinkedPointer pointer : relinked.stream().limit(ITEM_LIMIT).toList()) {
			html.append("<tr><td class=\"mono\">").append(Html.text(pointer.infoItemId()));
			html.append("</td><td class=\"mono\">").append(Html.text(PointerText.quoted(pointer.watcherItemId())));
			html.append("</td><td class=\"mono\">").append(Html.text(pointer.relinkedTo()));
			html.append("</td><td class=\"evidence\">")
				.append(Html.text(pointer.evidence()))
				.append("<br>")
				.append(Html.text(pointer.listEvidence()))
				.append("<br>")
				.append(Html.text(pointer.confirmEvidence()))
				.append("</td></tr>");
		}
		html.append("</tbody></table>");
		more(html, runId, relinked.size());
	}

	private static void keptSection(StringBuilder html, RunReport report, Words words) {
		html.append("<section class=\"panel\" id=\"skipped\"><h2>Kept, to look at (")
			.append(Figures.count(report.skipped().size()))
			.append(")</h2>");
		if (report.skipped().isEmpty()) {
			html.append("<p class=\"empty\">None: every other pointer is live or archived.</p>");
			html.append("</section>");
			return;
		}
		Map<Outcome, List<SkippedPointer>> kept = Actions.kept(report.skipped());
		html.append("<ul class=\"actions\">");
		kept.forEach((outcome, pointers) -> {
			html.append("<li data-verdict=\"").append(outcome.jsonName()).append("\">");
			verdict(html, outcome.jsonName());
			html.append(" <b>")
				.append(Figures.count(pointers.size()))
				.append("</b> ")
				.append(Html.text(Actions.action(outcome, report.runId(), words)))
				.append("</li>");
		});
		html.append("</ul>");
		html.append("<table><thead><tr><th>" + Html.text(capitalised(words.row()))
				+ "</th><th>Pointer</th><th>Verdict</th><th class=\"num\">HTTP</th>")
			.append("<th>" + Html.text(capitalised(words.api())) + "'s answer</th></tr></thead><tbody>");
		for (SkippedPointer pointer : kept.values().stream().flatMap(List::stream).limit(ITEM_LIMIT).toList()) {
			html.append("<tr><td class=\"mono\">").append(Html.text(pointer.infoItemId()));
			html.append("</td><td class=\"mono\">").append(Html.text(PointerText.quoted(pointer.watcherItemId())));
			html.append("</td><td>");
			verdict(html, pointer.verdict());
			html.append("</td><td class=\"num\">").append((pointer.httpStatus() > 0) ? pointer.httpStatus() : "–");
			html.append("</td><td class=\"evidence\">").append(Html.text(pointer.reason())).append("</td></tr>");
		}
		html.append("</tbody></table>");
		more(html, report.runId(), report.skipped().size());
		html.append("</section>");
	}

	/**
	 * The run list's page.
	 * @param runs the latest runs, oldest first
	 * @param schema the job schema they were read from
	 * @param now when the page is made
	 */
	static String list(List<RunSummary> runs, String schema, Instant now) {
		StringBuilder html = new StringBuilder(8_192);
		head(html, "Recent runs · Watcher link reconciler");
		html.append("<header><div class=\"eyebrow\">Watcher link reconciler · run history</div>");
		if (runs.isEmpty()) {
			html.append("<h1>No runs yet</h1><p class=\"meta\">A reconcile run is recorded here when it ends.</p>")
				.append("</header>");
			footer(html, schema, now);
			return html.toString();
		}
		html.append("<h1>The last ").append(runs.size()).append((runs.size() == 1) ? " run" : " runs").append("</h1>");
		html.append("<p class=\"meta\">Each run in detail: <code>report --run ID --format html</code></p></header>");
		html.append("<section class=\"panel\"><figure><h2>Trend</h2>")
			.append(SvgCharts.trend(runs, 0, SvgCharts.FULL_WIDTH));
		html.append("<figcaption>");
		trendLegend(html, runs);
		html.append("</figcaption></figure></section>");
		html.append("<section class=\"panel\"><table class=\"runs\"><thead><tr>");
		for (Column column : TextRunList.COLUMNS) {
			html.append("<th")
				.append(column.left() ? "" : " class=\"num\"")
				.append('>')
				.append(Html.text(column.heading()))
				.append("</th>");
		}
		html.append("</tr></thead><tbody>");
		for (int i = runs.size() - 1; i >= 0; i--) {
			RunSummary run = runs.get(i);
			html.append("<tr data-run=\"").append(run.runId()).append("\">");
			for (Column column : TextRunList.COLUMNS) {
				String value = column.value().apply(run);
				html.append("<td").append(column.left() ? "" : " class=\"num\"").append('>');
				if (column.heading().equals("STATUS")) {
					badge(html, "status-" + value, value);
				}
				else if (column.heading().equals("BRAKE")) {
					badge(html, "brake-" + value, value);
				}
				else {
					html.append(Html.text(value));
				}
				html.append("</td>");
			}
			html.append("</tr>");
		}
		html.append("</tbody></table>");
		if (runs.stream().anyMatch((run) -> !run.applied())) {
			html.append("<p class=\"note\">").append(Html.text(TextRunList.DRY_RUN_NOTE)).append("</p>");
		}
		html.append("</section>");
		footer(html, schema, now);
		return html.toString();
	}

	private static void head(StringBuilder html, String title) {
		html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
			.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
			.append("<title>")
			.append(Html.text(title))
			.append("</title><style>")
			.append(CSS)
			.append("</style></head><body><main>");
	}

	private static void footer(StringBuilder html, String schema, Instant now) {
		html.append("<footer>Made by <code>watcher-link-reconciler report</code> on ")
			.append(Figures.time(now))
			.append(" from the run history in schema <code>")
			.append(Html.text(schema))
			.append("</code>. Run ids are Spring Batch job instance ids.</footer></main></body></html>\n");
	}

	private static void kpi(StringBuilder html, Outcome outcome, RunCounts counts, String sub) {
		kpi(html, outcome.jsonName(), outcome.label(), counts.get(outcome), sub, outcome.colour());
	}

	private static void kpi(StringBuilder html, String key, String label, long value, String sub, String accent) {
		html.append("<div class=\"kpi\" data-kpi=\"")
			.append(key)
			.append("\" style=\"--accent: ")
			.append(accent)
			.append("\"><div class=\"label\">")
			.append(Html.text(label))
			.append("</div><div class=\"value\">")
			.append(Figures.count(value))
			.append("</div><div class=\"sub\">")
			.append(Html.text(sub))
			.append("</div></div>");
	}

	private static void badge(StringBuilder html, String cssClass, String text) {
		html.append("<span class=\"badge ")
			.append(Html.text(cssClass))
			.append("\">")
			.append(Html.text(text))
			.append("</span>");
	}

	private static void verdict(StringBuilder html, String verdict) {
		html.append("<span class=\"verdict\" style=\"background: ")
			.append(Outcomes.colour(verdict))
			.append("\">")
			.append(Html.text(Outcome.find(verdict).map(Outcome::label).orElse(verdict)))
			.append("</span>");
	}

	private static void trendLegend(StringBuilder html, List<RunSummary> runs) {
		for (SvgCharts.Series series : SvgCharts.TREND_SERIES) {
			html.append("<span class=\"legend\" data-series=\"")
				.append(series.key())
				.append("\"><i class=\"line-swatch\" style=\"background: ")
				.append(series.colour())
				.append("\"></i>")
				.append(Html.text(series.label()))
				.append("</span>");
		}
		if (runs.stream().anyMatch((run) -> !run.applied())) {
			html.append("<span class=\"legend\" data-series=\"dry-run\"><i class=\"hollow-swatch\"></i>")
				.append("dry run: what it would clear</span>");
		}
	}

	private static void swatch(StringBuilder html, String colour, String label) {
		html.append("<span><i class=\"swatch\" style=\"background: ")
			.append(colour)
			.append("\"></i>")
			.append(Html.text(label))
			.append("</span>");
	}

	private static void more(StringBuilder html, long runId, int total) {
		if (total > ITEM_LIMIT) {
			html.append("<p class=\"note\">… and ")
				.append(Figures.count(total - ITEM_LIMIT))
				.append(" more: <code>report --run ")
				.append(runId)
				.append(" --format json</code> lists them all.</p>");
		}
	}

	private static String brakeAccent(BrakeState state) {
		return switch (state) {
			case TRIPPED -> "#c0392b";
			case WOULD_TRIP -> "#d99a1e";
			case CLEAR -> "#2e8b57";
		};
	}

	private static String stylesheet() {
		try (InputStream css = HtmlReport.class.getResourceAsStream("report.css")) {
			if (css == null) {
				throw new IllegalStateException("report.css is missing from the application's classpath");
			}
			return new String(css.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
