package io.cannobserv.reconciler.guard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.cannobserv.reconciler.archiver.ArchiverTable;
import io.cannobserv.reconciler.archiver.PointerTable;
import io.cannobserv.reconciler.run.RunMode;
import io.cannobserv.reconciler.store.JobSchema;

/**
 * What the database role lacks of the privileges a command will use, as the statements
 * that grant them. Read from the catalog, so it can be asked before anything is read or
 * written: a role that may read but not write would otherwise run dry runs fine and fail
 * every chunk of an applying run.
 * <p>
 * On Archiver's tables: the columns each command reads and writes, as
 * {@code docs/least-privilege.sql} grants them. In the job's own schema: the job creates
 * and migrates its tables there, so it must be able to create in it and own what is in
 * it.
 */
@Component
class RolePrivileges {

	private final PointerTable pointerTable;

	private final JdbcTemplate jdbc;

	private final JobSchema jobSchema;

	RolePrivileges(PointerTable pointerTable, JdbcTemplate jdbc, JobSchema jobSchema) {
		this.pointerTable = pointerTable;
		this.jdbc = jdbc;
		this.jobSchema = jobSchema;
	}

	/** The current role, as a statement names it. */
	String role() {
		return this.jdbc.queryForObject("SELECT quote_ident(current_user)", String.class);
	}

	/**
	 * The statements that give {@code role} what {@code use} in {@code mode} needs, in
	 * the order to run them; empty when it holds everything.
	 * @param jobTables privileges the command uses on tables of the job's schema beyond
	 * owning them, by table (a table that does not exist yet is left out: the role will
	 * create and own it)
	 */
	List<String> missing(DatabaseUse use, RunMode mode, String role, Map<String, List<String>> jobTables) {
		List<String> statements = new ArrayList<>();
		ArchiverTable archiver = this.pointerTable.table();
		if (!this.pointerTable.mayUseSchema()) {
			statements.add("GRANT USAGE ON SCHEMA " + archiver.schema() + " TO " + role + ";");
		}
		Map<String, List<String>> clauses = new LinkedHashMap<>();
		for (Need need : needs(use, mode)) {
			lacking(need)
				.ifPresent((clause) -> clauses.computeIfAbsent(need.table(), (table) -> new ArrayList<>()).add(clause));
		}
		clauses.forEach((table, lacking) -> statements.add("GRANT " + String.join(", ", lacking) + " ON "
				+ archiver.schema() + "." + table + " TO " + role + ";"));
		statements.addAll(missingInJobSchema(role));
		statements.addAll(missingOnJobTables(role, jobTables));
		return statements;
	}

	private List<Need> needs(DatabaseUse use, RunMode mode) {
		ArchiverTable archiver = this.pointerTable.table();
		String table = archiver.table();
		String changedAt = archiver.changedAtColumn();
		String watchStatus = archiver.watchStatusTable();
		List<String> read = new ArrayList<>(List.of(archiver.idColumn(), archiver.pointerColumn()));
		// restore compares updated_at with what the clear left, and prune whether restore
		// still could; a clear records it
		if ((use != DatabaseUse.RECONCILE || mode == RunMode.APPLY) && changedAt != null) {
			read.add(changedAt);
		}
		List<Need> needs = new ArrayList<>();
		needs.add(new Need(table, "SELECT", read));
		if (mode == RunMode.APPLY && use != DatabaseUse.PRUNE) {
			List<String> written = new ArrayList<>(List.of(archiver.pointerColumn()));
			if (changedAt != null) {
				written.add(changedAt);
			}
			needs.add(new Need(table, "UPDATE", written));
			if (use == DatabaseUse.RECONCILE && watchStatus != null && this.pointerTable.hasWatchStatus()) {
				// DELETE ... USING reads the id column of the row it deletes
				needs.add(new Need(watchStatus, "SELECT", List.of(archiver.idColumn())));
				needs.add(new Need(watchStatus, "DELETE", List.of()));
			}
		}
		return needs;
	}

