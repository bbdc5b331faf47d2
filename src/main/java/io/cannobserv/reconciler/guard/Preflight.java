package io.cannobserv.reconciler.guard;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.archiver.ArchiverTable;
import io.cannobserv.reconciler.archiver.PointerTable;
import io.cannobserv.reconciler.cli.Failures;
import io.cannobserv.reconciler.link.Resource;
import io.cannobserv.reconciler.run.Evidence;
import io.cannobserv.reconciler.run.RunMode;
import io.cannobserv.reconciler.run.Words;
import io.cannobserv.reconciler.watcher.WatcherClient;
import io.cannobserv.reconciler.watcher.WatcherClient.WatcherAnswer;
import io.cannobserv.reconciler.watcher.WatcherProperties;

/**
 * Checks, before any item is read, that the run can do its work: Archiver's table and the
 * columns it reads and writes exist, the database role holds the privileges the run will
 * use (see {@link RolePrivileges}), Watcher is healthy, and it accepts the key and
 * answers an unknown id with its typed 404. That last probe matters most: a wrong base
 * URL, a path prefix or a proxy answers 404 for everything, and only the typed body
 * proves that a 404 means "deleted".
 */
@Component
public class Preflight {

	private static final Logger logger = LoggerFactory.getLogger(Preflight.class);

	private final PointerTable pointerTable;

	private final ArchiverTable archiver;

	private final RolePrivileges privileges;

	/**
	 * Asked for by a run only: {@code prune} and {@code restore} check the database
	 * alone.
	 */
	private final ObjectProvider<WatcherClient> watcherClient;

	private final WatcherProperties watcherProperties;

	/** What the link calls its API and its gone answer, in the refusals. */
	private final Words words;

	Preflight(PointerTable pointerTable, RolePrivileges privileges, ObjectProvider<WatcherClient> watcherClient,
			WatcherProperties watcherProperties, Words words) {
		this.words = words;
		this.pointerTable = pointerTable;
		this.privileges = privileges;
		this.archiver = pointerTable.table();
		this.watcherClient = watcherClient;
		this.watcherProperties = watcherProperties;
	}

	/**
	 * Run every check of a {@code reconcile} run.
	 * @param mode whether the run will write: an applying run needs more privileges
	 * @throws PreflightException with the cause and the fix
	 */
	public void check(RunMode mode) {
		checkConfiguration();
		checkDatabase(DatabaseUse.RECONCILE, mode);
		checkWatcher();
	}

	/**
	 * Check that Archiver's table has the columns {@code use} reads and writes, and that
	 * the role holds every privilege it will use there and in the job's schema. Reads
	 * only the catalog.
	 * @throws PreflightException with the cause and the fix: for missing privileges, the
	 * statements that grant them
	 */
	public void checkDatabase(DatabaseUse use, RunMode mode) {
		checkDatabase(use, mode, Map.of());
	}

	/**
	 * Like {@link #checkDatabase(DatabaseUse, RunMode)}, and that the role holds
	 * {@code jobTables}' privileges on tables of the job's schema (which it owns, unless
	 * one was revoked from it).
	 * @param jobTables privileges by table of the job's schema, e.g. {@code DELETE}
	 */
	public void checkDatabase(DatabaseUse use, RunMode mode, Map<String, List<String>> jobTables) {
		try {
			checkArchiverTable(use, mode);
			String role = this.privileges.role();
			List<String> missing = this.privileges.missing(use, mode, role, jobTables);
			if (!missing.isEmpty()) {
				throw new PreflightException("Database role " + role + " lacks privileges that " + describe(use, mode)
						+ " needs, so nothing was read or written; as the owner of those objects (or a superuser), run: "
						+ String.join(" ", missing));
			}
		}
		catch (DataAccessException ex) {
			throw new PreflightException("Cannot query Archiver's database: " + Failures.rootMessage(ex)
					+ ": check SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD");
		}
	}

	private static String describe(DatabaseUse use, RunMode mode) {
		return use.name().toLowerCase(Locale.ROOT) + ((mode == RunMode.APPLY) ? " --apply" : " (dry run)");
	}

	private void checkConfiguration() {
		try {
			this.watcherProperties.requiredBaseUrl();
			this.watcherProperties.requiredApiKey();
		}
		catch (IllegalStateException ex) {
			throw new PreflightException(ex.getMessage());
		}
	}

