package io.cannobserv.reconciler.watcher;

/**
 * Watcher refused the API key (401) or saw none (403). Nothing more may be sent or
 * cleared: the run stops.
 */
public class WatcherAuthenticationException extends RuntimeException {

	/**
	 * The refusal, in the link's words.
	 * @param api what the link calls its API, as {@code Watcher}
	 * @param status 401 or 403
	 * @param body the answer's body, as evidence
	 */
	public WatcherAuthenticationException(String api, int status, String body) {
		super(Character.toUpperCase(api.charAt(0)) + api.substring(1) + " answered HTTP " + status + " " + body
				+ ": check WATCHER_API_KEY");
	}

}
