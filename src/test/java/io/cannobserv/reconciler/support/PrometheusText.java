package io.cannobserv.reconciler.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the Prometheus text exposition format, as a Pushgateway's {@code /metrics} serves
 * it and as the job pushes it with {@code format=text}: one sample per line,
 * {@code name{label="value",...} value [timestamp]}, comments skipped.
 */
public final class PrometheusText {

	private PrometheusText() {
	}

	public static List<Sample> parse(String text) {
		List<Sample> samples = new ArrayList<>();
		for (String line : text.lines().toList()) {
			if (!line.isBlank() && !line.startsWith("#")) {
				samples.add(sample(line.strip()));
			}
		}
		return samples;
	}

	/**
	 * The names of the samples, e.g. {@code reconciler_watcher_requests_seconds_count}.
	 */
	public static Set<String> names(List<Sample> samples) {
		Set<String> names = new TreeSet<>();
		samples.forEach((sample) -> names.add(sample.name()));
		return names;
	}

	private static Sample sample(String line) {
		int i = 0;
		while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
			i++;
		}
		String name = line.substring(0, i);
		Map<String, String> labels = new LinkedHashMap<>();
		if (i < line.length() && line.charAt(i) == '{') {
			i++;
			while (line.charAt(i) != '}') {
				int equals = line.indexOf('=', i);
				String label = line.substring(i, equals).strip();
				StringBuilder value = new StringBuilder();
				int j = equals + 2;
				while (line.charAt(j) != '"') {
					char c = line.charAt(j);
					if (c == '\\') {
						char escaped = line.charAt(++j);
						value.append((escaped == 'n') ? '\n' : escaped);
					}
					else {
						value.append(c);
					}
					j++;
				}
				labels.put(label, value.toString());
				i = j + 1;
				if (line.charAt(i) == ',') {
					i++;
				}
			}
			i++;
		}
		String[] rest = line.substring(i).strip().split("\\s+");
		return new Sample(name, labels, number(rest[0]));
	}

	private static double number(String value) {
		return switch (value) {
			case "+Inf" -> Double.POSITIVE_INFINITY;
			case "-Inf" -> Double.NEGATIVE_INFINITY;
			default -> Double.parseDouble(value);
		};
	}

	/**
	 * One sample.
	 *
	 * @param name the sample's name
	 * @param labels its labels
	 * @param value its value
	 */
	public record Sample(String name, Map<String, String> labels, double value) {

		/** Whether the sample has every one of {@code labels}. */
		public boolean has(Map<String, String> labels) {
			return this.labels.entrySet().containsAll(labels.entrySet());
		}

	}

}
