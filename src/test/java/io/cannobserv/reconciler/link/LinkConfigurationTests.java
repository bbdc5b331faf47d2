package io.cannobserv.reconciler.link;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@code --link-file} picks the link; without it, the built-in one. A file that cannot be
 * used is one line naming the file, the key and the fix.
 */
class LinkConfigurationTests {

	@TempDir
	Path files;

	@Test
	void ofWhenNoFileIsSetIsTheBuiltInLink() {
		assertThat(LinkConfiguration.of(new MockEnvironment())).isEqualTo(LinkFile.archiverWatcher());
	}

	@Test
	void ofWhenAFileIsSetIsThatFilesLink() {
		Link link = LinkConfiguration
			.of(new MockEnvironment().withProperty("reconciler.link.file", "links/billing-customers.yaml"));
		assertThat(link.name()).isEqualTo("billing-customers");
	}

	@Test
	void ofWhenTheFileIsWrongNamesTheFileAndTheKey() throws IOException {
		Path file = this.files.resolve("broken.yaml");
		Files.writeString(file,
				Files.readString(Path.of("links/billing-customers.yaml")).replace("key: account_id", "key: AccountId"));
		assertThatIllegalArgumentException().isThrownBy(
				() -> LinkConfiguration.of(new MockEnvironment().withProperty("reconciler.link.file", file.toString())))
			.withMessage("--link-file=" + file + ": link.source.key: 'AccountId' is not a plain lower-case "
					+ "PostgreSQL identifier (letters, digits, underscores)");
	}

	@Test
	void ofWhenTheFileIsNotYamlNamesTheFileAndTheLine() throws IOException {
		Path file = this.files.resolve("broken.yaml");
		Files.writeString(file, "name: [unclosed\n");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LinkConfiguration
				.of(new MockEnvironment().withProperty("reconciler.link.file", file.toString())))
			.withMessageStartingWith("--link-file=" + file + ": link: not a link file: ")
			.withMessageContaining("(line 2, column 1)")
			.withMessageNotContaining("\n");
	}

	@Test
	void ofWhenTheFileIsMissingSaysSoInOneLine() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LinkConfiguration
				.of(new MockEnvironment().withProperty("reconciler.link.file", "links/nothing.yaml")))
			.withMessage("--link-file=links/nothing.yaml cannot be read (NoSuchFileException links/nothing.yaml):"
					+ " give the path of a link file, see docs/reference/link-file.md");
	}

}
