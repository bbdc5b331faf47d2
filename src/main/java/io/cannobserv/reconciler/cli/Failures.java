package io.cannobserv.reconciler.cli;

import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads exception chains: an operator needs the cause at the bottom, not the framework's
 * wrappers around it.
 */
public final class Failures {

	private Failures() {
	}

	/** {@code failure} and its causes, outermost first. */
	public static Stream<Throwable> causes(Throwable failure) {
		return Stream.iterate(failure, Objects::nonNull,
				(cause) -> (cause.getCause() != cause) ? cause.getCause() : null);
	}

	/** The first exception of {@code type} in the chain of {@code failure}. */
	public static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
		return causes(failure).filter(type::isInstance).map(type::cast).findFirst();
	}

	public static Throwable root(Throwable failure) {
		return causes(failure).reduce((outer, inner) -> inner).orElse(failure);
	}

	/** The first line of the root cause's message, or its class name when it has none. */
	public static String rootMessage(Throwable failure) {
		Throwable root = root(failure);
		return (root.getMessage() != null) ? root.getMessage().lines().findFirst().orElse("")
				: root.getClass().getSimpleName();
	}

}
