package io.cannobserv.reconciler.link;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The link a run reconciles: the built-in one, Archiver to Watcher, read (and so checked)
 * once at start.
 */
@Configuration(proxyBeanMethods = false)
public class LinkConfiguration {

	@Bean
	Link link() {
		return LinkFile.archiverWatcher();
	}

}
