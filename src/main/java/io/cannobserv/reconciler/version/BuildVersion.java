package io.cannobserv.reconciler.version;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

/**
 * The version of a build and the commit it was built from.
 * <p>
 * The build writes both into the jar, beside this class (where no other jar on the class
 * path has files of those names): the version into {@code build-info.properties} (Spring
 * Boot's {@code build-info} goal), the commit into {@code git.properties} where the
 * sources are a clone of the repository, or into {@code build-info.properties} as
 * {@code build.commit} where it was given to the build ({@code -Dbuild.commit}, the
 * image's {@code GIT_COMMIT} build argument). A build from files changed since their
 * commit says so: its commit ends with {@code -dirty}, as {@code git describe --dirty}
 * writes it.
 *
 * @param version the project's version, {@value #UNKNOWN} where the build wrote none (a
 * class directory an IDE compiled)
 * @param commit the full id of the commit built, null where the build did not know it
 */
public record BuildVersion(String version, @Nullable String commit) {

	/** The version of a build that wrote none. */
	public static final String UNKNOWN = "unknown";

	/** What ends the commit of a build whose files were changed since that commit. */
	public static final String DIRTY = "-dirty";

	static final String BUILD_INFO = "build-info.properties";

	static final String GIT_PROPERTIES = "git.properties";

	/** Characters of a commit id that people read: as many as git shows by default. */
	private static final int SHORT_COMMIT = 7;

	private static final BuildVersion CURRENT = of(load(BUILD_INFO), load(GIT_PROPERTIES));

	/** This build's version, as the build wrote it into the jar. */
	public static BuildVersion current() {
		return CURRENT;
	}

	/**
	 * The version that the build's two files say.
	 * @param buildInfo {@code build-info.properties}, empty where there is none
	 * @param git {@code git.properties}, empty where there is none
	 */
	static BuildVersion of(Properties buildInfo, Properties git) {
		String version = blankToNull(buildInfo.getProperty("build.version"));
		String commit = blankToNull(git.getProperty("git.commit.id.full"));
		if (commit != null && Boolean.parseBoolean(git.getProperty("git.dirty"))) {
			commit = commit + DIRTY;
		}
		if (commit == null) {
			commit = blankToNull(buildInfo.getProperty("build.commit"));
		}
		return new BuildVersion((version != null) ? version : UNKNOWN, commit);
	}

	/**
	 * The commit as people read it: {@code 1a2b3c4}, {@code 1a2b3c4-dirty}, or
	 * {@value #UNKNOWN}.
	 */
	public String shortCommit() {
		if (this.commit == null) {
			return UNKNOWN;
		}
		boolean dirty = this.commit.endsWith(DIRTY);
		String id = dirty ? this.commit.substring(0, this.commit.length() - DIRTY.length()) : this.commit;
		return id.substring(0, Math.min(SHORT_COMMIT, id.length())) + (dirty ? DIRTY : "");
	}

	/**
	 * One word for both, as in a log's {@code service.version}: {@code 0.2.0+1a2b3c4}
	 * (SemVer's build metadata), or the version alone where the commit is unknown.
	 */
	public String label() {
		return (this.commit != null) ? this.version + "+" + shortCommit() : this.version;
	}

	/** For people: {@code 0.2.0, commit 1a2b3c4}. */
	public String describe() {
		return this.version + ", commit " + shortCommit();
	}

	/** A file the build wrote beside this class, empty where it wrote none. */
	private static Properties load(String resource) {
		Properties properties = new Properties();
		try (InputStream in = BuildVersion.class.getResourceAsStream(resource)) {
			if (in != null) {
				properties.load(in);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + resource + " from the application's jar", ex);
		}
		return properties;
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

}
