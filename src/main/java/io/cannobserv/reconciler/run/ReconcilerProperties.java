package io.cannobserv.reconciler.run;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of a reconcile run.
 *
 * @param chunkSize pointers per chunk, = the reader's page: one keyset query, one
 * transaction per chunk
 * @param concurrency the most Watcher requests in flight, for the whole run (each process
 * of a partitioned run takes its share): a ceiling, below which the limit adapts to
 * Watcher's latency (it starts at 8, grows while latency stays at its floor, and shrinks
 * when latency rises or Watcher answers 429 or 5xx or times out)
 * @param partition this process's share of the pointers, from 0
 * @param partitions how many shares the pointers are split into, one process each
 * @param reportDir where {@code run-<id>.json} is written
 * @param progressInterval how often a run logs its progress and pushes it to the
 * Pushgateway (the OTLP export's step too)
 * @param jobSchema the job's own schema (batch metadata, audit, history)
 * @param strategy how Watcher is asked: {@code per-item} (one lookup per pointer),
 * {@code snapshot} (Watcher's whole list in one request, lookups only for the pointers
 * missing from it) or {@code auto} ({@code snapshot} from 1000 pointers to check when the
 * link has a list, {@code per-item} below)
 * @param relink re-link a gone or mismatched pointer to the one WatchedItem that links
 * back to its InfoItem, confirmed by a lookup of it, instead of clearing or keeping it
 * @param fixedConcurrency keep {@code --concurrency} requests in flight, not adapting to
 * Watcher's latency and answers: for a Watcher whose capacity is known
 */
@ConfigurationProperties("reconciler")
public record ReconcilerProperties(@DefaultValue("250") int chunkSize, @DefaultValue("64") int concurrency,
		@DefaultValue("0") int partition, @DefaultValue("1") int partitions, @DefaultValue("reports") Path reportDir,
		@DefaultValue("10s") Duration progressInterval, @DefaultValue("watcher_link_reconciler") String jobSchema,
		@DefaultValue("auto") Strategy strategy, @DefaultValue("false") boolean relink,
		@DefaultValue("false") boolean fixedConcurrency) {

	public ReconcilerProperties {
		if (chunkSize < 1 || chunkSize > 10_000) {
			throw new IllegalArgumentException("--chunk-size must be between 1 and 10000, was " + chunkSize);
		}
		if (concurrency < 1 || concurrency > 256) {
			throw new IllegalArgumentException("--concurrency must be between 1 and 256, was " + concurrency);
		}
		if (partitions < 1 || partitions > 1024) {
			throw new IllegalArgumentException("--partitions must be between 1 and 1024, was " + partitions);
		}
		if (partition < 0 || partition >= partitions) {
			throw new IllegalArgumentException("--partition must be between 0 and --partitions minus 1 ("
					+ (partitions - 1) + "), was " + partition);
		}
		SqlIdentifier.check(jobSchema, "--job-schema");
	}

	public boolean partitioned() {
		return this.partitions > 1;
	}

}
