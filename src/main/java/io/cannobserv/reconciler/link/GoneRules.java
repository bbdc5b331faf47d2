package io.cannobserv.reconciler.link;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A link's gone answers: an answer that matches any one of them proves the resource gone;
 * every other answer proves nothing.
 *
 * @param rules at least one
 */
public record GoneRules(List<GoneRule> rules) {

	public GoneRules {
		if (rules.isEmpty()) {
			throw new IllegalArgumentException("at least one gone rule");
		}
		rules = List.copyOf(rules);
	}

	/**
	 * Whether an answer proves the resource gone.
	 * @param status the answer's HTTP status
	 * @param contentType its {@code Content-Type}, if any
	 * @param body its body, if any
	 * @return whether any one rule matches it
	 */
	public boolean matches(int status, @Nullable String contentType, @Nullable String body) {
		return this.rules.stream().anyMatch((rule) -> rule.matches(status, contentType, body));
	}

}
