package io.cannobserv.reconciler.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.convert.ConversionFailedException;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Checks the settings once Spring Boot has gathered them (command line, environment
 * variables, configuration files) and before any bean exists, so that a bad setting is
 * told in seconds rather than after the application has started: every settings record
 * ({@link SettingsRecords}) is bound as the application will bind it (its types, its own
 * rules), every setting the command needs and lacks is named at once, and the database
 * URL must be PostgreSQL's. The failure is one line naming the setting as it was given:
 * {@code --chunk-size}, {@code RECONCILER_CHUNK_SIZE}, or the property and its file.
 * <p>
 * Added to the application after the listener that notifies a failure to start, so that
 * the notifier knows the settings it needs to tell of this one.
 */
public final class SettingsCheck implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	/** The driver's limit on a login, in seconds, set in application.properties. */
	private static final String LOGIN_TIMEOUT = "spring.datasource.hikari.data-source-properties.loginTimeout";

	/** The pool's own default connection timeout, when none is set. */
	private static final long HIKARI_DEFAULT_TIMEOUT_MILLIS = 30_000;

	/** A setting a command cannot run without. */
	private record Required(String property, String variable, String fix) {
	}

	private static final Required DATABASE = new Required("spring.datasource.url", DatabaseSetting.URL,
			"Archiver's database (" + DatabaseSetting.URL_FORM + ")");

	private static final Required WATCHER_BASE_URL = new Required("reconciler.watcher.base-url", "WATCHER_BASE_URL",
			"Watcher's root URL (e.g. http://watcher:8000)");

	private static final Required WATCHER_API_KEY = new Required("reconciler.watcher.api-key", "WATCHER_API_KEY",
			"the key Watcher accepts");

	private final String command;

	private volatile @Nullable DatabaseSetting database;

	public SettingsCheck(CommandLine commandLine) {
		this.command = commandLine.command();
	}

	/**
	 * The database the settings name, once they were read and found valid: for the line
	 * that says why it could not be reached.
	 */
	public @Nullable DatabaseSetting database() {
		return this.database;
	}

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		Binder binder = Binder.get(event.getEnvironment());
		for (String prefix : SettingsRecords.RECORDS.keySet()) {
			try {
				binder.bindOrCreate(prefix, Bindable.of(SettingsRecords.record(prefix)));
			}
			catch (BindException ex) {
				throw refusal(ex);
			}
		}
		List<Required> missing = new ArrayList<>();
		for (Required required : required()) {
			if (!StringUtils.hasText(binder.bind(required.property(), String.class).orElse(null))) {
				missing.add(required);
			}
		}
		if (!missing.isEmpty()) {
			throw new UsageException(missing(missing));
		}
		String url = binder.bind(DATABASE.property(), String.class).get();
		this.database = DatabaseSetting.of(url, binder.bind("spring.datasource.username", String.class).orElse(null),
				loginTimeout(event.getEnvironment(), binder));
	}

	/**
	 * How long the driver waits for a login: its own {@code loginTimeout} (seconds), else
	 * the pool's connection timeout.
	 */
	private static Duration loginTimeout(Environment environment, Binder binder) {
		// a driver property keeps the driver's spelling, which is no property name Boot
		// binds by
		Long seconds = environment.getProperty(LOGIN_TIMEOUT, Long.class);
		return (seconds != null) ? Duration.ofSeconds(seconds)
				: Duration.ofMillis(binder.bind("spring.datasource.hikari.connection-timeout", Long.class)
					.orElse(HIKARI_DEFAULT_TIMEOUT_MILLIS));
	}

	/** After Spring Boot's own listeners, logging's among them. */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	private List<Required> required() {
		return this.command.equals("reconcile") ? List.of(DATABASE, WATCHER_BASE_URL, WATCHER_API_KEY)
				: List.of(DATABASE);
	}

	/**
	 * {@code WATCHER_API_KEY is not set: set it to the key Watcher accepts}, or every
	 * missing setting in one line.
	 */
	private static String missing(List<Required> missing) {
		if (missing.size() == 1) {
			Required only = missing.get(0);
			String alternative = (only == WATCHER_BASE_URL) ? " (or --watcher-base-url)" : "";
			return only.variable() + " is not set: set it" + alternative + " to " + only.fix();
		}
		List<String> variables = missing.stream().map(Required::variable).toList();
		List<String> fixes = missing.stream().map((required) -> required.variable() + " to " + required.fix()).toList();
		return and(variables) + " are not set: set " + and(fixes);
	}

	private static String and(List<String> items) {
		return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
	}

	/**
	 * The line for a setting that does not bind: a value of the wrong type names the
	 * setting as it was given and the type; a record's own rule has its own message,
	 * which names the option and the fix.
	 */
	private static UsageException refusal(BindException failure) {
		ConfigurationProperty property = failure.getProperty();
		if (property == null || Failures.find(failure, ConversionFailedException.class).isEmpty()) {
			return new UsageException(Failures.rootMessage(failure));
		}
		String name = property.getName().toString();
		Class<?> bound = SettingsRecords.type(name);
		ValueType type = ValueType.of(name, (bound != null) ? bound : String.class);
		String value = String.valueOf(property.getValue());
		String good = SettingsRecords.defaultValue(name);
		if (good == null) {
			good = type.example();
		}
		String setting = setting(property);
		// an option or a variable is shown as it is set; a file's property by its name
		String example = (good != null) ? (setting.contains(" ") ? name : setting) + "=" + good : null;
		return new UsageException(type.refusal(setting, value, example));
	}

	/**
	 * The setting as it was given: {@code --chunk-size}, {@code RECONCILER_CHUNK_SIZE},
	 * or the property with where it was read.
	 */
	private static String setting(ConfigurationProperty property) {
		String name = property.getName().toString();
		Origin origin = property.getOrigin();
		if (origin instanceof PropertySourceOrigin source) {
			if (source.getOrigin() instanceof SystemEnvironmentOrigin environment) {
				return environment.getProperty();
			}
			if (source.getPropertySource() instanceof CommandLinePropertySource) {
				String option = Options.optionOf(name);
				return "--" + ((option != null) ? option : name);
			}
		}
		if (origin instanceof SystemEnvironmentOrigin environment) {
			return environment.getProperty();
		}
		return name + ((origin != null) ? " (" + origin + ")" : "");
	}

}
