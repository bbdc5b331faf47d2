package io.cannobserv.reconciler.archiver;

import java.io.StringReader;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import io.cannobserv.reconciler.link.Link;
import io.cannobserv.reconciler.link.LinkFile;

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
	void ofWhenTheLinkHasNoSourceRefusesNamingTheKey() {
		Link link = LinkFile.read("test.yaml", new StringReader("""
				name: test
				resource:
				  name: the test API
				  item: /items/{id}
				  id: {format: "[a-z]+", called: a test id}
				  probe: nothing
				  auth: bearer
				  fields: {id: /id}
				gone:
				  - {status: 404, media-type: application/json, body: {"detail": "x"}}
				"""));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ArchiverTableConfiguration.of(link, new TableSettings(null, null, null, null, null)))
			.withMessage("link.source is missing from the link test: give the table that holds the pointers"
					+ " (schema, table, key, pointer), see docs/reference/link-file.md");
	}

}