	private void checkArchiverTable(DatabaseUse use, RunMode mode) {
		String table = this.archiver.qualifiedTable();
		if (!this.pointerTable.exists()) {
			throw new PreflightException("Table " + table
					+ " does not exist in this database: check SPRING_DATASOURCE_URL points at Archiver's database");
		}
		if (!this.pointerTable.hasIdAndPointerColumns()) {
			throw new PreflightException(table + " has no column " + this.archiver.pointerColumn() + " (or "
					+ this.archiver.idColumn() + "): Archiver 4.13 and later dropped the pointer and "
					+ "Watcher links back itself, so there is nothing to reconcile in this database");
		}
		if ((use != DatabaseUse.RECONCILE || mode == RunMode.APPLY) && !this.pointerTable.hasChangedAt()) {
			throw new PreflightException(table + " has no column " + this.archiver.changedAtColumn() + ", which "
					+ describe(use, mode) + " needs (every write sets it, and restore compares it with what a clear"
					+ " left): check reconciler.archiver.table");
		}
		if (use == DatabaseUse.RECONCILE && mode == RunMode.APPLY && this.pointerTable.hasWatchStatus()
				&& !this.pointerTable.watchStatusHasIdColumn()) {
			throw new PreflightException(this.archiver.qualifiedWatchStatusTable() + " has no column "
					+ this.archiver.idColumn() + ", by which a clear deletes the InfoItem's row there: check "
					+ "reconciler.archiver.watch-status-table");
		}
	}

	private void checkWatcher() {
		String baseUrl = String.valueOf(this.watcherProperties.baseUrl());
		Resource resource = this.watcherClient.getObject().link().resource();
		String healthPath = resource.health();
		if (healthPath != null) {
			WatcherAnswer health = get(healthPath, false);
			if (health.status() != 200) {
				throw new PreflightException(said("{api} at ") + baseUrl + " is not healthy: GET " + healthPath
						+ " answered HTTP " + health.status() + " " + abbreviate(health.body())
						+ said(": check WATCHER_BASE_URL ({api}'s root URL" + rootHint(resource)
								+ ") and {api} itself"));
			}
		}
		// an id that cannot exist must get exactly a gone answer (for Watcher, the lowest
		// ULID and its typed 404)
		WatcherAnswer probe = get(resource.probePath(), true);
		if (probe.status() == 401 || probe.status() == 403) {
			throw new PreflightException(said("{api} at ") + baseUrl + " rejected the API key (HTTP " + probe.status()
					+ " " + abbreviate(probe.body()) + said("): set WATCHER_API_KEY to a key {api} accepts"));
		}
		if (!probe.typedNotFound()) {
			throw new PreflightException(said("{api} at ") + baseUrl
					+ said(" did not answer an unknown id with {gone} ") + "(got HTTP " + probe.status() + " "
					+ abbreviate(probe.body())
					+ said("), so its 404s cannot be trusted as deletions: check WATCHER_BASE_URL and any proxy in front of {api}"));
		}
		logger.info("Preflight passed: {} has {}, {} at {} is healthy and accepts the key",
				this.archiver.qualifiedTable(), this.archiver.pointerColumn(), this.words.api(), baseUrl);
	}

	private WatcherAnswer get(String path, boolean authenticated) {
		try {
			return this.watcherClient.getObject().get(path, authenticated);
		}
		catch (SocketTimeoutException ex) {
			throw new PreflightException(said("{api} at ") + this.watcherProperties.baseUrl() + " did not answer GET "
					+ path + " in time (connect timeout " + this.watcherProperties.connectTimeout() + ", read timeout "
					+ this.watcherProperties.readTimeout() + ", request timeout "
					+ this.watcherProperties.requestTimeout() + "): check WATCHER_BASE_URL and the network");
		}
		catch (IOException ex) {
			throw new PreflightException(said("{api} at ") + this.watcherProperties.baseUrl() + " is unreachable ("
					+ ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + ex.getMessage() : "")
					+ "): check WATCHER_BASE_URL and the network");
		}
	}

	/** {@code template} in the link's words ({@link Words#render}). */
	private String said(String template) {
		return this.words.render(template);
	}

	/**
	 * What the base URL leaves out of the link's paths, as {@code , no /api/v1}: the item
	 * path's segments before the collection and the id.
	 */
	private static String rootHint(Resource resource) {
		String[] segments = resource.item().split("/");
		String prefix = String.join("/", Arrays.copyOfRange(segments, 0, Math.max(0, segments.length - 2)));
		return prefix.isEmpty() ? "" : ", no " + prefix;
	}

	private static String abbreviate(String body) {
		return Evidence.of(body, 120);
	}

}
