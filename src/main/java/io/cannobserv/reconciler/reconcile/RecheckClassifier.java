package io.cannobserv.reconciler.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import org.springframework.batch.infrastructure.item.ItemProcessor;

import io.cannobserv.reconciler.archiver.InfoItemPointer;
import io.cannobserv.reconciler.run.Outcome;

/**
 * Classifies a page of a recheck round, its lookups in parallel on the lookup threads
 * (the client keeps them within its limit of requests in flight). Each pointer is asked
 * once per round; in the last round a re-link search that gets no answer falls back to
 * the verdict as it was.
 */
final class RecheckClassifier implements ItemProcessor<RecheckRounds.Batch, List<PointerVerdict>> {

	private final WatcherPointerClassifier round;

	private final WatcherPointerClassifier lastRound;

	private final Executor lookups;

	RecheckClassifier(WatcherPointerClassifier round, WatcherPointerClassifier lastRound, Executor lookups) {
		this.round = round;
		this.lastRound = lastRound;
		this.lookups = lookups;
	}

	@Override
	public List<PointerVerdict> process(RecheckRounds.Batch batch) {
		WatcherPointerClassifier classifier = batch.last() ? this.lastRound : this.round;
		List<CompletableFuture<PointerVerdict>> verdicts = new ArrayList<>(batch.pointers().size());
		for (InfoItemPointer pointer : batch.pointers()) {
			verdicts.add(CompletableFuture.supplyAsync(() -> noted(classifier.process(pointer), batch), this.lookups));
		}
		try {
			return verdicts.stream().map(CompletableFuture::join).toList();
		}
		catch (CompletionException ex) {
			// what the classifier threw, as the first pass's step would see it
			if (ex.getCause() instanceof RuntimeException cause) {
				throw cause;
			}
			throw ex;
		}
	}

	/** A pointer still transient says how far the recheck got with it. */
	private static PointerVerdict noted(PointerVerdict verdict, RecheckRounds.Batch batch) {
		return (verdict.outcome() == Outcome.TRANSIENT)
				? verdict.noting("still transient after recheck round " + batch.round() + " of " + batch.rounds())
				: verdict;
	}

}
