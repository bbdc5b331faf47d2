package io.cannobserv.reconciler.notify;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The webhook's URL is a secret: a setting that refuses it, and the settings printed,
 * never repeat it.
 */
class NotifyPropertiesTests {

	private static final String TOKEN = "T0001/B0002/s3cr3t";

	@Test
	void webhookWhenNotHttpIsRefusedWithoutRepeatingTheUrl() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new NotifyProperties("ftp://hooks.example.com/" + TOKEN, Duration.ofSeconds(10)))
			.withMessageContaining("must be an http or https URL")
			.withMessageNotContaining(TOKEN);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new NotifyProperties("https://hooks example/" + TOKEN, Duration.ofSeconds(10)))
			.withMessageNotContaining(TOKEN);
	}

	@Test
	void toStringWhenAWebhookIsSetHidesIt() {
		NotifyProperties properties = new NotifyProperties("https://hooks.example.com/" + TOKEN,
				Duration.ofSeconds(10));

		assertThat(properties.toString()).doesNotContain(TOKEN).contains("webhookUrl=****");
	}

	@Test
	void webhookWhenBlankIsNone() {
		assertThat(new NotifyProperties("  ", Duration.ofSeconds(10)).webhook()).isNull();
	}

	@Test
	void timeoutWhenNotPositiveIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new NotifyProperties(null, Duration.ZERO))
			.withMessageContaining("reconciler.notify.timeout");
	}

}
