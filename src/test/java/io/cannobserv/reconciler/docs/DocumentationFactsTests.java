package io.cannobserv.reconciler.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the documentation, the scripts and the manifests say of the job agrees with the
 * files that decide it: the database role is the one {@code docs/least-privilege.sql}
 * creates, and a version or image tag is this build's.
 */
class DocumentationFactsTests {

	private static final Pattern CREATE_ROLE = Pattern.compile("CREATE ROLE (\\w+) LOGIN;");

	/** Where a text names the job's database role. */
	private static final List<Pattern> ROLE_NAMED = List.of(
			Pattern.compile("SPRING_DATASOURCE_USERNAME[=:][ \\t]*'?(\\w+)"),
			Pattern.compile("\\bGRANT\\b[^;\\n]*?\\bTO[ \\t]+(\\w+)"), Pattern.compile("AUTHORIZATION[ \\t]+(\\w+)"),
			Pattern.compile("\\\\password[ \\t]+(\\w+)"), Pattern.compile("Database role (\\w+)"),
			Pattern.compile("OWNER TO (\\w+)"), Pattern.compile("ALTER ROLE (\\w+)"));

	private static final Pattern POM_VERSION = Pattern
		.compile("<artifactId>watcher-link-reconciler</artifactId>\\s*<version>([^<]+)</version>");

	/** An image of the job with a version tag. */
	private static final Pattern IMAGE_TAG = Pattern.compile("watcher-link-reconciler:(\\d+\\.\\d+\\.\\d+[^\\s\"'`]*)");

	/** What {@code --version} prints, as the documentation quotes it. */
	private static final Pattern VERSION_LINE = Pattern
		.compile("watcher-link-reconciler (\\d+\\.\\d+\\.\\d+\\S*), commit");

	@Test
	void linkFileReferenceWhenItQuotesALinkFileQuotesItWhole() throws IOException {
		// the annotated examples are the files the job and its tests read, not copies
		// that
		// drift
		String reference = Files.readString(Path.of("docs/reference/link-file.md"));
		assertThat(reference)
			.contains("```yaml\n" + Files.readString(Path.of("src/main/resources/links/archiver-watcher.yaml")) + "```")
			.contains("```yaml\n" + Files.readString(Path.of("links/billing-customers.yaml")) + "```");
	}

	@Test
	void roleWhenNamedInDocsScriptsOrManifestsIsTheOneLeastPrivilegeSqlCreates() throws IOException {
		// given the role the shipped SQL creates
		Matcher created = CREATE_ROLE.matcher(Files.readString(Path.of("docs/least-privilege.sql")));
		assertThat(created.find()).as("docs/least-privilege.sql creates a role").isTrue();
		String role = created.group(1);

		// when every other name given to the job's role is collected
		List<String> others = new ArrayList<>();
		for (Path file : files("README.md", "SECURITY.md", "docs", "jobs", "k8s", ".ci", "Dockerfile")) {
			String text = Files.readString(file);
			for (Pattern named : ROLE_NAMED) {
				Matcher name = named.matcher(text);
				while (name.find()) {
					// CI and the image check run some statements as the superuser
					boolean superuser = name.group(1).equals("postgres") && file.startsWith(".ci");
					if (!name.group(1).equals(role) && !superuser) {
						others.add(file + ": " + name.group());
					}
				}
			}
		}

		// then there is none: following any page literally logs in as the role the SQL
		// made
		assertThat(others).as("names of the job's role other than " + role).isEmpty();
	}

	@Test
	void versionWhenDocumentedOrDeployedIsThisBuildsOrItsRelease() throws IOException {
		// given this build's version and the release it becomes
		Matcher pom = POM_VERSION.matcher(Files.readString(Path.of("pom.xml")));
		assertThat(pom.find()).isTrue();
		String version = pom.group(1);
		String release = version.replaceFirst("-SNAPSHOT$", "");

		// when every version named as an image tag or printed by --version is collected
		List<String> others = new ArrayList<>();
		for (Path file : files("README.md", "CHANGELOG.md", "docs", "k8s", "jobs", "Dockerfile")) {
			String text = Files.readString(file);
			Matcher tag = IMAGE_TAG.matcher(text);
			while (tag.find()) {
				if (!tag.group(1).equals(release)) {
					others.add(file + ": " + tag.group());
				}
			}
			Matcher printed = VERSION_LINE.matcher(text);
			while (printed.find()) {
				if (!printed.group(1).equals(version) && !printed.group(1).equals(release)) {
					others.add(file + ": " + printed.group());
				}
			}
		}
		String production = Files.readString(Path.of("k8s/overlays/production/kustomization.yaml"));
		Matcher newTag = Pattern.compile("newTag:\\s*\"?([^\"\\s]+)").matcher(production);
		assertThat(newTag.find()).as("the production overlay's tag").isTrue();
		if (!newTag.group(1).equals(release)) {
			others.add("k8s/overlays/production/kustomization.yaml: newTag " + newTag.group(1));
		}

		// then each is this build's: no page or overlay runs new code under an old
		// release
		assertThat(others).as("versions other than %s (release %s)", version, release).isEmpty();
		assertThat(Files.readString(Path.of("CHANGELOG.md"))).as("CHANGELOG.md")
			.contains("## [Unreleased]")
			.doesNotContain("## [" + release + "]");
	}

	/** The files of these paths, directories walked, binary files left out. */
	private static List<Path> files(String... paths) throws IOException {
		List<Path> files = new ArrayList<>();
		for (String path : paths) {
			Path start = Path.of(path);
			if (!Files.exists(start)) {
				continue;
			}
			try (Stream<Path> walk = Files.walk(start)) {
				walk.filter(Files::isRegularFile)
					.filter((file) -> !file.toString().matches(".*\\.(png|jsa|jar)$"))
					.sorted()
					.forEach(files::add);
			}
		}
		return files;
	}

}
