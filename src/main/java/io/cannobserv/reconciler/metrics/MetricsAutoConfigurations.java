package io.cannobserv.reconciler.metrics;

import java.util.List;
import java.util.stream.Collectors;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;

/**
 * The auto-configurations of metrics, their export and their binders: only a run is
 * measured, and for {@code report}, {@code prune} and {@code restore} they were a fifth
 * of the start (a meter registry, the JVM's, the pool's and the logs' meters, all made
 * eagerly). Read from the auto-configurations on the class path, so that one added by a
 * newer Boot is left out too.
 */
public final class MetricsAutoConfigurations {

	/** The property Spring Boot reads the exclusions from. */
	public static final String EXCLUDE = "spring.autoconfigure.exclude";

	private static final List<String> PACKAGES = List.of("org.springframework.boot.micrometer.",
			"org.springframework.boot.opentelemetry.", "org.springframework.boot.jdbc.autoconfigure.metrics.");

	private MetricsAutoConfigurations() {
	}

	/** Their names, comma-separated, as {@value #EXCLUDE} takes them. */
	public static String names(ClassLoader classLoader) {
		return ImportCandidates.load(AutoConfiguration.class, classLoader)
			.getCandidates()
			.stream()
			.filter((name) -> PACKAGES.stream().anyMatch(name::startsWith))
			.collect(Collectors.joining(","));
	}

}
