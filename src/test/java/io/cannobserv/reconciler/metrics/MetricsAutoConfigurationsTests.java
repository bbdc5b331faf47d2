package io.cannobserv.reconciler.metrics;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code report}, {@code prune} and {@code restore} leave out: every metrics
 * auto-configuration on the class path, and nothing they need.
 */
class MetricsAutoConfigurationsTests {

	private final List<String> names = List.of(MetricsAutoConfigurations.names(getClass().getClassLoader()).split(","));

	@Test
	void namesHoldTheRegistryItsExportAndTheBinders() {
		assertThat(this.names).contains(
				"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.jvm.JvmMetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.task.TaskExecutorMetricsAutoConfiguration",
				"org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration");
	}

	@Test
	void namesLeaveTheDatabaseAndBatchIn() {
		assertThat(this.names).allSatisfy((name) -> assertThat(name).doesNotContain(".batch.")
			.doesNotEndWith("DataSourceAutoConfiguration")
			.doesNotEndWith("JacksonAutoConfiguration"));
	}

}
