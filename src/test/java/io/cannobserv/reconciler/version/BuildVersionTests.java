package io.cannobserv.reconciler.version;

import java.util.Properties;

import org.junit.jupiter.api.Test;

import io.cannobserv.reconciler.support.ExpectedBuild;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build's version comes from the files the build writes into the jar: the version
 * from Spring Boot's build-info, the commit from git where the sources are a clone, or as
 * given to the build where they are not (an image's build context has no {@code .git}).
 */
class BuildVersionTests {

	private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

	@Test
	void currentWhenBuiltByMavenIsThePomsVersionAndTheCommitCheckedOut() {
		// when
		BuildVersion current = BuildVersion.current();

		// then
		assertThat(current.version()).isEqualTo(ExpectedBuild.version());
		ExpectedBuild.clonedCommit()
			.ifPresentOrElse((commit) -> assertThat(current.commit()).startsWith(commit),
					// a linked worktree: the plugin would read the main checkout's HEAD,
					// so
					// the build records none rather than a wrong one
					() -> assertThat(current.commit()).isNull());
	}

	@Test
	void ofWhenGitPropertiesSayFilesWereChangedMarksTheCommitDirty() {
		// when
		BuildVersion build = BuildVersion.of(buildInfo("0.2.0", null), git(COMMIT, true));

		// then
		assertThat(build.commit()).isEqualTo(COMMIT + "-dirty");
		assertThat(build.shortCommit()).isEqualTo("0123456-dirty");
		assertThat(build.label()).isEqualTo("0.2.0+0123456-dirty");
		assertThat(build.describe()).isEqualTo("0.2.0, commit 0123456-dirty");
	}

	@Test
	void ofWhenGitPropertiesAndTheBuildBothNameACommitTakesGits() {
		// when
		BuildVersion build = BuildVersion.of(buildInfo("0.2.0", "fedcba9"), git(COMMIT, false));

		// then
		assertThat(build).isEqualTo(new BuildVersion("0.2.0", COMMIT));
		assertThat(build.label()).isEqualTo("0.2.0+0123456");
	}

	@Test
	void ofWhenOnlyTheBuildWasGivenTheCommitTakesThat() {
		// when an image built from a context without .git, given GIT_COMMIT
		BuildVersion build = BuildVersion.of(buildInfo("0.2.0", COMMIT), new Properties());

		// then
		assertThat(build).isEqualTo(new BuildVersion("0.2.0", COMMIT));
	}

	@Test
	void ofWhenNothingNamesTheCommitSaysItIsUnknown() {
		// when
		BuildVersion build = BuildVersion.of(buildInfo("0.2.0", null), new Properties());

		// then
		assertThat(build.commit()).isNull();
		assertThat(build.shortCommit()).isEqualTo("unknown");
		assertThat(build.label()).isEqualTo("0.2.0");
		assertThat(build.describe()).isEqualTo("0.2.0, commit unknown");
	}

	@Test
	void ofWhenTheBuildWroteNothingSaysTheVersionIsUnknown() {
		// when classes compiled by an IDE, without Maven's files
		BuildVersion build = BuildVersion.of(new Properties(), new Properties());

		// then
		assertThat(build).isEqualTo(new BuildVersion("unknown", null));
	}

	private static Properties buildInfo(String version, String commit) {
		Properties properties = new Properties();
		properties.setProperty("build.version", version);
		if (commit != null) {
			properties.setProperty("build.commit", commit);
		}
		return properties;
	}

	private static Properties git(String commit, boolean dirty) {
		Properties properties = new Properties();
		properties.setProperty("git.commit.id.full", commit);
		properties.setProperty("git.dirty", String.valueOf(dirty));
		return properties;
	}

}