	/** The clause of a GRANT that gives what the role lacks of {@code need}. */
	private Optional<String> lacking(Need need) {
		if (need.columns().isEmpty()) {
			return this.pointerTable.may(need.privilege(), need.table(), null) ? Optional.empty()
					: Optional.of(need.privilege());
		}
		List<String> columns = need.columns()
			.stream()
			.filter((column) -> !this.pointerTable.may(need.privilege(), need.table(), column))
			.toList();
		return columns.isEmpty() ? Optional.empty()
				: Optional.of(need.privilege() + " (" + String.join(", ", columns) + ")");
	}

	private List<String> missingInJobSchema(String role) {
		String schema = this.jobSchema.name();
		List<Map<String, Object>> privileges = this.jdbc.queryForList(
				"SELECT has_schema_privilege(oid, 'USAGE') AS may_use, has_schema_privilege(oid, 'CREATE') AS may_create"
						+ " FROM pg_namespace WHERE nspname = ?",
				schema);
		if (privileges.isEmpty()) {
			// the job creates its schema, which needs CREATE on the database; a schema
			// made for it is the narrower grant
			return Boolean.TRUE.equals(this.jdbc
				.queryForObject("SELECT has_database_privilege(current_database(), 'CREATE')", Boolean.class))
						? List.of() : List.of("CREATE SCHEMA " + schema + " AUTHORIZATION " + role + ";");
		}
		List<String> statements = new ArrayList<>();
		List<String> lacking = new ArrayList<>();
		if (!Boolean.TRUE.equals(privileges.get(0).get("may_use"))) {
			lacking.add("USAGE");
		}
		if (!Boolean.TRUE.equals(privileges.get(0).get("may_create"))) {
			lacking.add("CREATE");
		}
		if (!lacking.isEmpty()) {
			statements.add("GRANT " + String.join(", ", lacking) + " ON SCHEMA " + schema + " TO " + role + ";");
		}
		// migrations alter the job's tables, which only their owner may do; a sequence
		// that belongs to a column changes owner with its table
		statements.addAll(this.jdbc.query("SELECT c.relname, c.relkind = 'S' AS sequence FROM pg_class c"
				+ " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'S')"
				+ " AND NOT pg_has_role(c.relowner, 'USAGE') AND NOT EXISTS (SELECT 1 FROM pg_depend d"
				+ " WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))"
				+ " ORDER BY c.relname",
				(rs, i) -> "ALTER " + (rs.getBoolean("sequence") ? "SEQUENCE " : "TABLE ") + schema + "."
						+ rs.getString("relname") + " OWNER TO " + role + ";",
				schema));
		return statements;
	}

	/**
	 * What the role lacks of {@code privileges} on tables of the job's schema. An owner
	 * holds every privilege on its table unless it was revoked, which is what this finds.
	 */
	private List<String> missingOnJobTables(String role, Map<String, List<String>> privileges) {
		String schema = this.jobSchema.name();
		List<String> statements = new ArrayList<>();
		privileges.forEach((table, needed) -> {
			String qualified = schema + "." + table;
			if (!Boolean.TRUE
				.equals(this.jdbc.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class, qualified))) {
				return;
			}
			List<String> lacking = needed.stream()
				.filter((privilege) -> !Boolean.TRUE.equals(this.jdbc.queryForObject(
						"SELECT has_table_privilege(to_regclass(?), ?)", Boolean.class, qualified, privilege)))
				.toList();
			if (!lacking.isEmpty()) {
				statements.add("GRANT " + String.join(", ", lacking) + " ON " + qualified + " TO " + role + ";");
			}
		});
		return statements;
	}

	/**
	 * A privilege a command uses on one of Archiver's tables.
	 *
	 * @param table the table, in Archiver's schema
	 * @param privilege {@code SELECT}, {@code UPDATE}, {@code DELETE}
	 * @param columns the columns it is used on; empty for the whole table
	 */
	private record Need(String table, String privilege, List<String> columns) {
	}

}
