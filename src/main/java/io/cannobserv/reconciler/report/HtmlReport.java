package io.cannobserv.reconciler.report;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.cannobserv.reconciler.report.RunReport.ClearedPointer;
import io.cannobserv.reconciler.report.RunReport.SkippedPointer;
import io.cannobserv.reconciler.report.TextRunList.Column;

/**
 * A run, or the run list, as one self-contained HTML page: inline CSS, inline SVG charts,
 * no script and nothing fetched, so it can be mailed, attached to a ticket or opened from
 * a CronJob's volume. Every value from the database or from Watcher is escaped.
 */
final class HtmlReport {

	/** Rows of each item table; past that the JSON report has them all. */
	static final int ITEM_LIMIT = 1000;

	/** Kept items grouped by why, the likeliest question first. */
	private static final List<String> VERDICT_ORDER = List.of("TRANSIENT", "NOT_FOUND_UNCONFIRMED", "MISMATCHED",
			"MALFORMED", "CHANGED_CONCURRENTLY");

	private static final String CSS = """
			:root { --ink: #1d2733; --muted: #5f6b7a; --line: #e3e7ec; --panel: #ffffff; --page: #f5f7fa;
				--mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
			* { box-sizing: border-box; }
			body { margin: 0; background: var(--page); color: var(--ink);
				font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif; }
			main { max-width: 1200px; margin: 0 auto; padding: 28px 32px 40px; }
			header { margin-bottom: 20px; }
			.eyebrow { color: var(--muted); font-size: 12px; letter-spacing: .06em; text-transform: uppercase; }
			h1 { font-size: 26px; margin: 4px 0 6px; font-weight: 650; display: flex; align-items: center; gap: 12px; }
			h2 { font-size: 15px; margin: 0 0 12px; font-weight: 650; }
			.meta { color: var(--muted); margin: 0; }
			.meta b { color: var(--ink); font-weight: 600; }
			.badge { display: inline-block; font-size: 12px; font-weight: 650; letter-spacing: .03em; padding: 3px 9px;
				border-radius: 999px; vertical-align: middle; }
			.status-COMPLETED, .brake-clear { background: #e5f4ec; color: #17663f; }
			.status-FAILED, .brake-tripped { background: #fdebe9; color: #a8261b; }
			.status-STOPPED, .status-STOPPING, .status-ABANDONED, .brake-would-trip { background: #fff3d6; color: #875a00; }
			.status-STARTED, .status-STARTING, .status-UNKNOWN { background: #e9eef5; color: #3b4b5f; }
			.alert { border-left: 4px solid #c0392b; background: #fff; padding: 10px 14px; margin: 0 0 16px;
				border-radius: 6px; box-shadow: 0 1px 2px rgba(16,24,40,.06); }
			.alert.warn { border-left-color: #d99a1e; }
			.kpis { display: grid; grid-template-columns: repeat(5, minmax(0, 1fr)); gap: 14px; margin-bottom: 16px; }
			.kpi, .panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px;
				box-shadow: 0 1px 2px rgba(16,24,40,.05); }
			.kpi { padding: 14px 16px; border-top: 4px solid var(--accent, #9aa3ad); }
			.kpi .label { color: var(--muted); font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; }
			.kpi .value { font-size: 28px; font-weight: 650; margin: 2px 0; font-variant-numeric: tabular-nums; }
			.kpi .sub { color: var(--muted); font-size: 12px; }
			.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; margin-bottom: 16px; }
			.panel { padding: 18px 20px; margin: 0 0 16px; }
			.charts .panel { margin: 0; }
			figure { margin: 0; }
			figcaption { color: var(--muted); font-size: 12px; margin-top: 8px; display: flex; flex-wrap: wrap; gap: 4px 14px; }
			.line-swatch { display: inline-block; width: 16px; height: 3px; border-radius: 2px; margin-right: 6px; vertical-align: 3px; }
			.hollow-swatch { display: inline-block; width: 9px; height: 9px; border-radius: 50%; border: 2px solid #5f6f81;
				margin-right: 6px; vertical-align: -1px; }
			.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
			svg.chart { width: 100%; height: auto; display: block; }
			svg.chart text { font-size: 12px; fill: var(--ink); }
			svg.chart .tick, svg.chart .axis-title { fill: var(--muted); font-size: 11px; }
			svg.chart .current-label { fill: var(--ink); font-weight: 700; }
			svg.chart .count { font-weight: 650; font-variant-numeric: tabular-nums; }
			svg.chart .share { fill: var(--muted); }
			table { width: 100%; border-collapse: collapse; font-size: 13px; }
			th { text-align: left; color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase;
				letter-spacing: .04em; border-bottom: 1px solid var(--line); padding: 8px 10px; }
			td { border-bottom: 1px solid var(--line); padding: 7px 10px; vertical-align: top; }
			tr:last-child td { border-bottom: 0; }
			table.runs td { vertical-align: middle; }
			td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
			.mono { font-family: var(--mono); font-size: 12.5px; }
			.evidence { font-family: var(--mono); font-size: 12px; color: #384657; word-break: break-word; }
			.verdict { display: inline-block; font-size: 11px; font-weight: 650; padding: 2px 7px; border-radius: 4px;
				color: #fff; white-space: nowrap; }
			.chips { display: flex; flex-wrap: wrap; gap: 8px; margin: -4px 0 12px; }
			.note { color: var(--muted); font-size: 12px; margin: 10px 0 0; }
			.empty { color: var(--muted); margin: 0; }
			footer { color: var(--muted); font-size: 12px; margin-top: 22px; }
			code { font-family: var(--mono); font-size: 12px; background: #eef1f5; padding: 1px 5px; border-radius: 4px; }
			@media (max-width: 900px) { .kpis { grid-template-columns: repeat(2, minmax(0, 1fr)); } .charts { grid-template-columns: 1fr; } }
			""";

