package io.cannobserv.reconciler.reconcile;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;

import io.cannobserv.reconciler.run.Strategy;

import static org.assertj.core.api.Assertions.assertThat;

class StrategyChoiceTests {

	private static final JobInstance RUN = new JobInstance(7, ReconcileJobConfiguration.JOB_NAME);

	@Test
	void autoWhenPointersReachTheThresholdTakesASnapshot() {
		assertThat(StrategyChoice.auto(true, 1000))
			.isEqualTo(new StrategyChoice(Strategy.SNAPSHOT, "auto: at least 1000 pointers to check"));
		assertThat(StrategyChoice.auto(true, 999)).isEqualTo(new StrategyChoice(Strategy.PER_ITEM,
				"auto: 999 pointer(s) to check, fewer than the 1000 that make a snapshot worth it"));
		assertThat(StrategyChoice.auto(true, 0).strategy()).isEqualTo(Strategy.PER_ITEM);
	}

	@Test
	void autoWhenTheLinkHasNoListLooksEachUpWhateverTheCount() {
		assertThat(StrategyChoice.auto(false, 1_000_000))
			.isEqualTo(new StrategyChoice(Strategy.PER_ITEM, "auto: the link has no list to take a snapshot of"));
	}

	@Test
	void ofRunWhenAutoIsTheChoiceOfTheLatestExecutionThatMadeOne() {
		// given a first execution that took a snapshot, a second that chose lookups, and
		// a
		// third whose first pass had completed, which chose nothing
		JobExecution first = execution(1,
				new StrategyChoice(Strategy.SNAPSHOT, "auto: at least 1000 pointers to check"));
		JobExecution second = execution(2, StrategyChoice.auto(true, 12));
		JobExecution third = execution(3, null);

		// when, then
		assertThat(StrategyChoice.ofRun(List.of(third, first, second), Strategy.AUTO))
			.isEqualTo(StrategyChoice.auto(true, 12));
		assertThat(StrategyChoice.ofRun(List.of(first), Strategy.AUTO).strategy()).isEqualTo(Strategy.SNAPSHOT);
	}

	@Test
	void ofRunWhenAutoEndedBeforeChoosingSaysSo() {
		assertThat(StrategyChoice.ofRun(List.of(execution(1, null)), Strategy.AUTO))
			.isEqualTo(new StrategyChoice(Strategy.AUTO, "auto: the run ended before it chose"));
	}

	@Test
	void ofRunWhenSetIsTheSettingOfTheLatestExecution() {
		JobExecution chose = execution(1, StrategyChoice.auto(true, 5000));

		assertThat(StrategyChoice.ofRun(List.of(chose), Strategy.PER_ITEM))
			.isEqualTo(new StrategyChoice(Strategy.PER_ITEM, null));
	}

	@Test
	void recordedWhenReadBackIsTheChoice() {
		StepExecution step = new StepExecution(1, ReconcileJobConfiguration.SNAPSHOT_STEP_NAME,
				new JobExecution(1, RUN, new JobParameters()));
		StrategyChoice set = new StrategyChoice(Strategy.SNAPSHOT, null);

		set.record(step.getExecutionContext());

		assertThat(StrategyChoice.recorded(step.getExecutionContext())).contains(set);
		assertThat(StrategyChoice.recorded(new StepExecution(2, "other", step.getJobExecution()).getExecutionContext()))
			.isEmpty();
	}

	private static JobExecution execution(long id, StrategyChoice choice) {
		JobExecution execution = new JobExecution(id, RUN, new JobParameters());
		StepExecution snapshotStep = new StepExecution(id * 10, ReconcileJobConfiguration.SNAPSHOT_STEP_NAME,
				execution);
		if (choice != null) {
			choice.record(snapshotStep.getExecutionContext());
		}
		execution.addStepExecution(snapshotStep);
		execution.addStepExecution(new StepExecution(id * 10 + 1, ReconcileJobConfiguration.STEP_NAME, execution));
		return execution;
	}

}
