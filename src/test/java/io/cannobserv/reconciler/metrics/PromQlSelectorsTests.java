package io.cannobserv.reconciler.metrics;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.cannobserv.reconciler.metrics.PromQlSelectors.Matcher;
import io.cannobserv.reconciler.metrics.PromQlSelectors.Selector;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PromQL reader behind {@link MonitoringFilesIntegrationTests}: it must find every
 * metric of an expression, and nothing that is not one, or the check of the rules proves
 * nothing.
 */
class PromQlSelectorsTests {

	@Test
	void ofWhenAggregatedWithLabelListsFindsOnlyTheMetrics() {
		List<Selector> selectors = PromQlSelectors
			.of("sum by (outcome) (a_total{mode=\"apply\"}) / ignoring (outcome) group_left (x) max without (y) (b)");

		assertThat(selectors).extracting(Selector::metric).containsExactly("a_total", "b");
		assertThat(selectors.get(0).matchers()).containsExactly(new Matcher("mode", "=", "apply"));
	}

	@Test
	void ofWhenRangesOffsetsNumbersAndKeywordsSkipsThem() {
		List<Selector> selectors = PromQlSelectors.of("""
				time() - last_seconds{command="reconcile", mode="apply"} > 26 * 3600
				or absent_over_time(last_seconds{mode!~"dry.*"}[26h])
				and bool exit_code offset 49h unless min_over_time(exit_code[49h:5m]) > 0.05
				""");

		assertThat(selectors).extracting(Selector::metric)
			.containsExactly("last_seconds", "last_seconds", "exit_code", "exit_code");
		assertThat(selectors.get(1).matchers()).containsExactly(new Matcher("mode", "!~", "dry.*"));
	}

	@Test
	void ofWhenGrafanaVariablesAndEscapedQuotesKeepsValuesWhole() {
		List<Selector> selectors = PromQlSelectors
			.of("rate(c_total{mode=\"$mode\", path=\"a\\\"b\", x=~'1|2'}[$__rate_interval]) or vector(0)");

		assertThat(selectors).singleElement().satisfies((selector) -> {
			assertThat(selector.metric()).isEqualTo("c_total");
			assertThat(selector.matchers()).containsExactly(new Matcher("mode", "=", "$mode"),
					new Matcher("path", "=", "a\"b"), new Matcher("x", "=~", "1|2"));
		});
	}

	@Test
	void ofWhenSelectorHasNoNameReturnsItWithoutMetric() {
		assertThat(PromQlSelectors.of("{__name__=~\"reconciler_.*\"}")).singleElement()
			.satisfies((selector) -> assertThat(selector.metric()).isNull());
	}

}
