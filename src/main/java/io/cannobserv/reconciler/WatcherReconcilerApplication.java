package io.cannobserv.reconciler;

import java.io.PrintStream;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

import io.cannobserv.reconciler.cli.CommandLine;
import io.cannobserv.reconciler.cli.StartupFailures;
import io.cannobserv.reconciler.cli.UsageException;
import io.cannobserv.reconciler.pointer.ReconcileCommand;
import io.cannobserv.reconciler.pointer.RunMode;

/**
 * One process, one command, one exit code (see {@link ExitCode}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WatcherReconcilerApplication {

	private static final String NAME = "watcher-link-reconciler";

	public static void main(String[] args) {
		System.exit(run(System.out, System.err, args));
	}

	/**
	 * Run one command and return its exit code. Failures to start become one line on
	 * {@code err}, naming the fix.
	 */
	public static int run(PrintStream out, PrintStream err, String... args) {
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
		ConfigurableApplicationContext context;
		try {
			SpringApplication application = new SpringApplication(WatcherReconcilerApplication.class);
			application.setBannerMode(Banner.Mode.OFF);
			context = application.run(commandLine.springArgs().toArray(String[]::new));
		}
		catch (RuntimeException ex) {
			err.println(NAME + ": cannot start: " + StartupFailures.describe(ex));
			return ExitCode.NOT_STARTED.code();
		}
		try (context) {
			RunMode mode = commandLine.apply() ? RunMode.APPLY : RunMode.DRY_RUN;
			return context.getBean(ReconcileCommand.class).run(mode, commandLine.fresh(), out).code();
		}
		catch (CommandRefusedException ex) {
			err.println(NAME + ": " + ex.getMessage());
			return ex.exitCode().code();
		}
		catch (Exception ex) {
			err.println(NAME + ": run failed: " + StartupFailures.describe(ex) + " (run again to resume)");
			return ExitCode.RESUMABLE.code();
		}
	}

}
