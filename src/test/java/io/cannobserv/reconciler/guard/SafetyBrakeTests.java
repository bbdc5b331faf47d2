package io.cannobserv.reconciler.guard;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.cannobserv.reconciler.guard.SafetyBrake.BrakeTrip;
import io.cannobserv.reconciler.run.Outcome;
import io.cannobserv.reconciler.run.RunCounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The brake's arithmetic at its edges: the share is judged strictly above the fraction,
 * only after the sample, on pointers actually checked with Watcher; the cap counts the
 * committed clears plus the chunk about to be written.
 */
class SafetyBrakeTests {

	private final SafetyBrake defaults = new SafetyBrake(new SafetyBrakeProperties(0.5, 20, null));

	@Test
	void checkWhenShareIsExactlyTheFractionDoesNotTrip() {
		// given 10 gone of 20 checked: 50%, the limit itself

		// when
		Optional<BrakeTrip> trip = this.defaults.check(RunCounts.ZERO, counts(20, 10, 0));

		// then
		assertThat(trip).isEmpty();
	}

	@Test
	void checkWhenShareIsJustAboveTheFractionTripsWithTheFigures() {
		// given 11 gone of 20 checked: 55%

		// when
		Optional<BrakeTrip> trip = this.defaults.check(RunCounts.ZERO, counts(20, 11, 0));

		// then
		assertThat(trip).hasValueSatisfying((t) -> {
			assertThat(t.limit()).isEqualTo("max-clear-fraction");
			assertThat(t.checked()).isEqualTo(20);
			assertThat(t.gone()).isEqualTo(11);
			assertThat(t.message()).contains("11 of 20 checked pointers (55%)")
				.contains("--max-clear-fraction=0.5")
				.contains("sample of 20");
			// the share that lets exactly this chunk through
			assertThat(t.override()).isEqualTo("--max-clear-fraction=0.55");
		});
		// and it does: 11 of 20 is not above 0.55 as the command line parses it
		SafetyBrake overridden = new SafetyBrake(new SafetyBrakeProperties(Double.parseDouble("0.55"), 20, null));
		assertThat(overridden.check(RunCounts.ZERO, counts(20, 11, 0))).isEmpty();
	}

	@Test
	void checkWhenBothLimitsArePassedNamesBothAndOverridesBoth() {
		// given a cap of 5 and 6 gone of 20 checked (30%, above 0.25)
		SafetyBrake brake = new SafetyBrake(new SafetyBrakeProperties(0.25, 20, 5L));

		// when
		Optional<BrakeTrip> trip = brake.check(RunCounts.ZERO, counts(20, 6, 0));

		// then
		assertThat(trip).hasValueSatisfying((t) -> {
			assertThat(t.limit()).isEqualTo("max-clears");
			assertThat(t.message()).isEqualTo("the run would clear 6 pointers, more than --max-clears=5; and 6 of 20 "
					+ "checked pointers (30%) are gone, above --max-clear-fraction=0.25 after a sample of 20");
			assertThat(t.override()).isEqualTo("--max-clears=6 --max-clear-fraction=0.3");
		});
	}

	@Test
	void checkWhenBelowMinimumSampleNeverTrips() {
		// given 19 checked, every one gone

		// when
		Optional<BrakeTrip> trip = this.defaults.check(counts(10, 10, 0), counts(9, 9, 0));

		// then
		assertThat(trip).isEmpty();
	}

	@Test
	void checkWhenSampleIsReachedAcrossChunksJudgesCommittedAndChunkTogether() {
		// given 10 committed (all live) and a chunk of 10 with 9 gone: 9 of 20, then 11
		// of 20

		// when
		Optional<BrakeTrip> under = this.defaults.check(counts(10, 0, 0), counts(10, 9, 0));
		Optional<BrakeTrip> over = this.defaults.check(counts(10, 2, 0), counts(10, 9, 0));

		// then
		assertThat(under).isEmpty();
		assertThat(over).hasValueSatisfying((t) -> assertThat(t.checked()).isEqualTo(20));
	}

