package io.cannobserv.reconciler.report;

import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

import io.cannobserv.reconciler.report.Outcomes.Bar;
import io.cannobserv.reconciler.report.Outcomes.Segment;
import io.cannobserv.reconciler.run.Outcome;

/**
 * The HTML report's two charts as inline SVG: drawn here, so the page needs no script, no
 * library and no network. Every mark carries its figure as text (a label or a
 * {@code <title>}) and as {@code data-} attributes, for readers and for tests alike.
 */
final class SvgCharts {

	/**
	 * Width of a chart in a half-page panel: drawn at the size it is shown, text stays 12
	 * px.
	 */
	static final int HALF_WIDTH = 560;

	/** Width of a chart across the page. */
	static final int FULL_WIDTH = 1100;

	/** The trend's lines. A dry run's cleared figure is what it would clear. */
	static final List<Series> TREND_SERIES = List.of(
			new Series(Outcome.CLEARED.jsonName(), "Cleared", Outcome.CLEARED.colour(),
					RunSummary::clearedOrWouldClear),
			series(Outcome.TRANSIENT, Outcome.TRANSIENT.label()),
			series(Outcome.NOT_FOUND_UNCONFIRMED, "Unconfirmed 404"));

	private SvgCharts() {
	}

	private static Series series(Outcome outcome, String label) {
		return new Series(outcome.jsonName(), label, outcome.colour(), (run) -> run.counts().get(outcome));
	}

	/** Horizontal bars, one per verdict, with the count and share at the end of each. */
	static String verdicts(RunSummary run) {
		List<Bar> bars = Outcomes.bars(run);
		int rowHeight = 30;
		int top = 6;
		int labelWidth = 168;
		int barSpace = 268;
		int height = top + bars.size() * rowHeight + 4;
		long max = Math.max(1, bars.stream().mapToLong(Bar::total).max().orElse(1));
		StringBuilder svg = new StringBuilder();
		svg.append(open("verdict-chart", HALF_WIDTH, height, "Pointers per verdict in run " + run.runId()));
		for (int i = 0; i < bars.size(); i++) {
			Bar bar = bars.get(i);
			int y = top + i * rowHeight;
			int middle = y + rowHeight / 2;
			svg.append(String.format(Locale.ROOT,
					"<text class=\"axis-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\" dominant-baseline=\"central\">%s</text>",
					labelWidth - 10, middle, Html.text(bar.label())));
			svg.append(String.format(Locale.ROOT,
					"<rect class=\"track\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"16\" rx=\"3\" fill=\"#f1f3f6\"/>",
					labelWidth, middle - 8, barSpace));
			double x = labelWidth;
			for (Segment segment : bar.segments()) {
				if (segment.count() == 0) {
					continue;
				}
				// a pointer or two must still show against thousands
				double width = Math.max(2, (double) segment.count() / max * barSpace);
				svg.append(String.format(Locale.ROOT,
						"<rect class=\"bar\" data-verdict=\"%s\" data-outcome=\"%s\" data-count=\"%d\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"16\" rx=\"3\" fill=\"%s\"><title>%s: %s %s</title></rect>",
						bar.verdict(), segment.key(), segment.count(), x, middle - 8, width, segment.colour(),
						Html.text(bar.label()), Figures.count(segment.count()), Html.text(segment.label())));
				x += width;
			}
			svg.append(String.format(Locale.ROOT,
					"<text class=\"value\" data-verdict=\"%s\" x=\"%.1f\" y=\"%d\" dominant-baseline=\"central\"><tspan class=\"count\">%s</tspan><tspan class=\"share\" dx=\"6\">%s</tspan></text>",
					bar.verdict(), x + 8, middle, Figures.count(bar.total()),
					Html.text(Figures.percent(bar.total(), run.counts().get(Outcome.READ)))));
		}
		return svg.append("</svg>").toString();
	}

