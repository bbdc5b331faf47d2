package io.cannobserv.reconciler.guard;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import sun.misc.Signal;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.watcher.WatcherClient;

/**
 * Stops a run at the next chunk boundary on SIGTERM or SIGINT, so the chunk in flight
 * commits, the run ends STOPPED (resumable) and the process exits with code 1 after its
 * report. The JVM's own handler would start the shutdown sequence instead, close the
 * connection pool under the running chunk and exit with 143.
 * <p>
 * A second signal, or one that arrives before a run starts, exits at once: nothing is
 * half-written, since every chunk is one transaction.
 * <p>
 * Lookups not yet sent are not sent: they come back transient at once, and requests in
 * flight end by their deadline ({@code --request-timeout}), so the chunk in flight ends
 * within about that long, however slowly Watcher answers. In the first pass it commits,
 * and the resumed run's recheck asks the pointers left unasked; a recheck chunk is rolled
 * back instead (see {@code ReconcileJobConfiguration}).
 * <p>
 * The stop is only flagged, in memory; the step thread sees it at the chunk boundary and
 * remains the only writer of the run's metadata. {@code JobOperator.stop} is not used:
 * from this thread it writes the running step execution (racing the step's own writes,
 * see spring-batch#5308) and, through {@code StepSynchronizationManager.release()},
 * closes the step-scoped reader under the running step, which resets the read count the
 * last chunk then commits to 0, so the resumed run would start again from the first page.
 */
@Component
public class GracefulStop implements JobExecutionListener {

	private static final Logger logger = LoggerFactory.getLogger(GracefulStop.class);

	private final AtomicReference<@Nullable JobExecution> running = new AtomicReference<>();

	/**
	 * Only a run has one: {@code report}, {@code prune} and {@code restore} never create
	 * it.
	 */
	private final ObjectProvider<WatcherClient> watcherClient;

	private volatile boolean stopRequested;

	private volatile @Nullable Map<String, String> logContext;

	public GracefulStop(ObjectProvider<WatcherClient> watcherClient) {
		this.watcherClient = watcherClient;
	}

	/** Whether a signal asked the run to stop. */
	public boolean isStopRequested() {
		return this.stopRequested;
	}

	/**
	 * Take over SIGTERM and SIGINT. Called by {@code main} only: tests run in-process.
	 */
	public void install() {
		Signal.handle(new Signal("TERM"), this::onSignal);
		Signal.handle(new Signal("INT"), this::onSignal);
	}

	@Override
	public void beforeJob(JobExecution jobExecution) {
		// the signal's lines name the run as the run's own lines do
		this.logContext = MDC.getCopyOfContextMap();
		this.running.set(jobExecution);
		if (this.stopRequested) {
			stop(jobExecution);
		}
	}

	@Override
	public void afterJob(JobExecution jobExecution) {
		this.running.set(null);
	}

	private void onSignal(Signal signal) {
		Map<String, String> logContext = this.logContext;
		if (logContext != null) {
			MDC.setContextMap(logContext);
		}
		JobExecution execution = this.running.get();
		if (this.stopRequested || execution == null) {
			logger.warn("SIG{}: exiting now; no chunk is half-written (each is one transaction)", signal.getName());
			// not System.exit from the signal thread: it would wait for the run that
			// holds this process
			Runtime.getRuntime().halt(1);
		}
		this.stopRequested = true;
		stop(execution);
		this.watcherClient.getObject().stop();
		// logged after the flags are set: the step thread takes the same appender lock
		// when it logs the
		// chunk, so it sees them (they are not volatile)
		logger.warn("SIG{}: stopping run {} at the next chunk boundary; run the same command again to resume",
				signal.getName(), execution.getJobInstance().getInstanceId());
	}

	private void stop(JobExecution execution) {
		try {
			// a step not yet started is refused by the job; a running one stops after its
			// chunk commits
			execution.setStatus(BatchStatus.STOPPING);
			for (StepExecution step : execution.getStepExecutions()) {
				if (step.getStatus().isRunning()) {
					step.setTerminateOnly();
				}
			}
		}
		catch (Exception ex) {
			logger.warn("Could not stop run {}: {}", execution.getJobInstance().getInstanceId(), ex.getMessage());
		}
	}

}
