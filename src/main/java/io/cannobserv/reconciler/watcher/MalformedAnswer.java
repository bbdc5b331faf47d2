package io.cannobserv.reconciler.watcher;

import java.io.IOException;

import org.jspecify.annotations.Nullable;

/**
 * An answer that did not arrive whole, or says two things about its own framing: a body
 * shorter or longer than its {@code Content-Length}, broken chunks, a header that must
 * come once coming twice, a content coding the job did not ask for. Whatever its bytes,
 * it is no evidence, and is worth asking again.
 */
final class MalformedAnswer extends IOException {

	private final int status;

	private final String problem;

	private final @Nullable String received;

	MalformedAnswer(int status, String problem) {
		this(status, problem, null);
	}

	private MalformedAnswer(int status, String problem, @Nullable String received) {
		super("HTTP " + status + " " + problem, null);
		this.status = status;
		this.problem = problem;
		this.received = received;
	}

	/** The same, knowing the bytes of the body that arrived before it went wrong. */
	MalformedAnswer received(String body) {
		return new MalformedAnswer(this.status, this.problem, body);
	}

	/** The answer's status code. */
	int status() {
		return this.status;
	}

	/**
	 * What was wrong, such as {@code answer cut short: 12 of 40 bytes (Content-Length)}.
	 */
	String problem() {
		return this.problem;
	}

	/** The body as far as it arrived (raw: not yet safe to show), or null. */
	@Nullable String received() {
		return this.received;
	}

}
