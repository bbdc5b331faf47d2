package io.cannobserv.reconciler.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The series selectors of a PromQL expression ({@code name{label="value", ...}}), enough
 * of PromQL to tell a metric name from a function, a keyword, a label list
 * ({@code by (...)}, {@code on (...)}), a number, a duration or a string. Grafana's
 * variables ({@code $mode}, {@code $__rate_interval}) are left in place.
 */
final class PromQlSelectors {

	/** Keywords followed by a list of label names in parentheses. */
	private static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left",
			"group_right");

	/** Keywords and literals that are neither a metric nor a function. */
	private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf", "nan",
			"group_left", "group_right");

	/**
	 * Aggregation operators, which may take their label list before their parentheses.
	 */
	private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
			"count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");

	private final String expr;

	private int i;

	private PromQlSelectors(String expr) {
		this.expr = expr;
	}

	static List<Selector> of(String expr) {
		return new PromQlSelectors(expr).selectors();
	}

	private List<Selector> selectors() {
		List<Selector> selectors = new ArrayList<>();
		while (this.i < this.expr.length()) {
			char c = this.expr.charAt(this.i);
			if (c == '"' || c == '\'' || c == '`') {
				string();
			}
			else if (c == '#') {
				while (this.i < this.expr.length() && this.expr.charAt(this.i) != '\n') {
					this.i++;
				}
			}
			else if (c == '[') {
				skipTo(']');
			}
			else if (c == '{') {
				selectors.add(new Selector(null, matchers()));
			}
			else if (Character.isDigit(c) || (c == '.' && this.i + 1 < this.expr.length()
					&& Character.isDigit(this.expr.charAt(this.i + 1)))) {
				while (this.i < this.expr.length()
						&& (Character.isLetterOrDigit(this.expr.charAt(this.i)) || this.expr.charAt(this.i) == '.')) {
					this.i++;
				}
			}
			else if (c == '$') {
				this.i++;
				if (this.i < this.expr.length() && this.expr.charAt(this.i) == '{') {
					skipTo('}');
				}
				else {
					identifier();
				}
			}
			else if (Character.isLetter(c) || c == '_' || c == ':') {
				String word = identifier();
				char next = nextNonSpace();
				if (LABEL_LISTS.contains(word.toLowerCase()) && next == '(') {
					skipTo(')');
				}
				else if (KEYWORDS.contains(word.toLowerCase()) || AGGREGATIONS.contains(word.toLowerCase())
						|| next == '(') {
					// a keyword, or a function or aggregation: its arguments are read as
					// they come
				}
				else {
					selectors.add(new Selector(word, (next == '{') ? matchers() : List.of()));
				}
			}
			else {
				this.i++;
			}
		}
		return selectors;
	}

	private List<Matcher> matchers() {
		skipSpaces();
		this.i++; // {
		List<Matcher> matchers = new ArrayList<>();
		while (true) {
			skipSpaces();
			if (this.expr.charAt(this.i) == '}') {
				this.i++;
				return matchers;
			}
			String label = identifier();
			skipSpaces();
			int start = this.i;
			while ("=!~".indexOf(this.expr.charAt(this.i)) >= 0) {
				this.i++;
			}
			String operator = this.expr.substring(start, this.i);
			skipSpaces();
			matchers.add(new Matcher(label, operator, string()));
			skipSpaces();
			if (this.expr.charAt(this.i) == ',') {
				this.i++;
			}
		}
	}

	private String string() {
		char quote = this.expr.charAt(this.i++);
		StringBuilder value = new StringBuilder();
		while (this.expr.charAt(this.i) != quote) {
			char c = this.expr.charAt(this.i++);
			if (c == '\\' && quote != '`') {
				c = this.expr.charAt(this.i++);
			}
			value.append(c);
		}
		this.i++;
		return value.toString();
	}

	private String identifier() {
		int start = this.i;
		while (this.i < this.expr.length() && (Character.isLetterOrDigit(this.expr.charAt(this.i))
				|| this.expr.charAt(this.i) == '_' || this.expr.charAt(this.i) == ':')) {
			this.i++;
		}
		return this.expr.substring(start, this.i);
	}

	private char nextNonSpace() {
		skipSpaces();
		return (this.i < this.expr.length()) ? this.expr.charAt(this.i) : 0;
	}

	private void skipSpaces() {
		while (this.i < this.expr.length() && Character.isWhitespace(this.expr.charAt(this.i))) {
			this.i++;
		}
	}

	private void skipTo(char end) {
		while (this.i < this.expr.length() && this.expr.charAt(this.i) != end) {
			this.i++;
		}
		this.i++;
	}

	/**
	 * A series selector.
	 *
	 * @param metric the metric name, or null for a selector of labels only
	 * @param matchers its label matchers
	 */
	record Selector(@Nullable String metric, List<Matcher> matchers) {
	}

	/**
	 * A label matcher.
	 *
	 * @param label the label
	 * @param operator {@code =}, {@code !=}, {@code =~} or {@code !~}
	 * @param value the value or regular expression
	 */
	record Matcher(String label, String operator, String value) {
	}

}
