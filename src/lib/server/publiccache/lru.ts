/**
 * A least-recently-used map bounded by bytes: each entry states its size, and inserting past the
 * bound drops the least recently used entries until the total fits. An entry larger than
 * `maxEntryBytes` is not kept at all. Map iteration order is insertion order, so moving an entry
 * to the end on each read keeps the oldest first.
 */
export class ByteLru<V> {
	private readonly map = new Map<string, { value: V; bytes: number }>();
	private total = 0;

	constructor(
		readonly maxBytes: number,
		readonly maxEntryBytes: number = Math.floor(maxBytes / 8)
	) {}

	/** Bytes held (the entries' stated sizes plus their keys). */
	get bytes(): number {
		return this.total;
	}

	get size(): number {
		return this.map.size;
	}

	get(key: string): V | undefined {
		const e = this.map.get(key);
		if (!e) return undefined;
		this.map.delete(key);
		this.map.set(key, e);
		return e.value;
	}

	/** Keeps `value` (of `bytes`); false when it is too large to keep. */
	set(key: string, value: V, bytes: number): boolean {
		this.delete(key);
		const size = bytes + key.length * 2 + ENTRY_OVERHEAD;
		if (size > this.maxEntryBytes || size > this.maxBytes) return false;
		while (this.total + size > this.maxBytes) {
			const oldest = this.map.keys().next().value;
			if (oldest === undefined) break;
			this.delete(oldest);
		}
		this.map.set(key, { value, bytes: size });
		this.total += size;
		return true;
	}

	delete(key: string): void {
		const e = this.map.get(key);
		if (!e) return;
		this.map.delete(key);
		this.total -= e.bytes;
	}

	clear(): void {
		this.map.clear();
		this.total = 0;
	}

	/** Oldest first. */
	*entries(): IterableIterator<[string, V]> {
		for (const [k, e] of this.map) yield [k, e.value];
	}
}

/** What a Map entry and its small objects cost beyond the key and the stated bytes (an estimate). */
export const ENTRY_OVERHEAD = 256;