	private HtmlReport() {
	}

	/**
	 * @param report the run
	 * @param trend the runs of its partition up to it, oldest first
	 * @param schema the job schema it was read from
	 * @param now when the page is made
	 */
	static String run(RunReport report, List<RunSummary> trend, String schema, Instant now) {
		RunSummary run = report.summary();
		RunCounts counts = report.counts();
		StringBuilder html = new StringBuilder(16_384);
		head(html, "Run " + report.runId() + " · Watcher link reconciler");
		html.append("<header><div class=\"eyebrow\">Watcher link reconciler · run report</div>");
		html.append("<h1>Run ").append(report.runId()).append(' ');
		badge(html, "status-" + report.status(), report.status());
		html.append("</h1><p class=\"meta\"><b>").append(Html.text(report.mode())).append("</b>");
		if (report.partitions() > 1) {
			html.append(" · partition <b>").append(report.partition()).append(" of ").append(report.partitions())
				.append("</b>");
		}
		html.append(" · exit code <b>").append(report.exitCode()).append("</b>");
		html.append(" · started <b>").append(Figures.time(report.startedAt())).append("</b>");
		html.append(" · took <b>").append(Figures.duration(run.duration())).append("</b>");
		html.append(" · ").append(report.executions()).append(report.executions() == 1 ? " execution" : " executions");
		html.append("</p></header>");
		if (report.exitMessage() != null) {
			html.append("<div class=\"alert\"><b>Stopped because:</b> ").append(Html.text(report.exitMessage()))
				.append(" <span class=\"note\">Run the same command again to resume from the last committed chunk.</span></div>");
		}
		if (!"clear".equals(report.brake().state())) {
			html.append("<div class=\"alert")
				.append("tripped".equals(report.brake().state()) ? "" : " warn")
				.append("\"><b>Safety brake ")
				.append("tripped".equals(report.brake().state()) ? "tripped" : "would trip in apply mode")
				.append(":</b> ")
				.append(Html.text(String.valueOf(report.brake().message())))
				.append("</div>");
		}
		html.append("<section class=\"kpis\">");
		kpi(html, "checked", "Checked", counts.read(), "pointers read", "#5f6f81");
		if (run.applied()) {
			kpi(html, "cleared", "Cleared", counts.cleared(), Figures.percent(counts.cleared(), counts.read())
					+ " of checked · " + Figures.count(counts.changedConcurrently()) + " re-linked meanwhile",
					Outcomes.CLEARED);
		}
		else {
			kpi(html, "wouldClear", "Would clear", counts.wouldClear(),
					"dry run: nothing written; --apply clears", Outcomes.WOULD_CLEAR);
		}
		kpi(html, "transient", "Transient", counts.transientCount(), "Watcher did not answer; checked again next run",
				Outcomes.TRANSIENT);
		kpi(html, "notFoundUnconfirmed", "Unconfirmed 404", counts.notFoundUnconfirmed(),
				"not Watcher's typed 404: kept", Outcomes.UNCONFIRMED);
		html.append("<div class=\"kpi\" data-kpi=\"brake\" style=\"--accent: ")
			.append(brakeAccent(report.brake().state()))
			.append("\"><div class=\"label\">Safety brake</div><div class=\"value\">");
		badge(html, "brake-" + report.brake().state(), report.brake().state());
		html.append("</div><div class=\"sub\">").append(Html.text(Figures.brakeLimits(report.brake())))
			.append("</div></div></section>");

		html.append("<section class=\"charts\"><figure class=\"panel\"><h2>Outcomes per verdict</h2>");
		html.append(SvgCharts.verdicts(run));
		html.append("<figcaption>");
		for (Outcomes.Bar bar : Outcomes.bars(run)) {
			if (bar.segments().size() > 1 || "GONE".equals(bar.verdict())) {
				for (Outcomes.Segment segment : bar.segments()) {
					swatch(html, segment.colour(), "gone: " + segment.label());
				}
			}
		}
		html.append("<span>Share of the pointers checked.</span></figcaption></figure>");
		html.append("<figure class=\"panel\"><h2>Trend over the last ").append(trend.size())
			.append(trend.size() == 1 ? " run" : " runs");
		if (report.partitions() > 1) {
			html.append(" of partition ").append(report.partition()).append('/').append(report.partitions());
		}
		html.append("</h2>").append(SvgCharts.trend(trend, report.runId(), SvgCharts.HALF_WIDTH));
		html.append("<figcaption>");
		trendLegend(html, trend);
		html.append("<span>This run is shaded; hover a point for its figures.</span></figcaption>");
		html.append("</figure></section>");

		List<ClearedPointer> cleared = run.applied() ? report.cleared() : report.wouldClear();
		html.append("<section class=\"panel\" id=\"cleared\"><h2>")
			.append(run.applied() ? "Cleared" : "Would clear (dry run)")
			.append(" (")
			.append(Figures.count(cleared.size()))
			.append(")</h2>");
		if (cleared.isEmpty()) {
			html.append("<p class=\"empty\">None.</p>");
		}
		else {
			html.append("<table><thead><tr><th>InfoItem</th><th>Pointer</th><th class=\"num\">HTTP</th>")
				.append("<th>Watcher's answer</th></tr></thead><tbody>");
			for (ClearedPointer pointer : cleared.stream().limit(ITEM_LIMIT).toList()) {
				html.append("<tr><td class=\"mono\">").append(Html.text(pointer.infoItemId()));
				html.append("</td><td class=\"mono\">").append(Html.text(PointerText.quoted(pointer.watcherItemId())));
				html.append("</td><td class=\"num\">").append(pointer.httpStatus());
				html.append("</td><td class=\"evidence\">").append(Html.text(pointer.evidence())).append("</td></tr>");
			}
			html.append("</tbody></table>");
			more(html, report.runId(), cleared.size());
			if (run.applied()) {
				html.append("<p class=\"note\">To put these pointers back where they are still empty: <code>restore --run ")
					.append(report.runId())
					.append(" --apply</code>.</p>");
			}
		}
		html.append("</section>");

		html.append("<section class=\"panel\" id=\"skipped\"><h2>Kept and reported (")
			.append(Figures.count(report.skipped().size()))
			.append(")</h2>");
		if (report.skipped().isEmpty()) {
			html.append("<p class=\"empty\">None: every other pointer is live or archived.</p>");
		}
		else {
			Map<String, Long> byVerdict = new LinkedHashMap<>();
			List<SkippedPointer> skipped = report.skipped()
				.stream()
				.sorted(Comparator.comparingInt((SkippedPointer s) -> verdictRank(s.verdict())))
				.toList();
			skipped.forEach((s) -> byVerdict.merge(s.verdict(), 1L, Long::sum));
			html.append("<div class=\"chips\">");
			byVerdict.forEach((verdict, count) -> {
				verdict(html, verdict);
				html.append(" <span class=\"note\" style=\"margin:0 8px 0 0\">").append(Figures.count(count))
					.append("</span>");
			});
			html.append("</div>");
			html.append("<table><thead><tr><th>InfoItem</th><th>Pointer</th><th>Verdict</th><th class=\"num\">HTTP</th>")
				.append("<th>Watcher's answer</th></tr></thead><tbody>");
			for (SkippedPointer pointer : skipped.stream().limit(ITEM_LIMIT).toList()) {
				html.append("<tr><td class=\"mono\">").append(Html.text(pointer.infoItemId()));
				html.append("</td><td class=\"mono\">").append(Html.text(PointerText.quoted(pointer.watcherItemId())));
				html.append("</td><td>");
				verdict(html, pointer.verdict());
				html.append("</td><td class=\"num\">").append((pointer.httpStatus() > 0) ? pointer.httpStatus() : "–");
				html.append("</td><td class=\"evidence\">").append(Html.text(pointer.reason())).append("</td></tr>");
			}
			html.append("</tbody></table>");
			more(html, report.runId(), skipped.size());
		}
		html.append("</section>");
		footer(html, schema, now);
		return html.toString();
	}

