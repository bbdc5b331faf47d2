package io.cannobserv.reconciler.run;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How many pointers a run counted per {@link Outcome}. Immutable; an outcome never
 * counted is 0. In JSON (the report, the run history's {@code counts} column) it is an
 * object keyed by {@link Outcome#jsonName()}, every outcome present, in report order.
 */
public final class RunCounts {

	public static final RunCounts ZERO = new RunCounts(new EnumMap<>(Outcome.class));

	private final Map<Outcome, Long> counts;

	private RunCounts(EnumMap<Outcome, Long> counts) {
		this.counts = Collections.unmodifiableMap(counts);
	}

	/** {@code count} of {@code outcome}, nothing else. */
	public static RunCounts of(Outcome outcome, long count) {
		return ZERO.with(outcome, count);
	}

	/** These counts with {@code outcome} set to {@code count}. */
	public RunCounts with(Outcome outcome, long count) {
		EnumMap<Outcome, Long> counts = copy();
		counts.put(outcome, count);
		return new RunCounts(counts);
	}

	/** These counts with {@code delta} added to {@code outcome}. */
	public RunCounts plus(Outcome outcome, long delta) {
		return with(outcome, get(outcome) + delta);
	}

	public RunCounts plus(RunCounts other) {
		EnumMap<Outcome, Long> counts = copy();
		other.counts.forEach((outcome, count) -> counts.merge(outcome, count, Long::sum));
		return new RunCounts(counts);
	}

	public long get(Outcome outcome) {
		return this.counts.getOrDefault(outcome, 0L);
	}

	/** Every outcome by its JSON name, in report order. */
	@JsonValue
	public Map<String, Long> asMap() {
		Map<String, Long> map = new LinkedHashMap<>();
		for (Outcome outcome : Outcome.values()) {
			map.put(outcome.jsonName(), get(outcome));
		}
		return map;
	}

	/**
	 * Counts from their JSON names; names of outcomes this release does not know are
	 * refused.
	 */
	@JsonCreator(mode = JsonCreator.Mode.DELEGATING)
	public static RunCounts fromMap(Map<String, ? extends Number> byJsonName) {
		EnumMap<Outcome, Long> counts = new EnumMap<>(Outcome.class);
		byJsonName.forEach((name, count) -> counts.put(Outcome.fromJsonName(name), count.longValue()));
		return new RunCounts(counts);
	}

	private EnumMap<Outcome, Long> copy() {
		EnumMap<Outcome, Long> copy = new EnumMap<>(Outcome.class);
		copy.putAll(this.counts);
		return copy;
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof RunCounts that) && asMap().equals(that.asMap());
	}

	@Override
	public int hashCode() {
		return asMap().hashCode();
	}

	@Override
	public String toString() {
		return "RunCounts" + asMap();
	}

}
