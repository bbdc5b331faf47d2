package io.cannobserv.reconciler.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import io.cannobserv.reconciler.archiver.ArchiverTableConfiguration;
import io.cannobserv.reconciler.cli.CommandLine;
import io.cannobserv.reconciler.run.RunMode;

/**
 * What tells one kind of run from another in the metrics: the command and its mode, and
 * the Archiver table it reconciles, as a run's identity names it
 * ({@code information.info_items(info_item_id,watcher_item_id)}). With the partition and
 * the number of partitions (properties, so set in {@code application.properties}) they
 * make each kind's Pushgateway grouping key, so that a push replaces only the group of
 * the same kind of run: a dry run or a {@code report} never replaces the nightly apply
 * run's figures, the single run never shares a group with partition 0 of a partitioned
 * one, and two tables reconciled under one job never share one either. They also tag
 * every meter, for OTLP, where there are no groups.
 * <p>
 * The command and the mode exist only on the command line, so this initializer adds them
 * before the context binds its properties, ahead of every other source: no environment
 * variable can make the labels say what the process is not. The table comes from the
 * {@code reconciler.archiver.*} settings, read here the way the run reads them.
 *
 * @param command the command ({@code reconcile}, {@code restore}, {@code report})
 * @param mode {@code apply} or {@code dry-run}
 */
public record RunLabels(String command,
		String mode) implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	/** The command whose runs have a history, a last success and alerts. */
	static final String RECONCILE = "reconcile";

	/** The label of the Archiver table, on every meter and in the grouping key. */
	static final String TABLE = "table";

	private static final String GROUPING_KEY = "management.prometheus.metrics.export.pushgateway.grouping-key.";

	private static final String TAGS = "management.metrics.tags.";

	public static RunLabels of(CommandLine commandLine) {
		return new RunLabels(commandLine.command(), (commandLine.apply() ? RunMode.APPLY : RunMode.DRY_RUN).label());
	}

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		Map<String, String> labels = new LinkedHashMap<>(Map.of("command", this.command, "mode", this.mode));
		table(context.getEnvironment()).ifPresent((table) -> labels.put(TABLE, table));
		Map<String, Object> properties = new LinkedHashMap<>();
		labels.forEach((label, value) -> {
			properties.put(GROUPING_KEY + label, value);
			properties.put(TAGS + label, value);
		});
		context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("runLabels", properties));
	}

	/**
	 * The table's identity, or empty when its settings are invalid: the context then
	 * refuses to start, naming the setting, when it binds them itself.
	 */
	private static Optional<String> table(ConfigurableEnvironment environment) {
		try {
			return Optional.of(ArchiverTableConfiguration.of(environment).identity());
		}
		catch (RuntimeException ex) {
			return Optional.empty();
		}
	}

	public boolean reconciles() {
		return RECONCILE.equals(this.command);
	}

}
