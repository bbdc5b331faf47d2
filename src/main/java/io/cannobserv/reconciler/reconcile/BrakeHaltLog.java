package io.cannobserv.reconciler.reconcile;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

import io.cannobserv.reconciler.cli.Failures;
import io.cannobserv.reconciler.guard.SafetyBrakeException;

/**
 * A brake trip is a halt the job decided, not a crash: the run logs it in one WARN line
 * and prints its summary. Spring Batch, which sees only an exception from the writer,
 * would add three ERROR lines and a hundred lines of stack trace; from the moment the
 * writer halts until the run has ended, on the halting thread, this drops those: the
 * framework's errors that carry the brake's exception, and the step's line without one
 * that announces it. A logger set to DEBUG still gets them, stack trace and all.
 */
final class BrakeHaltLog {

	private static final ThreadLocal<Boolean> halting = ThreadLocal.withInitial(() -> false);

	private static final String FRAMEWORK = "org.springframework.batch.";

	/** Spring Batch's step, which logs the failed write without its exception. */
	private static final String CHUNK_STEP = FRAMEWORK + "core.step.item.ChunkOrientedStep";

	private BrakeHaltLog() {
	}

	/** The writer halts the run on this thread: quiet the framework's errors about it. */
	static void halting() {
		if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
				&& context.getTurboFilterList().stream().noneMatch(Filter.class::isInstance)) {
			context.addTurboFilter(new Filter());
		}
		halting.set(true);
	}

	/** The run has ended: errors are logged as ever again. */
	static void ended() {
		halting.remove();
	}

	/** Drops the framework's ERROR events about a halt; passes everything else on. */
	static final class Filter extends TurboFilter {

		@Override
		public FilterReply decide(@Nullable Marker marker, @Nullable Logger logger, @Nullable Level level,
				@Nullable String format, Object @Nullable [] params, @Nullable Throwable t) {
			if (!halting.get() || logger == null || level == null || level.toInt() < Level.ERROR_INT
					|| !logger.getName().startsWith(FRAMEWORK)
					|| logger.getEffectiveLevel().toInt() <= Level.DEBUG_INT) {
				return FilterReply.NEUTRAL;
			}
			boolean aboutTheBrake = (t != null) ? Failures.find(t, SafetyBrakeException.class).isPresent()
					: logger.getName().equals(CHUNK_STEP);
			return aboutTheBrake ? FilterReply.DENY : FilterReply.NEUTRAL;
		}

	}

}
