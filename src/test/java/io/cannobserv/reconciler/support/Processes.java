package io.cannobserv.reconciler.support;

import java.util.concurrent.TimeUnit;

/**
 * Stops the helper processes the tests and the benchmark start (a Pushgateway, a
 * WireMock).
 */
public final class Processes {

	private Processes() {
	}

	/** SIGTERM, then SIGKILL when it has not ended within 10 seconds. */
	public static void stop(Process process) {
		process.destroy();
		try {
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				process.waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
