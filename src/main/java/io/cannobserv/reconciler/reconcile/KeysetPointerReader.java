package io.cannobserv.reconciler.reconcile;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import io.cannobserv.reconciler.archiver.InfoItemPointer;

/**
 * Reads pointers in pages by keyset on the InfoItem id, never OFFSET: the writer removes
 * rows from the selection as it goes.
 * <p>
 * Its position is only the last id it handed to a chunk, saved with the chunk (the step
 * calls {@link #update} in the chunk's transaction): a resumed step reads on from the
 * next id, whatever the chunk size was before or is now. The key is the one
 * {@code JdbcPagingItemReader} used, {@code <name>.start.after}, so that a run left
 * unfinished by an earlier release resumes where it stopped.
 * <p>
 * Each page is read outside the chunk's transaction, on a connection of its own in
 * autocommit, so that no lock on the table is held while the chunk's lookups run: the
 * chunk's transaction sends nothing to the database until its first write (PostgreSQL's
 * driver begins a transaction with its first statement). A pointer changed since its page
 * was read is left alone by the writer's compare-and-set.
 * <p>
 * Not final: step-scoped beans are proxied by subclassing.
 */
class KeysetPointerReader implements ItemStreamReader<InfoItemPointer> {

	private final String positionKey;

	private final String idColumn;

	private final PageQuery pageQuery;

	private final int pageSize;

	private final TransactionTemplate outsideChunk;

	private final Deque<InfoItemPointer> page = new ArrayDeque<>();

	private @Nullable String lastRead;

	private boolean lastPage;

	/**
	 * A reader.
	 * @param name its name in the step's execution context
	 * @param idColumn the column the pages are ordered by, as the position names it
	 * @param pageQuery the pages
	 * @param pageSize pointers per page
	 * @param transactionManager the chunks' transaction manager, whose transaction each
	 * page query steps out of
	 */
	KeysetPointerReader(String name, String idColumn, PageQuery pageQuery, int pageSize,
			PlatformTransactionManager transactionManager) {
		this.positionKey = name + ".start.after";
		this.idColumn = idColumn;
		this.pageQuery = pageQuery;
		this.pageSize = pageSize;
		this.outsideChunk = outsideChunk(transactionManager);
	}

	/**
	 * Runs a page query out of the chunk's transaction, on a connection of its own in
	 * autocommit.
	 */
	static TransactionTemplate outsideChunk(PlatformTransactionManager transactionManager) {
		TransactionTemplate outsideChunk = new TransactionTemplate(transactionManager);
		outsideChunk.setPropagationBehavior(TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
		return outsideChunk;
	}

	/** The last id a reader saved under {@code positionKey}, if any. */
	static @Nullable String positionIn(ExecutionContext executionContext, String positionKey, String idColumn) {
		Object position = (executionContext.get(positionKey) instanceof Map<?, ?> keys) ? keys.get(idColumn) : null;
		return (position != null) ? position.toString() : null;
	}

	/**
	 * Saves {@code lastRead} under {@code positionKey}, in the types
	 * {@code JdbcPagingItemReader} saved, which the context's serializer knows.
	 */
	static void putPosition(ExecutionContext executionContext, String positionKey, String idColumn,
			@Nullable String lastRead) {
		if (lastRead != null) {
			Map<String, Object> sortKey = new LinkedHashMap<>();
			sortKey.put(idColumn, lastRead);
			executionContext.put(positionKey, sortKey);
		}
	}

	@Override
	public void open(ExecutionContext executionContext) {
		this.lastRead = positionIn(executionContext, this.positionKey, this.idColumn);
		this.page.clear();
		this.lastPage = false;
	}

	@Override
	public @Nullable InfoItemPointer read() {
		if (this.page.isEmpty() && !this.lastPage) {
			List<InfoItemPointer> next = this.outsideChunk
				.execute((status) -> this.pageQuery.after(this.lastRead, this.pageSize));
			this.page.addAll(next);
			this.lastPage = next.size() < this.pageSize;
		}
		InfoItemPointer pointer = this.page.poll();
		if (pointer != null) {
			this.lastRead = pointer.infoItemId();
		}
		return pointer;
	}

	/** Called by the step in the chunk's transaction, after the chunk is written. */
	@Override
	public void update(ExecutionContext executionContext) {
		putPosition(executionContext, this.positionKey, this.idColumn, this.lastRead);
	}

	@Override
	public void close() {
		this.page.clear();
	}

	/** A page of pointers in id order. */
	@FunctionalInterface
	interface PageQuery {

		/**
		 * At most {@code limit} pointers whose id comes after {@code afterId} (from the
		 * first when null), in id order.
		 */
		List<InfoItemPointer> after(@Nullable String afterId, int limit);

	}

}
