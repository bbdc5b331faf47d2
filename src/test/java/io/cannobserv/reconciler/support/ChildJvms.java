package io.cannobserv.reconciler.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The child JVMs a test starts, killed (SIGKILL) after it if still alive, so that a
 * failed test leaves no process holding the database or a port. Declare it after the test
 * bed: extensions end in the reverse order, so the children go first.
 */
public final class ChildJvms implements AfterEachCallback {

	private final List<ChildJvm> started = new CopyOnWriteArrayList<>();

	/** Starts {@code args} in a child JVM, as {@link ChildJvm#start(String, List)}. */
	public ChildJvm start(String name, List<String> args) {
		ChildJvm child = ChildJvm.start(name, args);
		this.started.add(child);
		return child;
	}

	@Override
	public void afterEach(ExtensionContext context) {
		this.started.stream().filter(ChildJvm::isAlive).forEach(ChildJvm::kill9);
		this.started.clear();
	}

}
