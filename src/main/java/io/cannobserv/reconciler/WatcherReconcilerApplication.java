package io.cannobserv.reconciler;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.datasource.DataSourceUtils;

import io.cannobserv.reconciler.cli.Command;
import io.cannobserv.reconciler.cli.CommandLine;
import io.cannobserv.reconciler.cli.CommandRefusedException;
import io.cannobserv.reconciler.cli.SettingsCheck;
import io.cannobserv.reconciler.cli.StartupFailures;
import io.cannobserv.reconciler.cli.UsageException;
import io.cannobserv.reconciler.guard.GracefulStop;
import io.cannobserv.reconciler.metrics.MetricsAutoConfigurations;
import io.cannobserv.reconciler.metrics.RunLabels;
import io.cannobserv.reconciler.metrics.RunMetrics;
import io.cannobserv.reconciler.notify.RunNotifier;
import io.cannobserv.reconciler.notify.StartFailureNotifier;
import io.cannobserv.reconciler.run.ExitCode;
import io.cannobserv.reconciler.version.BuildVersion;

/**
 * One process, one command, one exit code (see {@link ExitCode}).
 */
// Auto-configurations of what this job never uses, each a few dozen milliseconds of every
// start-up: SQL scripts at start-up (Flyway owns the job's schema), JdbcClient,
// scheduling,
// repository exception translation, and OpenTelemetry's log export (metrics only go out)
@SpringBootApplication(excludeName = {
		"org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration",
		"org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
		"org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration",
		"org.springframework.boot.micrometer.observation.autoconfigure.ScheduledTasksObservationAutoConfiguration",
		"org.springframework.boot.persistence.autoconfigure.PersistenceExceptionTranslationAutoConfiguration",
		"org.springframework.boot.opentelemetry.autoconfigure.logging.OpenTelemetryLoggingAutoConfiguration",
		"org.springframework.boot.opentelemetry.autoconfigure.logging.otlp.OtlpLoggingAutoConfiguration" })
@ConfigurationPropertiesScan
public class WatcherReconcilerApplication {

	private static final String NAME = "watcher-link-reconciler";

	/** Where the ECS log lines of the {@code kubernetes} profile say the version. */
	private static final String ECS_SERVICE_VERSION = "logging.structured.ecs.service.version";

	public static void main(String[] args) {
		System.exit(run(System.out, System.err, true, args));
	}

	/**
	 * Run one command and return its exit code. Failures to start become one line on
	 * {@code err}, naming the fix.
	 */
	public static int run(PrintStream out, PrintStream err, String... args) {
		return run(out, err, false, args);
	}

	private static int run(PrintStream out, PrintStream err, boolean ownsProcess, String... args) {
		CommandLine commandLine;
		try {
			commandLine = CommandLine.parse(args);
		}
		catch (UsageException ex) {
			err.println(NAME + ": " + ex.getMessage());
			return ExitCode.NOT_STARTED.code();
		}
		if (commandLine.help()) {
			out.print(CommandLine.usage());
			return ExitCode.COMPLETED.code();
		}
		if (commandLine.version()) {
			out.println(NAME + " " + BuildVersion.current().describe());
			return ExitCode.COMPLETED.code();
		}
		ConfigurableApplicationContext context;
		RunLabels labels = RunLabels.of(commandLine);
		StartFailureNotifier startFailure = new StartFailureNotifier(labels);
		SettingsCheck settings = new SettingsCheck(commandLine);
		try {
			SpringApplication application = new SpringApplication(WatcherReconcilerApplication.class);
			application.setBannerMode(Banner.Mode.OFF);
			// report, prune and restore use a few of the beans a run needs (no Batch, no
			// Watcher client): created when first asked for, they start sooner
			application.setLazyInitialization(!labels.reconciles());
			application.setDefaultProperties(defaultProperties(labels));
			application.addInitializers(labels);
			// the settings are checked after the notifier has seen them, so that it can
			// tell of a refused setting too
			application.addListeners(startFailure, settings);
			context = application.run(commandLine.springArgs().toArray(String[]::new));
			reachDatabase(context);
		}
		catch (RuntimeException ex) {
			String failure = "cannot start: " + StartupFailures.describe(ex, settings.database());
			err.println(NAME + ": " + failure);
			startFailure.tell(failure).ifPresent((line) -> err.println(NAME + ": " + line));
			return ExitCode.NOT_STARTED.code();
		}
		ExitCode exitCode;
		String failure = null;
		try {
			if (ownsProcess) {
				context.getBean(GracefulStop.class).install();
			}
			exitCode = command(context, commandLine.command()).run(commandLine, out);
		}
		catch (UsageException ex) {
			failure = ex.getMessage();
			err.println(NAME + ": " + failure);
			exitCode = ExitCode.NOT_STARTED;
		}
		catch (CommandRefusedException ex) {
			failure = ex.getMessage();
			err.println(NAME + ": " + failure);
			exitCode = ex.exitCode();
		}
		catch (Exception ex) {
			failure = "run failed: " + StartupFailures.describe(ex);
			err.println(NAME + ": " + failure + " (run again to resume)");
			exitCode = ExitCode.RESUMABLE;
		}
		if (!labels.reconciles()) {
			// only a run is notified of and measured
			context.close();
			return exitCode.code();
		}
		try {
			// a run that ended without a report is told of here; one with, already
			context.getBean(RunNotifier.class).ended(labels, exitCode, failure);
		}
		catch (RuntimeException ex) {
			// a notification never changes what the run did
			err.println(NAME + ": notification not sent: " + StartupFailures.describe(ex));
		}
		try (context) {
			// before the context closes, since closing pushes the metrics: every exit
			// code reaches them
			context.getBean(RunMetrics.class).ended(labels, exitCode);
		}
		catch (RuntimeException ex) {
			// the metrics never change what the run did
			err.println(NAME + ": metrics not recorded: " + StartupFailures.describe(ex));
		}
		return exitCode.code();
	}

	private static Map<String, Object> defaultProperties(RunLabels labels) {
		Map<String, Object> properties = new HashMap<>();
		// on every structured log line from the first, where a property set by the
		// operator still wins
		properties.put(ECS_SERVICE_VERSION, BuildVersion.current().label());
		if (!labels.reconciles()) {
			// only a run is measured
			properties.put(MetricsAutoConfigurations.EXCLUDE,
					MetricsAutoConfigurations.names(WatcherReconcilerApplication.class.getClassLoader()));
		}
		return properties;
	}

	/**
	 * Every command needs the database: reached before the command runs, so that a wrong
	 * host, database, role or password is a failure to start that names the setting, even
	 * for a command whose beans are created lazily (the first query would find it too
	 * late, as a failed run).
	 */
	private static void reachDatabase(ConfigurableApplicationContext context) {
		DataSource dataSource = context.getBean(DataSource.class);
		try {
			DataSourceUtils.releaseConnection(DataSourceUtils.getConnection(dataSource), dataSource);
		}
		catch (RuntimeException ex) {
			context.close();
			throw ex;
		}
	}

	/** The command's bean, named as the command is typed ({@link Command}). */
	private static Command command(ConfigurableApplicationContext context, String name) {
		if (!context.containsBean(name)) {
			throw new UsageException("Command '" + name + "' is not available");
		}
		return context.getBean(name, Command.class);
	}

}
