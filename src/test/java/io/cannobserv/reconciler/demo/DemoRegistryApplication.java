package io.cannobserv.reconciler.demo;

import java.util.ArrayList;
import java.util.List;

import io.cannobserv.reconciler.WatcherReconcilerApplication;
import io.cannobserv.reconciler.support.ArchiverDatabase;
import io.cannobserv.reconciler.support.ArchiverVersion;
import io.cannobserv.reconciler.support.FakeWatcher;
import io.cannobserv.reconciler.support.RegistryFixture;
import io.cannobserv.reconciler.support.RegistryFixture.Mix;
import io.cannobserv.reconciler.support.TestDatabase;
import io.cannobserv.reconciler.support.TestPostgres;

/**
 * The real job, in apply mode, against an embedded PostgreSQL 17 and an in-process fake
 * Watcher answering Watcher's real bodies, seeded with a registry of a few thousand
 * InfoItems. Needs nothing but a JDK 17 and Maven: {@code mvn spring-boot:test-run}.
 * Arguments are passed on to the job, after the demo's own.
 */
public final class DemoRegistryApplication {

	private static final Mix REGISTRY = new Mix(2600, 120, 150, 10, 20, 15, 40, 25, 520);

	private DemoRegistryApplication() {
	}

	public static void main(String[] args) {
		TestDatabase database = TestPostgres.newDatabase();
		ArchiverDatabase archiver = ArchiverDatabase.createSchema(database.jdbc(), ArchiverVersion.V4_10);
		int exitCode;
		try (FakeWatcher watcher = new FakeWatcher().start()) {
			RegistryFixture.create(archiver, watcher, REGISTRY, 20261126L);
			System.out.printf("%nDemo registry: %d InfoItems in %s, fake Watcher at %s%n", REGISTRY.total(),
					database.jdbcUrl(), watcher.baseUrl());
			System.out.printf("  %d live, %d archived, %d deleted in Watcher, %d linked to another InfoItem,%n",
					REGISTRY.live(), REGISTRY.archived(), REGISTRY.gone(), REGISTRY.mismatched());
			System.out.printf("  %d answering a 404 that is not Watcher's, %d always failing, %d failing once,%n",
					REGISTRY.notFoundUnconfirmed(), REGISTRY.transientAlways(), REGISTRY.flakyThenLive());
			System.out.printf("  %d malformed pointers, %d without a pointer%n%n", REGISTRY.malformed(),
					REGISTRY.withoutPointer());
			List<String> jobArgs = new ArrayList<>(List.of("reconcile", "--apply"));
			jobArgs.addAll(List.of(database.springArgs()));
			jobArgs.add("--watcher-base-url=" + watcher.baseUrl());
			jobArgs.add("--reconciler.watcher.api-key=" + watcher.apiKey());
			jobArgs.add("--initial-backoff=20ms");
			jobArgs.add("--max-requests-per-second=0");
			jobArgs.addAll(List.of(args));
			exitCode = WatcherReconcilerApplication.run(System.out, System.err, jobArgs.toArray(String[]::new));
		}
		System.exit(exitCode);
	}

}
