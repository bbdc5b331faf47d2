package io.cannobserv.reconciler.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A realistic registry in one call: InfoItems of every kind, interleaved in id order (so
 * a chunk mixes them), inserted into Archiver's table and stubbed on the
 * {@link FakeWatcher}. It remembers which InfoItem is which, so a test asserts exactly
 * which rows changed.
 * <p>
 * The n-th InfoItem is {@code Ulids.infoItem(n)} and, when it has a pointer, points at
 * {@code Ulids.watchedItem(n)}. Same mix, same ids, same order: no randomness unless a
 * seed is given.
 */
public final class RegistryFixture {

	private static final List<String> UNCONFIRMED_BODIES = List.of(WatcherBodies.ROUTE_NOT_FOUND,
			WatcherBodies.RESOURCE_NOT_FOUND, WatcherBodies.NGINX_NOT_FOUND, "");

	private final Mix mix;

	private final List<Entry> entries;

	private RegistryFixture(Mix mix, List<Entry> entries) {
		this.mix = mix;
		this.entries = List.copyOf(entries);
	}

	/** Inserts and stubs the mix, kinds interleaved round-robin. */
	public static RegistryFixture create(ArchiverDatabase archiver, FakeWatcher watcher, Mix mix) {
		return create(archiver, watcher, mix, roundRobin(mix));
	}

	/**
	 * Like {@link #create(ArchiverDatabase, FakeWatcher, Mix)}, in an order shuffled by
	 * {@code seed}.
	 */
	public static RegistryFixture create(ArchiverDatabase archiver, FakeWatcher watcher, Mix mix, long seed) {
		List<PointerClass> order = roundRobin(mix);
		Collections.shuffle(order, new Random(seed));
		return create(archiver, watcher, mix, order);
	}

	private static RegistryFixture create(ArchiverDatabase archiver, FakeWatcher watcher, Mix mix,
			List<PointerClass> order) {
		Assert.isTrue(archiver.version().hasPointerColumn(), "A registry needs the watcher_item_id column");
		List<Entry> entries = new ArrayList<>(order.size());
		List<String> invalidPointers = Ulids.invalidPointers().stream().map(Ulids.InvalidPointer::value).toList();
		int malformed = 0;
		int unconfirmed = 0;
		for (int i = 0; i < order.size(); i++) {
			PointerClass pointerClass = order.get(i);
			int n = i + 1;
			String infoItemId = Ulids.infoItem(n);
			String watchedId = Ulids.watchedItem(n);
			@Nullable String pointer = watchedId;
			switch (pointerClass) {
				case LIVE -> watcher.live(watchedId, infoItemId);
				case ARCHIVED -> watcher.archived(watchedId, infoItemId);
				case GONE -> watcher.deleted(watchedId);
				case MISMATCHED -> watcher.mismatched(watchedId, otherInfoItem(n));
				case NOT_FOUND_UNCONFIRMED -> watcher.notFoundUnconfirmed(watchedId,
						UNCONFIRMED_BODIES.get(unconfirmed++ % UNCONFIRMED_BODIES.size()));
				case TRANSIENT_ALWAYS -> watcher.failing(watchedId, 503);
				case FLAKY_THEN_LIVE -> watcher.flakyThenLive(watchedId, infoItemId, 1);
				case MALFORMED -> pointer = invalidPointers.get(malformed++ % invalidPointers.size());
				case WITHOUT_POINTER -> pointer = null;
			}
			entries.add(new Entry(pointerClass, infoItemId, pointer));
		}
		archiver.insertItems(entries.stream()
			.map((entry) -> new ArchiverDatabase.Item(entry.infoItemId(), entry.watcherItemId()))
			.toList());
		return new RegistryFixture(mix, entries);
	}

	/**
	 * The InfoItem a MISMATCHED WatchedItem names instead: a valid ULID that is not in
	 * the registry.
	 */
	public static String otherInfoItem(int n) {
		return Ulids.of("01HZZSWAP", n);
	}

	public Mix mix() {
		return this.mix;
	}

	/** Every InfoItem, in id order. */
	public List<Entry> entries() {
		return this.entries;
	}

	/** The InfoItem ids of one kind, in id order. */
	public List<String> ids(PointerClass pointerClass) {
		return this.entries.stream()
			.filter((entry) -> entry.pointerClass() == pointerClass)
			.map(Entry::infoItemId)
			.toList();
	}

	/**
	 * The pointers at creation time, by InfoItem id, in id order ({@code null}: none).
	 */
	public Map<String, @Nullable String> pointers() {
		Map<String, @Nullable String> pointers = new LinkedHashMap<>();
		this.entries.forEach((entry) -> pointers.put(entry.infoItemId(), entry.watcherItemId()));
		return pointers;
	}

	public Entry entry(String infoItemId) {
		return this.entries.stream()
			.filter((entry) -> entry.infoItemId().equals(infoItemId))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No InfoItem " + infoItemId + " in this registry"));
	}

	private static List<PointerClass> roundRobin(Mix mix) {
		Map<PointerClass, Integer> left = new EnumMap<>(PointerClass.class);
		for (PointerClass pointerClass : PointerClass.values()) {
			left.put(pointerClass, mix.count(pointerClass));
		}
		List<PointerClass> order = new ArrayList<>(mix.total());
		while (order.size() < mix.total()) {
			for (PointerClass pointerClass : PointerClass.values()) {
				if (left.get(pointerClass) > 0) {
					left.merge(pointerClass, -1, Integer::sum);
					order.add(pointerClass);
				}
			}
		}
		return order;
	}

