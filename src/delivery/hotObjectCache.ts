import type { ObjectInfo } from '../ports/objectStore.ts';

/** A binary held in memory with what the store says of it. */
export interface CachedObject {
  info: ObjectInfo;
  body: Buffer;
}

/**
 * The most recently served small binaries, least recently used evicted first, within a byte
 * budget. A key's bytes never change (new content gets a new key), so an entry never goes
 * stale; whether a key may be served is decided before the cache is asked.
 */
export function hotObjectCache(options: { maxBytes: number; maxObjectBytes: number }) {
  const entries = new Map<string, CachedObject>();
  let bytes = 0;
  const remove = (key: string) => {
    const entry = entries.get(key);
    if (entry === undefined) return;
    entries.delete(key);
    bytes -= entry.body.length;
  };
  return {
    get(key: string): CachedObject | undefined {
      const entry = entries.get(key);
      if (entry !== undefined) {
        // Map order is insertion order: re-inserting marks it the most recently used.
        entries.delete(key);
        entries.set(key, entry);
      }
      return entry;
    },
    /** Whether a binary of `size` bytes would be kept. */
    admits(size: number): boolean {
      return size <= options.maxObjectBytes && size <= options.maxBytes;
    },
    set(key: string, entry: CachedObject): void {
      if (!this.admits(entry.body.length)) return;
      remove(key);
      entries.set(key, entry);
      bytes += entry.body.length;
      for (const oldest of entries.keys()) {
        if (bytes <= options.maxBytes) break;
        remove(oldest);
      }
    },
    /** Forgets every entry (tests; a restart does the same). */
    clear(): void {
      entries.clear();
      bytes = 0;
    },
    get bytes() {
      return bytes;
    },
  };
}

export type HotObjectCache = ReturnType<typeof hotObjectCache>;
