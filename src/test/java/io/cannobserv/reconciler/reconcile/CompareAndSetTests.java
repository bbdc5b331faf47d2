package io.cannobserv.reconciler.reconcile;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.cannobserv.reconciler.archiver.InfoItemPointer;
import io.cannobserv.reconciler.reconcile.PointerVerdict.Relink;
import io.cannobserv.reconciler.run.Outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link CompareAndSet}: what the writer makes of the rows its compare-and-set
 * matched. The SQL that matches them is proven against PostgreSQL by
 * {@code ChunkTransactionIntegrationTests}; here, the decision on its answer.
 */
class CompareAndSetTests {

	private static final InfoItemPointer POINTER = new InfoItemPointer("01HZZ000000000000000000003",
			"01HZZWATCHER00000000000001");

	private static final PointerVerdict GONE = new PointerVerdict(POINTER, Outcome.GONE, 404, "typed 404");

	private static final PointerVerdict MOVED = new PointerVerdict(POINTER, Outcome.MOVED, 404, "typed 404",
			new Relink("01HZZWATCHER00000000000002", "list: one", "HTTP 200 active"));

	@Test
	void writtenWhenTheRowStillHeldThePointerIsClearedOrRelinked() {
		assertThat(CompareAndSet.written(GONE, 1)).isEqualTo(Outcome.CLEARED);
		assertThat(CompareAndSet.written(MOVED, 1)).isEqualTo(Outcome.RELINKED);
	}

	@Test
	void writtenWhenTheRowChangedMeanwhileIsLeftAloneAndReported() {
		assertThat(CompareAndSet.written(GONE, 0)).isEqualTo(Outcome.CHANGED_CONCURRENTLY);
		assertThat(CompareAndSet.written(MOVED, 0)).isEqualTo(Outcome.RELINK_CHANGED_CONCURRENTLY);
		assertThat(CompareAndSet.written(GONE, 0).isFinding()).isTrue();
		assertThat(CompareAndSet.written(GONE, 1).isFinding()).isFalse();
	}

	@ParameterizedTest
	@MethodSource("impossibleCounts")
	void writtenWhenTheUpdateMatchedAnImpossibleCountRefusesToTrustIt(int matchedRows) {
		assertThatIllegalStateException().isThrownBy(() -> CompareAndSet.written(GONE, matchedRows))
			.withMessage("Compare-and-set of InfoItem 01HZZ000000000000000000003 matched " + matchedRows
					+ " rows; expected 0 or 1");
	}

	static Stream<Integer> impossibleCounts() {
		// 2: the key broken; -2: the driver's SUCCESS_NO_INFO, a count it did not give
		return Stream.of(2, -2, -3);
	}

	@Test
	void notWrittenWhenADryRunSaysWhatItWouldDo() {
		assertThat(CompareAndSet.notWritten(GONE)).isEqualTo(Outcome.WOULD_CLEAR);
		assertThat(CompareAndSet.notWritten(MOVED)).isEqualTo(Outcome.WOULD_RELINK);
	}

	@ParameterizedTest
	@EnumSource(value = Outcome.class,
			names = { "LIVE", "ARCHIVED", "MISMATCHED", "NOT_FOUND_UNCONFIRMED", "MALFORMED", "TRANSIENT" })
	void writtenWhenTheVerdictIsNotStaleRefusesToWriteIt(Outcome kept) {
		PointerVerdict verdict = new PointerVerdict(POINTER, kept, 200, "kept");
		assertThatIllegalArgumentException().isThrownBy(() -> CompareAndSet.written(verdict, 1))
			.withMessage("Only a stale pointer is written; InfoItem 01HZZ000000000000000000003 is " + kept);
		assertThatIllegalArgumentException().isThrownBy(() -> CompareAndSet.notWritten(verdict));
	}

}
