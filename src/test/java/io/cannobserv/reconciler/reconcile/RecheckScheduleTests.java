package io.cannobserv.reconciler.reconcile;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecheckScheduleTests {

	@Test
	void pauseBeforeDoublesFromTheInitialPauseUpToTheLongest() {
		RecheckRounds.Schedule schedule = new RecheckRounds.Schedule(6, Duration.ofMillis(200), Duration.ofSeconds(1));
		assertThat(schedule.pauseBefore(2)).isEqualTo(Duration.ofMillis(200));
		assertThat(schedule.pauseBefore(3)).isEqualTo(Duration.ofMillis(400));
		assertThat(schedule.pauseBefore(4)).isEqualTo(Duration.ofMillis(800));
		assertThat(schedule.pauseBefore(5)).isEqualTo(Duration.ofSeconds(1));
		assertThat(schedule.pauseBefore(6)).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void pauseBeforeIsNeverLongerThanTheLongestEvenWhenTheInitialPauseIs() {
		RecheckRounds.Schedule schedule = new RecheckRounds.Schedule(4, Duration.ofSeconds(60), Duration.ofSeconds(5));
		assertThat(schedule.pauseBefore(2)).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void batchIsTheLastWhenNoRoundFollows() {
		assertThat(new RecheckRounds.Batch(3, 4, List.of()).last()).isFalse();
		assertThat(new RecheckRounds.Batch(4, 4, List.of()).last()).isTrue();
		// a resumed run whose --max-attempts was lowered past its round ends with it
		assertThat(new RecheckRounds.Batch(5, 4, List.of()).last()).isTrue();
	}

}
