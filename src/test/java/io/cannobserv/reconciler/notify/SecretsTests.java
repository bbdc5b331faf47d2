package io.cannobserv.reconciler.notify;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The secrets of the configuration never leave by a message, however a run's text wrote
 * them: whole, escaped for Markdown, or cut short by the evidence's length.
 */
class SecretsTests {

	private final Secrets secrets = Secrets.of(new MockEnvironment().withProperty("reconciler.watcher.api-key", "k_1*2")
		.withProperty("spring.datasource.password", "correct horse")
		.withProperty("reconciler.notify.webhook-url", "https://hooks.example.com/services/T1/B2/tokentoken"));

	@Test
	void redactWhenTextHoldsSecretsWholeOrEscapedTakesThemOut() {
		assertThat(this.secrets.redact("key k_1*2, escaped k\\_1\\*2, password correct horse"))
			.isEqualTo("key [redacted], escaped [redacted], password [redacted]");
	}

	@Test
	void redactWhenTextHoldsTheWebhooksUrlOrItsPathTakesBothOut() {
		assertThat(this.secrets
			.redact("posted to https://hooks.example.com/services/T1/B2/tokentoken or" + " /services/T1/B2/tokentoken"))
			.isEqualTo("posted to [redacted] or [redacted]");
	}

	@Test
	void redactWhenTextWasCutWithinASecretTakesOutItsStart() {
		assertThat(this.secrets.redact("password correct ho…")).isEqualTo("password [redacted]…");
		assertThat(this.secrets.redact("at https://hooks.example.com/services/T1/B…")).isEqualTo("at [redacted]…");
	}

	@Test
	void redactWhenNoSecretIsSetChangesNothing() {
		assertThat(Secrets.of(new MockEnvironment()).redact("plain text")).isEqualTo("plain text");
	}

	@Test
	void redactWhenOneSecretContainsAnotherTakesOutTheLongerWhole() {
		// the key is the start of the password: taken out first, it would leave the
		// password's tail in the text
		Secrets nested = Secrets.of(new MockEnvironment().withProperty("reconciler.watcher.api-key", "hunter2")
			.withProperty("spring.datasource.password", "hunter2-and-more"));
		assertThat(nested.redact("password hunter2-and-more, key hunter2"))
			.isEqualTo("password [redacted], key [redacted]");
	}

	@Test
	void redactWhenTextWasCutWithinASecretTakesOutAStartOfThreeCharactersButNotOfTwo() {
		// three characters and the ellipsis: a secret's start; two are too common to tell
		assertThat(this.secrets.redact("password cor…")).isEqualTo("password [redacted]…");
		assertThat(this.secrets.redact("password co…")).isEqualTo("password co…");
	}

	@Test
	void redactWhenTheWebhooksPathIsShortTakesItOutAloneOnlyFromEightCharacters() {
		Secrets eight = Secrets.of(new MockEnvironment().withProperty("reconciler.notify.webhook-url",
				"https://hooks.example.com/abcdefg"));
		assertThat(eight.redact("path /abcdefg")).isEqualTo("path [redacted]");
		Secrets seven = Secrets.of(new MockEnvironment().withProperty("reconciler.notify.webhook-url",
				"https://hooks.example.com/abcdef"));
		assertThat(seven.redact("path /abcdef, url https://hooks.example.com/abcdef"))
			.isEqualTo("path /abcdef, url [redacted]");
	}

}
