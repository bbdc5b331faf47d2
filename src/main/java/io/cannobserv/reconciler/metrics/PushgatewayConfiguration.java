package io.cannobserv.reconciler.metrics;

import io.prometheus.metrics.exporter.pushgateway.Format;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * The Pushgateway push, as Spring Boot configures it from
 * {@code management.prometheus.metrics.export.pushgateway.*}, with the run's progress
 * pushed while it works ({@link RunGroupPush}). It takes the place of Boot's own manager,
 * which backs off when one exists; the gateway client is built as Boot builds it (Boot
 * 4.0's {@code PrometheusMetricsExportAutoConfiguration}), so every property keeps its
 * meaning, except {@code push-rate}: the run pushes at
 * {@code reconciler.progress-interval}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("management.prometheus.metrics.export.pushgateway.enabled")
class PushgatewayConfiguration {

	/** Boot's job name when neither the property nor the application's name sets one. */
	private static final String FALLBACK_JOB = "spring";

	@Bean(destroyMethod = "shutdown")
	RunGroupPush prometheusPushGatewayManager(PrometheusRegistry registry, PrometheusProperties prometheusProperties,
			Environment environment) {
		PrometheusProperties.Pushgateway properties = prometheusProperties.getPushgateway();
		return new RunGroupPush(pushGateway(registry, properties, environment), properties.getShutdownOperation());
	}

	private static PushGateway pushGateway(PrometheusRegistry registry, PrometheusProperties.Pushgateway properties,
			Environment environment) {
		String job = properties.getJob();
		PushGateway.Builder builder = PushGateway.builder()
			.address(properties.getAddress())
			.scheme((properties.getScheme() == PrometheusProperties.Pushgateway.Scheme.HTTPS) ? Scheme.HTTPS
					: Scheme.HTTP)
			.format((properties.getFormat() == PrometheusProperties.Pushgateway.Format.TEXT) ? Format.PROMETHEUS_TEXT
					: Format.PROMETHEUS_PROTOBUF)
			.job((job != null) ? job : environment.getProperty("spring.application.name", FALLBACK_JOB))
			.registry(registry);
		MutuallyExclusiveConfigurationPropertiesException.throwIfMultipleNonNullValuesIn((entries) -> {
			entries.put("management.prometheus.metrics.export.pushgateway.token", properties.getToken());
			entries.put("management.prometheus.metrics.export.pushgateway.username", properties.getUsername());
		});
		if (StringUtils.hasText(properties.getToken())) {
			builder.bearerToken(properties.getToken());
		}
		else if (StringUtils.hasText(properties.getUsername())) {
			builder.basicAuth(properties.getUsername(), properties.getPassword());
		}
		properties.getGroupingKey().forEach(builder::groupingKey);
		return builder.build();
	}

}
