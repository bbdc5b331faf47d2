package io.cannobserv.reconciler.run;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Words}: the link's words for its own table's runs, plain words for another's.
 */
final class WordsTests {

	private static final Words BILLING = new Words("billing.accounts(account_id,stripe_customer_id)",
			"the customers API", "customer", "account", "billing", "a customer id", "one of its gone answers",
			"the customers API's body with /error/code \"resource_missing\"");

	@Test
	void forTableWhenTheRunIsOfTheLinksTableKeepsTheLinksWords() {
		assertThat(BILLING.forTable("billing.accounts(account_id,stripe_customer_id)")).isSameAs(BILLING);
	}

	@Test
	void forTableWhenTheRunIsOfAnotherTableSpeaksPlainWordsNamingThatTable() {
		Words words = Words.WATCHER.forTable("billing.accounts(account_id,stripe_customer_id)");

		assertThat(Outcome.CHANGED_CONCURRENTLY.action(words))
			.isEqualTo("Left alone: the pointer changed in billing.accounts while the run judged it. Nothing to do.");
		assertThat(Outcome.MALFORMED.action(words)).isEqualTo(
				"Kept, never sent to the API: the pointer is not an id of the link's form. Correct or empty it in "
						+ "billing.accounts.");
	}

	@Test
	void renderWhenAWordStartsASentenceCapitalisesIt() {
		assertThat(Outcome.TRANSIENT.action(BILLING)).isEqualTo(
				"Kept, and asked again next run: the customers API gave no usable answer (5xx, 429, timeout) after "
						+ "every retry. Many of them? The customers API is flaky, or "
						+ "RECONCILER_WATCHER_MAX_REQUESTS_PER_SECOND is too high for it.");
		assertThat(Outcome.ARCHIVED.action(BILLING))
			.isEqualTo("Nothing to do: the customers API keeps an archived customer, so the pointer stays.");
	}

	@Test
	void actionWithoutWordsIsTheBuiltInLinksText() {
		assertThat(Outcome.NOT_FOUND_UNCONFIRMED.action()).isEqualTo(
				"Kept: a 404 without Watcher's body {\"detail\":\"WatchedItem not found\"} is no proof of deletion. "
						+ "Something between the job and Watcher answers 404 (an ingress, a proxy, a wrong path in "
						+ "WATCHER_BASE_URL); each row shows the body it got.");
	}

}