	/**
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
		html.append("<h1>The last ").append(runs.size()).append(runs.size() == 1 ? " run" : " runs").append("</h1>");
		html.append("<p class=\"meta\">Each run in detail: <code>report --run ID --format html</code></p></header>");
		html.append("<section class=\"panel\"><figure><h2>Trend</h2>").append(SvgCharts.trend(runs, 0, SvgCharts.FULL_WIDTH));
		html.append("<figcaption>");
		trendLegend(html, runs);
		html.append("</figcaption></figure></section>");
		html.append("<section class=\"panel\"><table class=\"runs\"><thead><tr>");
		for (Column column : TextRunList.COLUMNS) {
			html.append("<th").append(column.left() ? "" : " class=\"num\"").append('>')
				.append(Html.text(column.heading())).append("</th>");
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

	private static void kpi(StringBuilder html, String key, String label, long value, String sub, String accent) {
		html.append("<div class=\"kpi\" data-kpi=\"").append(key).append("\" style=\"--accent: ").append(accent)
			.append("\"><div class=\"label\">").append(Html.text(label)).append("</div><div class=\"value\">")
			.append(Figures.count(value)).append("</div><div class=\"sub\">").append(Html.text(sub))
			.append("</div></div>");
	}

	private static void badge(StringBuilder html, String cssClass, String text) {
		html.append("<span class=\"badge ").append(Html.text(cssClass)).append("\">").append(Html.text(text))
			.append("</span>");
	}

	private static void verdict(StringBuilder html, String verdict) {
		html.append("<span class=\"verdict\" style=\"background: ").append(Outcomes.colour(verdict)).append("\">")
			.append(Html.text(verdict)).append("</span>");
	}

	private static void trendLegend(StringBuilder html, List<RunSummary> runs) {
		for (SvgCharts.Series series : SvgCharts.TREND_SERIES) {
			html.append("<span class=\"legend\" data-series=\"").append(series.key())
				.append("\"><i class=\"line-swatch\" style=\"background: ").append(series.colour()).append("\"></i>")
				.append(Html.text(series.label())).append("</span>");
		}
		if (runs.stream().anyMatch((run) -> !run.applied())) {
			html.append("<span class=\"legend\" data-series=\"dry-run\"><i class=\"hollow-swatch\"></i>")
				.append("dry run: what it would clear</span>");
		}
	}

	private static void swatch(StringBuilder html, String colour, String label) {
		html.append("<span><i class=\"swatch\" style=\"background: ").append(colour).append("\"></i>")
			.append(Html.text(label)).append("</span>");
	}

	private static void more(StringBuilder html, long runId, int total) {
		if (total > ITEM_LIMIT) {
			html.append("<p class=\"note\">… and ").append(Figures.count(total - ITEM_LIMIT))
				.append(" more: <code>report --run ").append(runId)
				.append(" --format json</code> lists them all.</p>");
		}
	}

	private static String brakeAccent(String state) {
		return switch (state) {
			case "tripped" -> "#c0392b";
			case "would-trip" -> "#d99a1e";
			default -> "#2e8b57";
		};
	}

	private static int verdictRank(String verdict) {
		int rank = VERDICT_ORDER.indexOf(verdict);
		return (rank >= 0) ? rank : VERDICT_ORDER.size();
	}

}
