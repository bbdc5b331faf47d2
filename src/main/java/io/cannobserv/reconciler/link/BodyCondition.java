package io.cannobserv.reconciler.link;

import java.util.List;
import java.util.stream.Collectors;

import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;

/**
 * What the body of a gone answer must be, once parsed strictly: exactly one JSON value,
 * or a value that holds given values at given JSON pointers.
 */
public sealed interface BodyCondition permits BodyCondition.Exact, BodyCondition.Pointers {

	/** Whether a body, parsed strictly, meets the condition. */
	boolean matches(JsonNode body);

	/**
	 * The condition for a message, after "a body": {@code {"detail":"WatchedItem not
	 * found"}}, or {@code with /error/code "resource_missing"}.
	 */
	String described();

	/**
	 * The body is exactly this value: no key more or less, nothing in another case.
	 *
	 * @param body the value
	 */
	record Exact(JsonNode body) implements BodyCondition {

		@Override
		public boolean matches(JsonNode body) {
			return this.body.equals(body);
		}

		@Override
		public String described() {
			return this.body.toString();
		}

	}

	/**
	 * The body holds each of these values at its pointer, whatever else it holds.
	 *
	 * @param conditions at least one
	 */
	record Pointers(List<PointerEquals> conditions) implements BodyCondition {

		public Pointers {
			if (conditions.isEmpty()) {
				throw new IllegalArgumentException("at least one condition");
			}
			conditions = List.copyOf(conditions);
		}

		@Override
		public boolean matches(JsonNode body) {
			return this.conditions.stream().allMatch((condition) -> condition.matches(body));
		}

		@Override
		public String described() {
			return "with " + this.conditions.stream()
				.map((condition) -> condition.pointer() + " " + condition.value())
				.collect(Collectors.joining(" and "));
		}

	}

	/**
	 * The value at a JSON pointer (RFC 6901) equals a JSON value, type included: the
	 * string {@code "true"} is not {@code true}, a missing value equals nothing.
	 *
	 * @param pointer where, as {@code /error/code}
	 * @param value what, as {@code "resource_missing"}
	 */
	record PointerEquals(JsonPointer pointer, JsonNode value) {

		boolean matches(JsonNode body) {
			return body.at(this.pointer).equals(this.value);
		}

	}

}
