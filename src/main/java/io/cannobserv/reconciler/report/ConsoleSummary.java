package io.cannobserv.reconciler.report;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

import io.cannobserv.reconciler.run.RunCounts;

/**
 * The one-screen summary at the end of a run, where its reader is. On a plain console it
 * is printed as it is ({@link RunReports#print}); under a structured log format
 * ({@code logging.structured.format.console}, e.g. {@code ecs}) standard output is one
 * JSON document per line, so the summary is one log event of its own, the
 * {@value #LOGGER} logger's: the same text as its message, and its facts as fields
 * ({@code summary.status}, {@code summary.exitCode}, {@code summary.counts.<outcome>},
 * ...).
 */
@Component
public class ConsoleSummary {

	/** The logger of the summary event, apart from the run's other lines. */
	public static final String LOGGER = "io.cannobserv.reconciler.summary";

	private static final Logger logger = LoggerFactory.getLogger(LOGGER);

	/** The property that turns on Spring Boot's structured console log. */
	static final String STRUCTURED_FORMAT = "logging.structured.format.console";

	private final RunReports runReports;

	private final boolean structured;

	ConsoleSummary(RunReports runReports, Environment environment) {
		this.runReports = runReports;
		this.structured = StringUtils.hasText(environment.getProperty(STRUCTURED_FORMAT));
	}

	/**
	 * Shows the summary of {@code report}, whose file is where {@link RunReports#file}
	 * says.
	 * @param report the run's report
	 * @param out standard output
	 */
	public void show(RunReport report, PrintStream out) {
		Path file = this.runReports.file(report);
		if (!this.structured) {
			this.runReports.print(report, file, out);
			return;
		}
		ByteArrayOutputStream text = new ByteArrayOutputStream();
		try (PrintStream printed = new PrintStream(text, true, StandardCharsets.UTF_8)) {
			this.runReports.print(report, file, printed);
		}
		LoggingEventBuilder event = logger.atInfo()
			.setMessage(text.toString(StandardCharsets.UTF_8).strip())
			.addKeyValue("summary.status", report.status())
			.addKeyValue("summary.exitCode", report.exitCode())
			.addKeyValue("summary.executions", report.executions())
			.addKeyValue("summary.brake", report.brake().state().label())
			.addKeyValue("summary.report", file.toAbsolutePath().normalize().toString());
		RunCounts counts = report.counts();
		counts.asMap().forEach((outcome, count) -> event.addKeyValue("summary.counts." + outcome, count));
		event.log();
	}

}