	@Test
	void checkWhenMalformedPointersWereReadDoesNotCountThemAsChecked() {
		// given 22 read of which 3 malformed: only 19 checked, below the sample (22 would
		// trip: 19/22)

		// when
		Optional<BrakeTrip> belowSample = this.defaults.check(RunCounts.ZERO, counts(22, 19, 3));
		// 40 read of which 20 malformed: 11 gone of 20 checked is 55% (11 of 40 would not
		// trip)
		Optional<BrakeTrip> diluted = this.defaults.check(RunCounts.ZERO, counts(40, 11, 20));

		// then
		assertThat(belowSample).isEmpty();
		assertThat(diluted).hasValueSatisfying((t) -> {
			assertThat(t.checked()).isEqualTo(20);
			assertThat(t.gone()).isEqualTo(11);
		});
	}

	@Test
	void checkWhenFractionIsOneNeverTripsOnTheShare() {
		// given
		SafetyBrake brake = new SafetyBrake(new SafetyBrakeProperties(1, 20, null));

		// when
		Optional<BrakeTrip> trip = brake.check(counts(1000, 1000, 0), counts(100, 100, 0));

		// then
		assertThat(trip).isEmpty();
	}

	@Test
	void checkWhenClearsReachTheCapDoesNotTripAndWhenTheyPassItTrips() {
		// given
		SafetyBrake brake = new SafetyBrake(new SafetyBrakeProperties(1, 20, 5L));

		// when
		Optional<BrakeTrip> atCap = brake.check(counts(3, 3, 0), counts(2, 2, 0));
		Optional<BrakeTrip> pastCap = brake.check(counts(3, 3, 0), counts(3, 3, 0));

		// then
		assertThat(atCap).isEmpty();
		assertThat(pastCap).hasValueSatisfying((t) -> {
			assertThat(t.limit()).isEqualTo("max-clears");
			assertThat(t.gone()).isEqualTo(6);
			assertThat(t.message()).contains("would clear 6 pointers, more than --max-clears=5");
			assertThat(t.override()).isEqualTo("--max-clears=6");
		});
	}

	@Test
	void checkWhenCapIsPassedTripsEvenBelowTheMinimumSample() {
		// given
		SafetyBrake brake = new SafetyBrake(new SafetyBrakeProperties(0.5, 20, 0L));

		// when
		Optional<BrakeTrip> trip = brake.check(RunCounts.ZERO, counts(1, 1, 0));

		// then
		assertThat(trip).hasValueSatisfying((t) -> assertThat(t.limit()).isEqualTo("max-clears"));
	}

	@Test
	void propertiesWhenOutOfRangeAreRefusedNamingTheOption() {
		assertThatIllegalArgumentException().isThrownBy(() -> new SafetyBrakeProperties(1.5, 20, null))
			.withMessageContaining("--max-clear-fraction");
		assertThatIllegalArgumentException().isThrownBy(() -> new SafetyBrakeProperties(-0.1, 20, null))
			.withMessageContaining("--max-clear-fraction");
		assertThatIllegalArgumentException().isThrownBy(() -> new SafetyBrakeProperties(Double.NaN, 20, null))
			.withMessageContaining("--max-clear-fraction");
		assertThatIllegalArgumentException().isThrownBy(() -> new SafetyBrakeProperties(0.5, 0, null))
			.withMessageContaining("--brake-min-sample");
		assertThatIllegalArgumentException().isThrownBy(() -> new SafetyBrakeProperties(0.5, 20, -1L))
			.withMessageContaining("--max-clears");
	}

	/**
	 * Counts of pointers read, of which {@code gone} were gone and {@code malformed}
	 * never sent.
	 */
	@Test
	void checkWhenHalfTransientAndHalfGoneTripsOnTheDefiniteAnswers() {
		// given 40 read: 20 answered 503 every time, 20 answered the typed 404
		RunCounts chunk = RunCounts.of(Outcome.READ, 40).with(Outcome.GONE, 20).with(Outcome.TRANSIENT, 20);

		Optional<BrakeTrip> trip = this.defaults.check(RunCounts.ZERO, chunk);

		// then transient pointers do not water the share down: 20 of 20 definite answers
		// are gone
		assertThat(trip).hasValueSatisfying((t) -> {
			assertThat(t.checked()).isEqualTo(20);
			assertThat(t.gone()).isEqualTo(20);
		});
	}

	private static RunCounts counts(long read, long gone, long malformed) {
		long live = read - gone - malformed;
		return RunCounts.of(Outcome.READ, read)
			.with(Outcome.LIVE, live)
			.with(Outcome.GONE, gone)
			.with(Outcome.MALFORMED, malformed);
	}

}
