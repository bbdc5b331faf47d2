package io.cannobserv.reconciler.report;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;

/**
 * Listeners of the run's end that a test adds to the application with
 * {@code --spring.main.sources}: one that fails, and one after it that notes what it
 * heard. Deliberately no {@code @Configuration}: the application's component scan covers
 * its package, and would add a failing listener to every run on the test class path, the
 * demo's included ({@code ComponentScanTests}).
 */
public class RunEndedTestListeners {

	static final List<RunEnded> heard = new CopyOnWriteArrayList<>();

	@EventListener
	@Order(RunEnded.TELL - 1)
	void fail(RunEnded ended) {
		throw new IllegalStateException("notification service unreachable");
	}

	@EventListener
	@Order(RunEnded.TELL + 1)
	void hear(RunEnded ended) {
		heard.add(ended);
	}

}
