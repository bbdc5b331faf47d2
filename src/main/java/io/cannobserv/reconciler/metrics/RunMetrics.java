package io.cannobserv.reconciler.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.report.RunEnded;
import io.cannobserv.reconciler.report.RunReport;
import io.cannobserv.reconciler.run.BrakeState;

/**
 * The outcome of a run as gauges, set once when the run ends and pushed when the process
 * exits (a CronJob's pod is gone before any scrape). Values are the run's committed
 * counts, the same as in its report, so a dashboard and the report never disagree.
 */
@Component
public class RunMetrics {

	private final MeterRegistry registry;

	private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();

	public RunMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	/** Sets the gauges; a failure is logged, never changing the run's exit code. */
	@EventListener
	@Order(RunEnded.TELL)
	void onRunEnded(RunEnded ended) {
		record(ended.report());
	}

	void record(RunReport report) {
		report.counts()
			.asMap()
			.forEach((outcome, count) -> gauge("reconciler.run.pointers", Tags.of("outcome", outcome),
					"Pointers of the run by verdict and written outcome")
				.set(count));
		gauge("reconciler.run.exit.code", Tags.empty(), "The run's exit code (0 completed, 1 resumable, 3 brake)")
			.set(report.exitCode());
		gauge("reconciler.run.brake.tripped", Tags.empty(), "1 when the safety brake halted the run or would have")
			.set((report.brake().state() == BrakeState.CLEAR) ? 0 : 1);
		if (report.startedAt() != null && report.endedAt() != null) {
			gauge("reconciler.run.duration.seconds", Tags.empty(), "Wall time of the run, all executions")
				.set(Duration.between(report.startedAt(), report.endedAt()).toSeconds());
		}
		if (report.exitCode() == 0) {
			// the Pushgateway's advice: alert on the age of the last success, not on a
			// missing push
			gauge("reconciler.run.last.success.timestamp.seconds", Tags.empty(), "When a run last completed")
				.set(Instant.now().getEpochSecond());
		}
	}

	private AtomicLong gauge(String name, Tags tags, String description) {
		return this.values.computeIfAbsent(name + tags, (key) -> {
			AtomicLong value = new AtomicLong();
			Gauge.builder(name, value, AtomicLong::get).tags(tags).description(description).register(this.registry);
			return value;
		});
	}

}
