package io.cannobserv.reconciler.reconcile;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.cannobserv.reconciler.support.ArchiverTestBed;
import io.cannobserv.reconciler.support.ChildJvm;
import io.cannobserv.reconciler.support.ChildJvms;
import io.cannobserv.reconciler.support.ReconcilerRun;
import io.cannobserv.reconciler.support.ReconcilerRun.Result;
import io.cannobserv.reconciler.support.ReportFiles;
import io.cannobserv.reconciler.support.Ulids;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recheck asks the first pass's transient pointers again in rounds, one pause per
 * round whatever the number of chunks, and a run killed between rounds resumes in the
 * round it had reached, without asking again what a round settled.
 */
@ExtendWith(OutputCaptureExtension.class)
class RecheckRoundsFunctionalTests {

	private static final String JOB_SCHEMA = "watcher_link_reconciler";

	/** A JVM start plus a run of a few seconds, with room for a slow machine. */
	private static final Duration RUN_BOUND = Duration.ofSeconds(90);

	@RegisterExtension
	final ArchiverTestBed bed = new ArchiverTestBed();

	@RegisterExtension
	final ChildJvms children = new ChildJvms();

	@TempDir
	Path reportDir;

	@Test
	void reconcileWhenTransientPointersSpanManyChunksAsksThemAgainInRoundsWithOnePausePerRound(CapturedOutput output) {
		// given six pointers that fail twice, two that fail once and are then gone, one
		// that always fails, and two live ones: with two pointers a chunk, the recheck's
		// rounds span four, three and two chunks
		sixFailingTwiceThenLive();
		twoFailingOnceThenGone();
		this.bed.archiver().insertItem(Ulids.infoItem(9), Ulids.watchedItem(9));
		this.bed.watcher().failing(Ulids.watchedItem(9), 503);
		for (int i = 10; i <= 11; i++) {
			this.bed.archiver().insertItem(Ulids.infoItem(i), Ulids.watchedItem(i));
			this.bed.watcher().live(Ulids.watchedItem(i), Ulids.infoItem(i));
		}

		// when
		Result result = ReconcilerRun.reconcile(this.bed.database(), this.bed.watcher(), this.reportDir, "--apply",
				"--chunk-size=2", "--max-attempts=3", "--initial-backoff=500ms", "--max-backoff=5s");

		// then every pointer has its verdict, the one that always failed kept and said so
		assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
		JsonNode report = ReportFiles.only(this.reportDir);
		JsonNode counts = report.get("counts");
		assertThat(counts.get("read").asLong()).isEqualTo(11);
		assertThat(counts.get("live").asLong()).isEqualTo(8);
		assertThat(counts.get("cleared").asLong()).isEqualTo(2);
		assertThat(counts.get("transient").asLong()).isEqualTo(1);
		assertThat(this.bed.archiver().pointerOf(Ulids.infoItem(7))).isNull();
		assertThat(this.bed.archiver().pointerOf(Ulids.infoItem(9))).isEqualTo(Ulids.watchedItem(9));
		assertThat(report.get("skipped").findValuesAsString("reason"))
			.containsExactly("HTTP 503 Service Unavailable (1 attempt); still transient after recheck round 3 of 3");
		// each pointer asked until it had an answer: once by the first pass, once a round
		assertThat(asked(1)).hasSize(3);
		assertThat(asked(7)).hasSize(2);
		assertThat(asked(9)).hasSize(4);
		assertThat(asked(10)).hasSize(1);
		// one pause before each round after the first, not one per chunk
		assertThat(output.getOut()).containsOnlyOnce("Recheck round 2 of 3: 7 pointer(s) still transient")
			.containsOnlyOnce("Recheck round 3 of 3: 1 pointer(s) still transient")
			.doesNotContain("round 4");
		// and a round began only once the one before had asked every pointer, a pause
		// later: a pointer's n-th request came after every pointer's (n-1)-th
		List<Integer> transients = List.of(1, 2, 3, 4, 5, 6, 7, 8, 9);
		for (int round = 1; round <= 2; round++) {
			int ask = round;
			Instant lastOfRound = transients.stream()
				.filter((i) -> asked(i).size() > ask)
				.map((i) -> asked(i).get(ask).getLoggedDate().toInstant())
				.max(Instant::compareTo)
				.orElseThrow();
			Instant firstOfNext = transients.stream()
				.filter((i) -> asked(i).size() > ask + 1)
				.map((i) -> asked(i).get(ask + 1).getLoggedDate().toInstant())
				.min(Instant::compareTo)
				.orElseThrow();
			assertThat(Duration.between(lastOfRound, firstOfNext)).as("round %d to %d", round, round + 1)
				.isGreaterThanOrEqualTo(Duration.ofMillis(450 * ask));
		}
	}

