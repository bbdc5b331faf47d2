package io.cannobserv.reconciler.reconcile;

import org.springframework.util.Assert;

import io.cannobserv.reconciler.archiver.InfoItemPointer;
import io.cannobserv.reconciler.run.Evidence;
import io.cannobserv.reconciler.run.Outcome;

/**
 * What the classifier concluded about one pointer.
 *
 * @param pointer the InfoItem and its pointer as read
 * @param outcome the verdict, one of {@link Outcome#verdicts()}
 * @param httpStatus Watcher's last HTTP status, or 0 when nothing was sent or answered
 * @param evidence a short account of why, kept in the audit and the report; made safe
 * {@link Evidence}, since part of it can come from Watcher's answer
 */
public record PointerVerdict(InfoItemPointer pointer, Outcome outcome, int httpStatus, String evidence) {

	public PointerVerdict {
		Assert.isTrue(outcome.isVerdict(), () -> outcome + " is not a verdict");
		evidence = Evidence.of(evidence);
	}

}
