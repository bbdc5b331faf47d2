package io.cannobserv.reconciler.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.boot.micrometer.metrics.export.prometheus.PrometheusPushGatewayManager;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Boot's push of the metrics to the Pushgateway, made to carry a run's progress: the run
 * asks for a push ({@link #pushNow}) each time it publishes its progress, and a thread of
 * this class POSTs the registry, so that a slow or unreachable gateway never slows the
 * run. At most one push is in flight and one waits; a request past those is dropped, the
 * waiting push sending the latest figures anyway.
 * <p>
 * The push at exit (Boot's shutdown operation, a PUT that replaces the group) waits for
 * the progress push in flight, and drops the waiting one, so that no progress push can
 * land after it and leave a stale running flag in the group. Boot pushes on a schedule of
 * its own ({@code push-rate}) from a thread this class cannot wait for: that schedule is
 * set too far apart to run again after the first push at start, which carries no
 * progress.
 */
class RunGroupPush extends PrometheusPushGatewayManager {

	private static final Logger logger = LoggerFactory.getLogger(RunGroupPush.class);

	/** Boot's first scheduled push runs at start; the next would come after this. */
	private static final Duration ONCE = Duration.ofDays(365);

	/**
	 * The longest a push can take: the client's connect and read timeouts (10 s each),
	 * and a little more.
	 */
	private static final Duration LONGEST_PUSH = Duration.ofSeconds(25);

	private final PushGateway pushGateway;

	private final ThreadPoolExecutor pusher;

	private volatile boolean failed;

	RunGroupPush(PushGateway pushGateway, ShutdownOperation shutdownOperation) {
		super(pushGateway, ONCE, shutdownOperation);
		this.pushGateway = pushGateway;
		CustomizableThreadFactory threads = new CustomizableThreadFactory("progress-push-");
		threads.setDaemon(true);
		this.pusher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1), threads,
				new ThreadPoolExecutor.DiscardPolicy());
	}

	/** POST the registry to the run's group soon, without waiting for it. */
	void pushNow() {
		// its lines name the run, as the run's own do
		Map<String, String> logContext = MDC.getCopyOfContextMap();
		this.pusher.execute(() -> {
			if (logContext != null) {
				MDC.setContextMap(logContext);
			}
			post();
		});
	}

	private void post() {
		try {
			this.pushGateway.pushAdd();
		}
		catch (Exception ex) {
			// once: a gateway that is down would otherwise fill the log
			if (!this.failed) {
				this.failed = true;
				logger.warn("Progress not pushed to the Pushgateway: {}; the run goes on, and pushes again",
						ex.toString());
			}
		}
	}

	/**
	 * Waits for the progress push in flight (at most {@link #LONGEST_PUSH}), then makes
	 * Boot's push at exit.
	 */
	@Override
	public void shutdown() {
		this.pusher.shutdownNow();
		try {
			if (!this.pusher.awaitTermination(LONGEST_PUSH.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.warn("A progress push to the Pushgateway did not end within {} s; pushing the final figures",
						LONGEST_PUSH.toSeconds());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		super.shutdown();
	}

}
