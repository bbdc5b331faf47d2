package io.cannobserv.reconciler.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * How many pointers a run checked, per verdict and per written outcome. Kept in the step's
 * execution context, so it is committed with each chunk and survives a restart exactly.
 */
public record RunCounts(long read, long live, long archived, long gone, long cleared, long wouldClear,
		long changedConcurrently, long notFoundUnconfirmed, long malformed, long mismatched,
		@JsonProperty("transient") long transientCount) {

	public static final RunCounts ZERO = new RunCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

	private static final String KEY_PREFIX = "reconciler.counts.";

	private static final Map<String, ToLongFunction<RunCounts>> FIELDS = fields();

	public RunCounts plus(RunCounts other) {
		return new RunCounts(this.read + other.read, this.live + other.live, this.archived + other.archived,
				this.gone + other.gone, this.cleared + other.cleared, this.wouldClear + other.wouldClear,
				this.changedConcurrently + other.changedConcurrently,
				this.notFoundUnconfirmed + other.notFoundUnconfirmed, this.malformed + other.malformed,
				this.mismatched + other.mismatched, this.transientCount + other.transientCount);
	}

	/** The counts by their report names, in report order. */
	public Map<String, Long> asMap() {
		Map<String, Long> map = new LinkedHashMap<>();
		FIELDS.forEach((name, field) -> map.put(name, field.applyAsLong(this)));
		return map;
	}

	public void saveTo(ExecutionContext context) {
		asMap().forEach((name, value) -> context.putLong(KEY_PREFIX + name, value));
	}

	public static RunCounts from(ExecutionContext context) {
		Map<String, Long> values = new LinkedHashMap<>();
		FIELDS.keySet().forEach((name) -> values.put(name, context.getLong(KEY_PREFIX + name, 0L)));
		return new RunCounts(values.get("read"), values.get("live"), values.get("archived"), values.get("gone"),
				values.get("cleared"), values.get("wouldClear"), values.get("changedConcurrently"),
				values.get("notFoundUnconfirmed"), values.get("malformed"), values.get("mismatched"),
				values.get("transient"));
	}

	private static Map<String, ToLongFunction<RunCounts>> fields() {
		Map<String, ToLongFunction<RunCounts>> fields = new LinkedHashMap<>();
		fields.put("read", RunCounts::read);
		fields.put("live", RunCounts::live);
		fields.put("archived", RunCounts::archived);
		fields.put("gone", RunCounts::gone);
		fields.put("cleared", RunCounts::cleared);
		fields.put("wouldClear", RunCounts::wouldClear);
		fields.put("changedConcurrently", RunCounts::changedConcurrently);
		fields.put("notFoundUnconfirmed", RunCounts::notFoundUnconfirmed);
		fields.put("malformed", RunCounts::malformed);
		fields.put("mismatched", RunCounts::mismatched);
		fields.put("transient", RunCounts::transientCount);
		return fields;
	}

}
