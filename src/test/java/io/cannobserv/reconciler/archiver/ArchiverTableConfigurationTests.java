package io.cannobserv.reconciler.archiver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The table a run reconciles is the link's source, with {@code reconciler.archiver.*}
 * over it where set: unset, Archiver's names for the built-in link, as before link files.
 */
class ArchiverTableConfigurationTests {

	@Test
	void ofWhenNothingIsSetIsArchiversTableAsBefore() {
		ArchiverTable table = ArchiverTableConfiguration.of(new MockEnvironment());
		assertThat(table).isEqualTo(
				new ArchiverTable("information", "info_items", "info_item_id", "watcher_item_id", "watch_status"));
		assertThat(table.identity()).isEqualTo("information.info_items(info_item_id,watcher_item_id)");
		assertThat(table.changedAtColumn()).isEqualTo("updated_at");
	}

	@Test
	void ofWhenSettingsNameARenamedCopyOverridesEachNameSet() {
		MockEnvironment environment = new MockEnvironment().withProperty("reconciler.archiver.table", "info_items_copy")
			.withProperty("reconciler.archiver.watch-status-table", "watch_status_copy");
		assertThat(ArchiverTableConfiguration.of(environment)).isEqualTo(new ArchiverTable("information",
				"info_items_copy", "info_item_id", "watcher_item_id", "watch_status_copy"));
	}

	@Test
	void ofWhenTheLinkFileIsBillingsIsItsTable() {
		MockEnvironment environment = new MockEnvironment().withProperty("reconciler.link.file",
				"links/billing-customers.yaml");
		ArchiverTable table = ArchiverTableConfiguration.of(environment);
		assertThat(table)
			.isEqualTo(new ArchiverTable("billing", "accounts", "account_id", "stripe_customer_id", null, null));
		assertThat(table.identity()).isEqualTo("billing.accounts(account_id,stripe_customer_id)");
	}

	@Test
	void ofWhenTheLinkHasNoSourceRefusesNamingTheKey(@TempDir Path files) throws IOException {
		// given the billing link without its source
		String billing = Files.readString(Path.of("links/billing-customers.yaml"));
		Path file = files.resolve("no-source.yaml");
		Files.writeString(file,
				billing.substring(0, billing.indexOf("source:")) + billing.substring(billing.indexOf("resource:")));

		// when, then
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ArchiverTableConfiguration
				.of(new MockEnvironment().withProperty("reconciler.link.file", file.toString())))
			.withMessage("link.source is missing from the link billing-customers: give the table that holds the"
					+ " pointers (schema, table, key, pointer), see docs/reference/link-file.md");
	}

}
