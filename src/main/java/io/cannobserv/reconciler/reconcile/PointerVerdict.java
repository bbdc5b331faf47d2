package io.cannobserv.reconciler.reconcile;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import io.cannobserv.reconciler.archiver.InfoItemPointer;
import io.cannobserv.reconciler.run.Evidence;
import io.cannobserv.reconciler.run.Outcome;

/**
 * What the classifier concluded about one pointer.
 *
 * @param pointer the InfoItem and its pointer as read
 * @param outcome the verdict, one of {@link Outcome#verdicts()}
 * @param httpStatus Watcher's last HTTP status about the pointer, or 0 when nothing was
 * sent or answered
 * @param evidence a short account of why, kept in the audit and the report; made safe
 * {@link Evidence}, since part of it can come from Watcher's answer
 * @param relink where a {@link Outcome#MOVED moved} pointer goes, and Watcher's answers
 * that say so; null for every other verdict
 */
public record PointerVerdict(InfoItemPointer pointer, Outcome outcome, int httpStatus, String evidence,
		@Nullable Relink relink) {

	public PointerVerdict {
		Assert.isTrue(outcome.isVerdict(), () -> outcome + " is not a verdict");
		Assert.isTrue((outcome == Outcome.MOVED) == (relink != null),
				() -> "A re-link goes with a moved pointer, and only with one (was " + outcome + ")");
		evidence = Evidence.of(evidence);
	}

	public PointerVerdict(InfoItemPointer pointer, Outcome outcome, int httpStatus, String evidence) {
		this(pointer, outcome, httpStatus, evidence, null);
	}

	/** This verdict, its evidence followed by {@code note}. */
	PointerVerdict noting(String note) {
		return new PointerVerdict(this.pointer, this.outcome, this.httpStatus, this.evidence + "; " + note,
				this.relink);
	}

	/**
	 * The WatchedItem that tracks the InfoItem instead, and Watcher's two answers that
	 * say so.
	 *
	 * @param watchedItemId the pointer's new value
	 * @param listEvidence the list's answer for the InfoItem's back-link
	 * @param confirmEvidence the lookup by id that confirmed the back-link
	 */
	public record Relink(String watchedItemId, String listEvidence, String confirmEvidence) {

		public Relink {
			listEvidence = Evidence.of(listEvidence);
			confirmEvidence = Evidence.of(confirmEvidence);
		}

	}

}
