package io.cannobserv.reconciler.cli;

import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.ClassUtils;

/**
 * The application's {@code @ConfigurationProperties} records, and their properties as the
 * binder sees them: each component, named in kebab case under the record's prefix
 * ({@code reconciler.watcher.read-timeout}), of the component's type.
 * <p>
 * Read by reflection, not from the configuration metadata: the command line is checked
 * with them before Spring starts, and parsing the metadata's JSON alone takes as long as
 * {@code --version} takes to answer. A test holds this list to the metadata's groups.
 */
final class SettingsRecords {

	/** What every property of the application starts with. */
	static final String PREFIX = "reconciler.";

	/** Each record by its prefix, as {@code @ConfigurationProperties} names it. */
	static final Map<String, String> RECORDS = records();

	private SettingsRecords() {
	}

	/** Every property of every record, by name, with the type it binds to. */
	static Map<String, Class<?>> properties() {
		return Holder.PROPERTIES;
	}

	/** The type {@code property} binds to, or null for no such property. */
	static @Nullable Class<?> type(String property) {
		return Holder.PROPERTIES.get(property);
	}

	/**
	 * The default of {@code property} as its record declares it ({@code @DefaultValue}),
	 * or null for none. Read only for a message: annotations are not parsed until then.
	 */
	static @Nullable String defaultValue(String property) {
		RecordComponent component = Holder.COMPONENTS.get(property);
		if (component == null) {
			return null;
		}
		// on the canonical constructor's parameter, where the binder reads it
		RecordComponent[] components = component.getDeclaringRecord().getRecordComponents();
		Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
		try {
			Constructor<?> canonical = component.getDeclaringRecord().getDeclaredConstructor(types);
			int index = Arrays.stream(components).map(RecordComponent::getName).toList().indexOf(component.getName());
			for (Annotation annotation : canonical.getParameterAnnotations()[index]) {
				if (annotation instanceof DefaultValue value && value.value().length == 1) {
					return value.value()[0];
				}
			}
			return null;
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException("A record without its canonical constructor: " + ex.getMessage(), ex);
		}
	}

	/** The record bound at {@code prefix}. */
	static Class<?> record(String prefix) {
		return ClassUtils.resolveClassName(RECORDS.get(prefix), SettingsRecords.class.getClassLoader());
	}

	private static Map<String, String> records() {
		Map<String, String> records = new LinkedHashMap<>();
		records.put("reconciler", "io.cannobserv.reconciler.run.ReconcilerProperties");
		records.put("reconciler.archiver", "io.cannobserv.reconciler.archiver.TableSettings");
		records.put("reconciler.link", "io.cannobserv.reconciler.link.LinkSettings");
		records.put("reconciler.brake", "io.cannobserv.reconciler.guard.SafetyBrakeProperties");
		records.put("reconciler.notify", "io.cannobserv.reconciler.notify.NotifyProperties");
		records.put("reconciler.snapshot", "io.cannobserv.reconciler.watcher.SnapshotProperties");
		records.put("reconciler.watcher", "io.cannobserv.reconciler.watcher.WatcherProperties");
		return Collections.unmodifiableMap(records);
	}

	/**
	 * {@code maxClearFraction} is {@code max-clear-fraction}, as Spring Boot names it.
	 */
	static String kebab(String name) {
		StringBuilder kebab = new StringBuilder();
		for (char c : name.toCharArray()) {
			if (Character.isUpperCase(c)) {
				kebab.append('-').append(Character.toLowerCase(c));
			}
			else {
				kebab.append(c);
			}
		}
		return kebab.toString();
	}

	private static final class Holder {

		static final Map<String, RecordComponent> COMPONENTS = components();

		static final Map<String, Class<?>> PROPERTIES = types();

		private static Map<String, RecordComponent> components() {
			Map<String, RecordComponent> components = new LinkedHashMap<>();
			for (String prefix : RECORDS.keySet()) {
				// loaded, not initialised: nothing of the record runs
				Class<?> record;
				try {
					record = Class.forName(RECORDS.get(prefix), false, SettingsRecords.class.getClassLoader());
				}
				catch (ClassNotFoundException ex) {
					throw new IllegalStateException("No settings record " + RECORDS.get(prefix), ex);
				}
				for (RecordComponent component : record.getRecordComponents()) {
					components.put(prefix + "." + kebab(component.getName()), component);
				}
			}
			return Collections.unmodifiableMap(components);
		}

		private static Map<String, Class<?>> types() {
			Map<String, Class<?>> types = new LinkedHashMap<>();
			COMPONENTS.forEach((property, component) -> types.put(property, component.getType()));
			return Collections.unmodifiableMap(types);
		}

	}

}
