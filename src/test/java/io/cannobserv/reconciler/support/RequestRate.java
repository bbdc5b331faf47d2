package io.cannobserv.reconciler.support;

import java.util.Date;
import java.util.List;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * How fast requests reached a fake server, from its journal (millisecond resolution).
 */
public final class RequestRate {

	private RequestRate() {
	}

	/** The most requests that arrived within any one second. */
	public static int mostInAnySecond(List<LoggedRequest> requests) {
		List<Long> arrived = arrivals(requests);
		int most = 0;
		int end = 0;
		for (int start = 0; start < arrived.size(); start++) {
			while (end < arrived.size() && arrived.get(end) < arrived.get(start) + 1000) {
				end++;
			}
			most = Math.max(most, end - start);
		}
		return most;
	}

	/** When each request arrived, in milliseconds since the epoch, oldest first. */
	public static List<Long> arrivals(List<LoggedRequest> requests) {
		return requests.stream().map(LoggedRequest::getLoggedDate).map(Date::getTime).sorted().toList();
	}

}