	/**
	 * Lines of cleared, transient and unconfirmed pointers over {@code runs}, the one the
	 * page is about shaded. A dry run's point is hollow, its cleared figure what it would
	 * clear. The legend is the page's (see {@link HtmlReport}): HTML text wraps, SVG text
	 * does not.
	 * @param runs oldest first
	 * @param current the run to shade, or 0 for none
	 * @param width the drawing's width
	 */
	static String trend(List<RunSummary> runs, long current, int width) {
		List<Series> series = TREND_SERIES;
		int height = 250;
		int left = 52;
		int right = width - 14;
		int top = 16;
		int bottom = height - 38;
		long max = 1;
		for (RunSummary run : runs) {
			for (Series s : series) {
				max = Math.max(max, s.value().applyAsLong(run));
			}
		}
		long step = niceStep(max / 4.0);
		long yMax = step * (long) Math.ceil((double) max / step);
		StringBuilder svg = new StringBuilder();
		svg.append(open("trend-chart", width, height,
				"Cleared, transient and unconfirmed pointers over the last " + runs.size() + " run(s)"));
		double slot = (right - left) / (double) Math.max(1, runs.size());
		for (int i = 0; i < runs.size(); i++) {
			if (runs.get(i).runId() == current) {
				svg.append(String.format(Locale.ROOT,
						"<rect class=\"current\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#eef2f8\"/>",
						left + i * slot, top, slot, bottom - top));
			}
		}
		for (long tick = 0; tick <= yMax; tick += step) {
			double y = y(tick, yMax, top, bottom);
			svg.append(String.format(Locale.ROOT,
					"<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>", left, right, y,
					y, (tick == 0) ? "#9aa3ad" : "#e3e7ec"));
			svg.append(String.format(Locale.ROOT,
					"<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\" dominant-baseline=\"central\">%s</text>",
					left - 8, y, Figures.count(tick)));
		}
		int every = Math.max(1, (int) Math.ceil(runs.size() / 12.0));
		for (int i = 0; i < runs.size(); i++) {
			if ((runs.size() - 1 - i) % every == 0) {
				RunSummary run = runs.get(i);
				svg.append(String.format(Locale.ROOT,
						"<text class=\"tick run%s\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">#%d</text>",
						(run.runId() == current) ? " current-label" : "", x(i, slot, left), bottom + 18, run.runId()));
			}
		}
		svg.append(String.format(Locale.ROOT,
				"<text class=\"axis-title\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">run</text>", (left + right) / 2,
				height - 4));
		for (Series s : series) {
			StringBuilder points = new StringBuilder();
			for (int i = 0; i < runs.size(); i++) {
				points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(i, slot, left),
						y(s.value().applyAsLong(runs.get(i)), yMax, top, bottom)));
			}
			svg.append(String.format(Locale.ROOT,
					"<polyline class=\"line\" data-series=\"%s\" points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" stroke-linejoin=\"round\"/>",
					s.key(), points.toString().strip(), s.colour()));
			for (int i = 0; i < runs.size(); i++) {
				RunSummary run = runs.get(i);
				long value = s.value().applyAsLong(run);
				String label = (Outcome.CLEARED.jsonName().equals(s.key()) && !run.applied())
						? Outcome.WOULD_CLEAR.label().toLowerCase(Locale.ROOT) : s.label().toLowerCase(Locale.ROOT);
				svg.append(String.format(Locale.ROOT,
						"<circle class=\"point\" data-series=\"%s\" data-run=\"%d\" data-value=\"%d\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\" stroke=\"%s\" stroke-width=\"2\"><title>Run %d (%s): %s %s</title></circle>",
						s.key(), run.runId(), value, x(i, slot, left), y(value, yMax, top, bottom),
						run.applied() ? s.colour() : "#ffffff", s.colour(), run.runId(), run.mode().label(), label,
						Figures.count(value)));
			}
		}
		return svg.append("</svg>").toString();
	}

	private static String open(String id, int width, int height, String title) {
		return String.format(Locale.ROOT,
				"<svg id=\"%s\" class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-labelledby=\"%s-title\"><title id=\"%s-title\">%s</title>",
				id, width, height, width, height, id, id, Html.text(title));
	}

	private static double x(int index, double slot, int left) {
		return left + (index + 0.5) * slot;
	}

	private static double y(long value, long yMax, int top, int bottom) {
		return bottom - (double) value / yMax * (bottom - top);
	}

	/**
	 * 1, 2 or 5 times a power of ten, at least {@code raw} (and at least 1: counts are
	 * whole).
	 */
	static long niceStep(double raw) {
		long power = 1;
		while (true) {
			for (long factor : new long[] { 1, 2, 5 }) {
				if (factor * power >= raw) {
					return factor * power;
				}
			}
			power *= 10;
		}
	}

	/**
	 * A line of the trend.
	 *
	 * @param key its name in the report's counts
	 * @param label its name for people
	 * @param colour its stroke
	 * @param value its figure for a run
	 */
	record Series(String key, String label, String colour, ToLongFunction<RunSummary> value) {
	}

}