	/** What Watcher (or the pointer itself) makes of an InfoItem. */
	public enum PointerClass {

		/** 200, linked back to this InfoItem. */
		LIVE,

		/** 200 with {@code archived_at}: exists. */
		ARCHIVED,

		/** The typed 404: the only kind whose pointer may be cleared. */
		GONE,

		/** 200 naming another InfoItem. */
		MISMATCHED,

		/**
		 * 404 with another body: route 404, {@code Resource not found}, nginx HTML,
		 * empty.
		 */
		NOT_FOUND_UNCONFIRMED,

		/** 503 on every attempt. */
		TRANSIENT_ALWAYS,

		/** 503 once, then 200 live. */
		FLAKY_THEN_LIVE,

		/**
		 * The pointer is not a ULID ({@link Ulids#invalidPointers()}, in turn); never
		 * sent.
		 */
		MALFORMED,

		/** {@code watcher_item_id IS NULL}: not watched. */
		WITHOUT_POINTER

	}

	/**
	 * One InfoItem of the registry.
	 *
	 * @param pointerClass what it is
	 * @param infoItemId its id
	 * @param watcherItemId its pointer as inserted
	 */
	public record Entry(PointerClass pointerClass, String infoItemId, @Nullable String watcherItemId) {
	}

	/**
	 * How many InfoItems of each kind: {@code Mix.none().live(3).gone(2)}.
	 */
	public record Mix(int live, int archived, int gone, int mismatched, int notFoundUnconfirmed, int transientAlways,
			int flakyThenLive, int malformed, int withoutPointer) {

		public Mix {
			Assert.isTrue(
					live >= 0 && archived >= 0 && gone >= 0 && mismatched >= 0 && notFoundUnconfirmed >= 0
							&& transientAlways >= 0 && flakyThenLive >= 0 && malformed >= 0 && withoutPointer >= 0,
					"Counts must not be negative");
		}

		public static Mix none() {
			return new Mix(0, 0, 0, 0, 0, 0, 0, 0, 0);
		}

		/** {@code n} of every kind. */
		public static Mix ofEach(int n) {
			return new Mix(n, n, n, n, n, n, n, n, n);
		}

		public Mix live(int n) {
			return new Mix(n, this.archived, this.gone, this.mismatched, this.notFoundUnconfirmed, this.transientAlways,
					this.flakyThenLive, this.malformed, this.withoutPointer);
		}

		public Mix archived(int n) {
			return new Mix(this.live, n, this.gone, this.mismatched, this.notFoundUnconfirmed, this.transientAlways,
					this.flakyThenLive, this.malformed, this.withoutPointer);
		}

		public Mix gone(int n) {
			return new Mix(this.live, this.archived, n, this.mismatched, this.notFoundUnconfirmed, this.transientAlways,
					this.flakyThenLive, this.malformed, this.withoutPointer);
		}

		public Mix mismatched(int n) {
			return new Mix(this.live, this.archived, this.gone, n, this.notFoundUnconfirmed, this.transientAlways,
					this.flakyThenLive, this.malformed, this.withoutPointer);
		}

		public Mix notFoundUnconfirmed(int n) {
			return new Mix(this.live, this.archived, this.gone, this.mismatched, n, this.transientAlways,
					this.flakyThenLive, this.malformed, this.withoutPointer);
		}

		public Mix transientAlways(int n) {
			return new Mix(this.live, this.archived, this.gone, this.mismatched, this.notFoundUnconfirmed, n,
					this.flakyThenLive, this.malformed, this.withoutPointer);
		}

		public Mix flakyThenLive(int n) {
			return new Mix(this.live, this.archived, this.gone, this.mismatched, this.notFoundUnconfirmed,
					this.transientAlways, n, this.malformed, this.withoutPointer);
		}

		public Mix malformed(int n) {
			return new Mix(this.live, this.archived, this.gone, this.mismatched, this.notFoundUnconfirmed,
					this.transientAlways, this.flakyThenLive, n, this.withoutPointer);
		}

		public Mix withoutPointer(int n) {
			return new Mix(this.live, this.archived, this.gone, this.mismatched, this.notFoundUnconfirmed,
					this.transientAlways, this.flakyThenLive, this.malformed, n);
		}

		public int count(PointerClass pointerClass) {
			return switch (pointerClass) {
				case LIVE -> this.live;
				case ARCHIVED -> this.archived;
				case GONE -> this.gone;
				case MISMATCHED -> this.mismatched;
				case NOT_FOUND_UNCONFIRMED -> this.notFoundUnconfirmed;
				case TRANSIENT_ALWAYS -> this.transientAlways;
				case FLAKY_THEN_LIVE -> this.flakyThenLive;
				case MALFORMED -> this.malformed;
				case WITHOUT_POINTER -> this.withoutPointer;
			};
		}

		public int total() {
			int total = 0;
			for (PointerClass pointerClass : PointerClass.values()) {
				total += count(pointerClass);
			}
			return total;
		}

	}

}
