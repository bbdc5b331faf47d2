package io.cannobserv.reconciler.restore;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import io.cannobserv.reconciler.archiver.PointerTable.SinceClear;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RestoreDecision}: restore never resurrects. A write is put back only
 * while it is still the last thing that happened to its row; every other case leaves the
 * row alone and says why. {@code RestoreIntegrationTests} proves the same against
 * PostgreSQL, with the compare-and-set that holds it again; these pin each rule.
 */
class RestoreDecisionTests {

	private static final Instant CLEARED_AT = Instant.parse("2026-12-01T02:00:00Z");

	private static final Instant LATER = Instant.parse("2026-12-02T09:30:00Z");

	private static final String NEW_ITEM = "01HZZWATCHER00000000000002";

	private static final String OTHER_ITEM = "01HZZWATCHER00000000000003";

	@Test
	void ofWhenTheClearIsStillTheLastWriteRestores() {
		RestoreDecision decision = RestoreDecision.of(since(null, true), null);
		assertThat(decision.outcome()).isEqualTo(RestoreOutcome.RESTORED);
		assertThat(decision.detail()).isEmpty();
		assertThat(decision.restores()).isTrue();
	}

	@Test
	void ofWhenTheRelinkIsStillTheLastWriteRestores() {
		RestoreDecision decision = RestoreDecision.of(since(NEW_ITEM, true), NEW_ITEM);
		assertThat(decision.outcome()).isEqualTo(RestoreOutcome.RESTORED);
		assertThat(decision.restores()).isTrue();
	}

	@Test
	void ofWhenTheInfoItemIsGoneLeavesItAlone() {
		SinceClear since = new SinceClear(false, null, null, false, CLEARED_AT, null, null, null);
		assertLeftAlone(RestoreDecision.of(since, null), RestoreOutcome.LEFT_ALONE, "the InfoItem no longer exists");
	}

	@Test
	void ofWhenALaterRunClearedItAgainIsSuperseded() {
		SinceClear since = new SinceClear(true, null, CLEARED_AT, true, CLEARED_AT, 57L, OTHER_ITEM, null);
		assertLeftAlone(RestoreDecision.of(since, null), RestoreOutcome.SUPERSEDED,
				"cleared again since, by run 57 (pointer " + OTHER_ITEM + ")");
	}

	@Test
	void ofWhenALaterRunRelinkedItIsSuperseded() {
		SinceClear since = new SinceClear(true, NEW_ITEM, CLEARED_AT, true, CLEARED_AT, 58L, OTHER_ITEM, NEW_ITEM);
		assertLeftAlone(RestoreDecision.of(since, null), RestoreOutcome.SUPERSEDED,
				"re-linked since, by run 58 (pointer " + OTHER_ITEM + " -> " + NEW_ITEM + ")");
	}

	@Test
	void ofWhenAClearedPointerWasRelinkedInArchiverLeavesItAlone() {
		assertLeftAlone(RestoreDecision.of(since(OTHER_ITEM, false), null), RestoreOutcome.LEFT_ALONE,
				"re-linked since, to " + OTHER_ITEM);
	}

	@Test
	void ofWhenARelinkedPointerWasChangedInArchiverLeavesItAlone() {
		assertLeftAlone(RestoreDecision.of(since(OTHER_ITEM, false), NEW_ITEM), RestoreOutcome.LEFT_ALONE,
				"changed since the re-link, to " + OTHER_ITEM);
	}

	@Test
	void ofWhenARelinkedPointerWasClearedInArchiverLeavesItAlone() {
		assertLeftAlone(RestoreDecision.of(since(null, false), NEW_ITEM), RestoreOutcome.LEFT_ALONE,
				"cleared since the re-link");
	}

	@Test
	void ofWhenTheRowWasEditedSinceTheClearIsSuperseded() {
		// the pointer is still empty, but someone wrote the row: what they meant wins
		assertLeftAlone(RestoreDecision.of(since(null, false), null), RestoreOutcome.SUPERSEDED,
				"changed in Archiver since the clear (updated_at " + LATER + ", the clear left " + CLEARED_AT + ")");
	}

	@Test
	void ofWhenTheRowWasEditedSinceTheRelinkIsSuperseded() {
		assertLeftAlone(RestoreDecision.of(since(NEW_ITEM, false), NEW_ITEM), RestoreOutcome.SUPERSEDED,
				"changed in Archiver since the re-link (updated_at " + LATER + ", the re-link left " + CLEARED_AT
						+ ")");
	}

	private static SinceClear since(@Nullable String pointerNow, boolean unchanged) {
		return new SinceClear(true, pointerNow, unchanged ? CLEARED_AT : LATER, unchanged, CLEARED_AT, null, null,
				null);
	}

	private static void assertLeftAlone(RestoreDecision decision, RestoreOutcome outcome, String detail) {
		assertThat(decision.outcome()).isEqualTo(outcome);
		assertThat(decision.detail()).isEqualTo(detail);
		assertThat(decision.restores()).isFalse();
	}

}
