package io.cannobserv.reconciler.archiver;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.cannobserv.reconciler.link.Link;
import io.cannobserv.reconciler.link.LinkConfiguration;
import io.cannobserv.reconciler.link.Source;
import io.cannobserv.reconciler.run.Words;

/** The table a run reconciles: the link's source, with the settings over it. */
@Configuration(proxyBeanMethods = false)
public class ArchiverTableConfiguration {

	@Bean
	ArchiverTable archiverTable(Link link, TableSettings settings) {
		return of(link, settings);
	}

	/** What the reports and messages of this table's runs call its things. */
	@Bean
	Words words(Link link, ArchiverTable table) {
		return link.words(table.identity(), table.qualifiedTable());
	}

	/**
	 * The table the settings of {@code environment} name, for what must know it before
	 * the beans are made.
	 * @throws IllegalArgumentException where a setting or the link file is wrong, one
	 * line
	 */
	public static ArchiverTable of(Environment environment) {
		return of(LinkConfiguration.of(environment),
				Binder.get(environment).bindOrCreate("reconciler.archiver", TableSettings.class));
	}

	static ArchiverTable of(Link link, TableSettings settings) {
		Source source = link.source();
		if (source == null) {
			throw new IllegalArgumentException("link.source is missing from the link " + link.name()
					+ ": give the table that holds the pointers (schema, table, key, pointer), see "
					+ "docs/reference/link-file.md");
		}
		return settings.over(source);
	}

}
