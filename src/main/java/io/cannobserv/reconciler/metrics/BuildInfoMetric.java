package io.cannobserv.reconciler.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.version.BuildVersion;

/**
 * Which build pushed a group: {@code reconciler_build_info{version, commit} 1}, the
 * Prometheus idiom for a process's version. An info metric rather than a label on every
 * meter, so that a release does not start new series for every figure (nor break an
 * alert's range over them); a query joins it where it wants the version:
 * {@code … * on (job, command, mode, partition, partitions, table) group_left (version)
 * reconciler_build_info}.
 */
@Component
class BuildInfoMetric implements MeterBinder {

	static final String NAME = "reconciler.build.info";

	private final BuildVersion build;

	BuildInfoMetric() {
		this(BuildVersion.current());
	}

	BuildInfoMetric(BuildVersion build) {
		this.build = build;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder(NAME, () -> 1.0)
			.tag("version", this.build.version())
			.tag("commit", (this.build.commit() != null) ? this.build.commit() : BuildVersion.UNKNOWN)
			.description("The build that pushed this group: always 1, its version and commit as labels")
			.register(registry);
	}

}
