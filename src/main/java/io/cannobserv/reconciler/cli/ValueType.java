package io.cannobserv.reconciler.cli;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.ClassUtils;
import org.springframework.util.NumberUtils;

/**
 * What a property's value must look like, from the type it binds to: how {@code --help}
 * writes it ({@code --request-timeout=DURATION}), whether a value converts, and how a
 * refusal says what was expected. Values are converted as Spring Boot's binder converts
 * them (its number parsing, its duration styles, its lenient enum names), so that what
 * passes here binds; the records' own rules (ranges, one setting against another) are
 * checked by the binding itself.
 *
 * @param kind what sort of value
 * @param numberType the class a number converts to, for the number kinds
 * @param choices an enum's values as they are written ({@code per-item}), for
 * {@link Kind#CHOICE}
 */
public record ValueType(Kind kind, @Nullable Class<? extends Number> numberType, List<String> choices) {

	/** The words Spring Boot reads as true or false. */
	private static final Set<String> BOOLEANS = Set.of("true", "on", "yes", "1", "false", "off", "no", "0");

	/** The sorts of value. */
	public enum Kind {

		/** A boolean: the option alone sets it. */
		FLAG,

		/** An integer. */
		WHOLE_NUMBER,

		/** A decimal number. */
		NUMBER,

		/** A decimal number from 0 to 1: a property whose name ends with fraction. */
		FRACTION,

		/** A duration: {@code 500ms}, {@code 10s}, {@code 5m}, ISO-8601 too. */
		DURATION,

		/** One of an enum's values. */
		CHOICE,

		/** Anything: a name, a URL, a path. */
		TEXT

	}

	/** The type of {@code property}, which binds to {@code type}. */
	static ValueType of(String property, Class<?> type) {
		Class<?> boxed = ClassUtils.resolvePrimitiveIfNecessary(type);
		if (boxed == Boolean.class) {
			return simple(Kind.FLAG);
		}
		if (boxed == Integer.class || boxed == Long.class) {
			return number(Kind.WHOLE_NUMBER, boxed.asSubclass(Number.class));
		}
		if (boxed == Double.class) {
			return number(property.endsWith("fraction") ? Kind.FRACTION : Kind.NUMBER, Double.class);
		}
		if (boxed == Duration.class) {
			return simple(Kind.DURATION);
		}
		if (boxed.isEnum()) {
			List<String> choices = Arrays.stream(boxed.getEnumConstants())
				.map((constant) -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
				.toList();
			return new ValueType(Kind.CHOICE, null, choices);
		}
		return simple(Kind.TEXT);
	}

	/**
	 * How {@code --help} writes the value of option {@code name}: {@code N},
	 * {@code DURATION}, {@code per-item|snapshot}; for text, the option's last word
	 * ({@code --report-dir=DIR}, {@code --watcher-base-url=URL}).
	 */
	public String placeholder(String name) {
		return switch (this.kind) {
			case FLAG -> "";
			case WHOLE_NUMBER -> "N";
			case NUMBER -> "NUMBER";
			case FRACTION -> "FRACTION";
			case DURATION -> "DURATION";
			case CHOICE -> String.join("|", this.choices);
			case TEXT -> name.substring(name.lastIndexOf('-') + 1).toUpperCase(Locale.ROOT);
		};
	}

	/** Whether {@code value} converts to this type. */
	boolean accepts(String value) {
		String trimmed = value.strip();
		try {
			return switch (this.kind) {
				case FLAG -> BOOLEANS.contains(trimmed.toLowerCase(Locale.ROOT));
				case WHOLE_NUMBER, NUMBER, FRACTION ->
					!trimmed.isEmpty() && NumberUtils.parseNumber(trimmed, numberClass()) != null;
				case DURATION -> !trimmed.isEmpty() && DurationStyle.detectAndParse(trimmed) != null;
				case CHOICE -> choice(trimmed) != null;
				case TEXT -> true;
			};
		}
		catch (IllegalArgumentException ex) {
			// NumberFormatException included
			return false;
		}
	}

	/**
	 * What a value must be, as a refusal says it: {@code a whole number},
	 * {@code a duration such as 500ms, 10s or 5m}.
	 */
	String expected() {
		return switch (this.kind) {
			case FLAG -> "true or false";
			case WHOLE_NUMBER -> "a whole number";
			case NUMBER -> "a number";
			case FRACTION -> "a fraction from 0 to 1";
			case DURATION -> "a duration such as 500ms, 10s or 5m";
			case CHOICE -> (this.choices.size() == 2) ? this.choices.get(0) + " or " + this.choices.get(1)
					: "one of " + String.join(", ", this.choices);
			case TEXT -> "a value";
		};
	}

	/**
	 * The one line that refuses {@code value} of {@code setting}:
	 * {@code --chunk-size needs a whole number (e.g. --chunk-size=250), not 'abc'}.
	 * @param setting the option or variable as the operator gave it
	 * @param example the setting with a good value, if there is one to show
	 */
	String refusal(String setting, String value, @Nullable String example) {
		String near = (this.kind == Kind.CHOICE) ? Suggestions.didYouMean(value.strip(), this.choices, "") : "";
		return setting + " needs " + expected() + ((example != null) ? " (e.g. " + example + ")" : "") + ", not '"
				+ value + "'" + (near.isEmpty() ? "" : ": " + near);
	}

	/**
	 * A value to show in an example, when the property has no default to show; none for
	 * text.
	 */
	@Nullable String example() {
		return switch (this.kind) {
			case FLAG -> "true";
			case WHOLE_NUMBER -> "100";
			case NUMBER -> "1.5";
			case FRACTION -> "0.5";
			case DURATION -> "30s";
			case CHOICE -> this.choices.get(0);
			case TEXT -> null;
		};
	}

	/**
	 * The enum value that {@code value} names, or null: as Spring Boot's lenient enum
	 * conversion reads it, ignoring case and anything but letters and digits
	 * ({@code per-item}, {@code PER_ITEM} and {@code perItem} are the same).
	 */
	@Nullable String choice(String value) {
		String wanted = canonical(value);
		return this.choices.stream().filter((choice) -> canonical(choice).equals(wanted)).findFirst().orElse(null);
	}

	private Class<? extends Number> numberClass() {
		if (this.numberType == null) {
			throw new IllegalStateException(this.kind + " has no number type");
		}
		return this.numberType;
	}

	private static String canonical(String name) {
		StringBuilder canonical = new StringBuilder();
		name.codePoints()
			.filter(Character::isLetterOrDigit)
			.map(Character::toLowerCase)
			.forEach(canonical::appendCodePoint);
		return canonical.toString();
	}

	private static ValueType simple(Kind kind) {
		return new ValueType(kind, null, List.of());
	}

	private static ValueType number(Kind kind, Class<? extends Number> type) {
		return new ValueType(kind, type, List.of());
	}

}
