package io.cannobserv.reconciler.link;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The link a run reconciles: the file {@code --link-file} names, or the built-in one,
 * Archiver to Watcher; read (and so checked) once at start.
 */
@Configuration(proxyBeanMethods = false)
public class LinkConfiguration {

	/** What a file's syntax errors are said of: the file is named before it. */
	private static final String ROOT_KEY = "link";

	@Bean
	Link link(LinkSettings settings) {
		return read(settings.file());
	}

	/**
	 * The link the settings of {@code environment} name, for what must know it before the
	 * beans are made.
	 * @throws IllegalArgumentException where the setting or the file is wrong, one line
	 */
	public static Link of(Environment environment) {
		return read(Binder.get(environment).bindOrCreate("reconciler.link", LinkSettings.class).file());
	}

	/**
	 * The link in {@code file}, the built-in one when null.
	 * @throws IllegalArgumentException when the file cannot be read or is wrong: one line
	 * that names it, the key at fault and the fix
	 */
	static Link read(@Nullable String file) {
		if (file == null) {
			return LinkFile.archiverWatcher();
		}
		try (Reader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
			return LinkFile.read(ROOT_KEY, reader);
		}
		catch (LinkDefinitionException ex) {
			// no cause: a failure to start is told by its root cause's message; this line
			// is the whole of it
			throw new IllegalArgumentException("--link-file=" + file + ": " + ex.getMessage());
		}
		catch (IOException | InvalidPathException ex) {
			// no cause either, for the same reason
			throw new IllegalArgumentException(
					"--link-file=" + file + " cannot be read (" + ex.getClass().getSimpleName() + " " + ex.getMessage()
							+ "): give the path of a link file, see docs/reference/link-file.md");
		}
	}

}
