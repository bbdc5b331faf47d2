package io.cannobserv.reconciler.support;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What every job test starts from: a fresh database holding Archiver's 4.10 schema (with
 * {@code watch_status}) and a fake Watcher, both new for each test. Register it with
 * {@code @RegisterExtension}; it is set up before the test's own {@code @BeforeEach} and
 * torn down after its {@code @AfterEach}.
 */
public final class ArchiverTestBed implements BeforeEachCallback, AfterEachCallback {

	private TestDatabase database;

	private ArchiverDatabase archiver;

	private FakeWatcher watcher;

	@Override
	public void beforeEach(ExtensionContext context) {
		this.database = TestPostgres.newDatabase();
		this.archiver = ArchiverDatabase.createSchema(this.database.jdbc(), ArchiverVersion.V4_10);
		this.watcher = new FakeWatcher().start();
	}

	@Override
	public void afterEach(ExtensionContext context) {
		this.watcher.stop();
	}

	/**
	 * Switch to {@code database}, e.g. on a server of the test's own, and give it
	 * Archiver's schema.
	 */
	public void moveTo(TestDatabase database) {
		this.database = database;
		this.archiver = ArchiverDatabase.createSchema(database.jdbc(), ArchiverVersion.V4_10);
	}

	public TestDatabase database() {
		return this.database;
	}

	public ArchiverDatabase archiver() {
		return this.archiver;
	}

	public FakeWatcher watcher() {
		return this.watcher;
	}

}
