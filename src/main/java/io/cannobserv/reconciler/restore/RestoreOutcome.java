package io.cannobserv.reconciler.restore;

/**
 * What restore did with a cleared pointer, as {@code pointer_restore.outcome} records it.
 */
enum RestoreOutcome {

	/** Put back: the InfoItem's pointer was still empty. */
	RESTORED,

	/** Not put back: the InfoItem was re-linked or deleted since the clear. */
	LEFT_ALONE

}
