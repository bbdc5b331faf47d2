package io.cannobserv.reconciler.run;

/**
 * The process exit codes, the contract with operators and Kubernetes.
 */
public enum ExitCode {

	/** The run completed; transient skips are allowed and reported. */
	COMPLETED(0),

	/**
	 * The run failed or was stopped; the same command resumes it from its last committed
	 * chunk.
	 */
	RESUMABLE(1),

	/**
	 * The run could not start (configuration, preflight): nothing read, nothing written.
	 */
	NOT_STARTED(2),

	/** The safety brake halted the run before a chunk was written. */
	BRAKE(3),

	/** Another run holds the lock: this process read and wrote nothing. */
	LOCKED(4);

	private final int code;

	ExitCode(int code) {
		this.code = code;
	}

	public int code() {
		return this.code;
	}

}
