package io.cannobserv.reconciler.watcher;

/**
 * Watcher refused the API key (401) or saw none (403). Nothing more may be sent or
 * cleared: the run stops.
 */
public class WatcherAuthenticationException extends RuntimeException {

	public WatcherAuthenticationException(int status, String body) {
		super("Watcher answered HTTP " + status + " " + body + ": check WATCHER_API_KEY");
	}

}