	@Test
	void reconcileWhenKilledBetweenRoundsResumesInTheRoundItReachedAndKeepsWhatRoundsSettled() throws Exception {
		// given six pointers that fail twice, and two that fail once and are then gone
		sixFailingTwiceThenLive();
		twoFailingOnceThenGone();
		// a run whose pause before its second round is long: killed in it
		ChildJvm killed = launch("rounds-sigkill", "--initial-backoff=60s", "--max-backoff=60s");
		awaitOutput(killed, "Recheck round 2 of 3");
		killed.kill9();
		killed.waitFor(RUN_BOUND);
		// the first round committed: the two gone pointers cleared, once
		assertThat(this.bed.archiver().pointerOf(Ulids.infoItem(7))).isNull();
		assertThat(clearedIds()).containsExactlyInAnyOrder(Ulids.infoItem(7), Ulids.infoItem(8));

		// when resumed, with a shorter pause
		ChildJvm resumed = launch("rounds-resume", "--initial-backoff=200ms");
		int exitCode = resumed.waitFor(RUN_BOUND);

		// then it began with the second round: the six asked a third time and live, the
		// gone ones not asked again, nothing cleared twice
		assertThat(exitCode).as(resumed.tail(40)).isZero();
		assertThat(resumed.output()).contains("Recheck round 2 of 3: 6 pointer(s) still transient")
			.doesNotContain("Recheck round 3");
		JsonNode report = ReportFiles.only(this.reportDir);
		assertThat(report.get("status").asString()).isEqualTo("COMPLETED");
		JsonNode counts = report.get("counts");
		assertThat(counts.get("read").asLong()).isEqualTo(8);
		assertThat(counts.get("live").asLong()).isEqualTo(6);
		assertThat(counts.get("cleared").asLong()).isEqualTo(2);
		assertThat(counts.get("transient").asLong()).isZero();
		IntStream.rangeClosed(1, 6).forEach((i) -> assertThat(asked(i)).as("pointer %d", i).hasSize(3));
		IntStream.rangeClosed(7, 8).forEach((i) -> assertThat(asked(i)).as("pointer %d", i).hasSize(2));
		assertThat(clearedIds()).containsExactlyInAnyOrder(Ulids.infoItem(7), Ulids.infoItem(8));
		for (int i = 1; i <= 6; i++) {
			assertThat(this.bed.archiver().pointerOf(Ulids.infoItem(i))).isEqualTo(Ulids.watchedItem(i));
		}
	}

	@Test
	void reconcileWhenSigtermDuringThePauseBetweenRoundsStopsAtOnceAndTheResumedRunBeginsThatRound() throws Exception {
		// given six pointers that fail twice, in a run whose pause before its second
		// round is a minute long
		sixFailingTwiceThenLive();
		ChildJvm stopped = launch("rounds-sigterm", "--initial-backoff=60s", "--max-backoff=60s");
		awaitOutput(stopped, "Recheck round 2 of 3");

		// when
		long signalled = System.nanoTime();
		stopped.sigterm();
		int stoppedExit = stopped.waitFor(RUN_BOUND);

		// then the pause was cut short, the run STOPPED, nothing of the round asked
		assertThat(stoppedExit).as(stopped.tail(40)).isEqualTo(1);
		assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(Duration.ofSeconds(30));
		assertThat(ReportFiles.only(this.reportDir).get("status").asString()).isEqualTo("STOPPED");
		IntStream.rangeClosed(1, 6).forEach((i) -> assertThat(asked(i)).as("pointer %d", i).hasSize(2));

		// and the resumed run begins the second round again, and completes
		ChildJvm resumed = launch("rounds-sigterm-resume", "--initial-backoff=200ms");
		assertThat(resumed.waitFor(RUN_BOUND)).as(resumed.tail(40)).isZero();
		assertThat(resumed.output()).contains("Recheck round 2 of 3: 6 pointer(s) still transient");
		JsonNode report = ReportFiles.only(this.reportDir);
		assertThat(report.get("status").asString()).isEqualTo("COMPLETED");
		assertThat(report.get("counts").get("live").asLong()).isEqualTo(6);
		assertThat(report.get("counts").get("transient").asLong()).isZero();
		IntStream.rangeClosed(1, 6).forEach((i) -> assertThat(asked(i)).as("pointer %d", i).hasSize(3));
	}

	private void sixFailingTwiceThenLive() {
		for (int i = 1; i <= 6; i++) {
			this.bed.archiver().insertItem(Ulids.infoItem(i), Ulids.watchedItem(i));
			this.bed.watcher().flakyThenLive(Ulids.watchedItem(i), Ulids.infoItem(i), 2);
		}
	}

	private void twoFailingOnceThenGone() {
		for (int i = 7; i <= 8; i++) {
			this.bed.archiver().insertItem(Ulids.infoItem(i), Ulids.watchedItem(i));
			this.bed.watcher().flakyThenDeleted(Ulids.watchedItem(i), 1);
		}
	}

	/** The lookups of the n-th WatchedItem, in the order Watcher got them. */
	private List<LoggedRequest> asked(int n) {
		return this.bed.watcher()
			.requestsFor(Ulids.watchedItem(n))
			.stream()
			.sorted((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate()))
			.toList();
	}

	private List<String> clearedIds() {
		return this.bed.database()
			.jdbc()
			.queryForList("SELECT info_item_id FROM " + JOB_SCHEMA + ".pointer_clear", String.class);
	}

	private ChildJvm launch(String name, String... backoff) {
		List<String> options = new ArrayList<>(List.of("--apply", "--chunk-size=2", "--max-attempts=3"));
		options.addAll(List.of(backoff));
		ChildJvm child = this.children.start(name, ChildJvm.reconcileArgs(this.bed.database(), this.bed.watcher(),
				this.reportDir, options.toArray(String[]::new)));
		return child;
	}

	private static void awaitOutput(ChildJvm child, String line) throws InterruptedException {
		long deadline = System.nanoTime() + RUN_BOUND.toNanos();
		while (System.nanoTime() < deadline) {
			if (child.output().contains(line)) {
				return;
			}
			assertThat(child.isAlive()).as(child.tail(40)).isTrue();
			Thread.sleep(50);
		}
		throw new AssertionError("No '" + line + "' within " + RUN_BOUND + " from " + child + ":\n" + child.tail(40));
	}

}
