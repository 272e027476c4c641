import { freezeAndMeasure } from './frozenSize.ts';

/** A stream's state after `revision`, as folded by one decider. */
export interface AggregateAt<State> {
  state: State;
  revision: number;
}

interface Entry {
  /** The decider whose fold the state is: another decider on the same stream does not share it. */
  decider: object;
  state: unknown;
  revision: number;
  bytes: number;
}

/** 32 MiB: a gallery of ten images is about 5 KB (estimated), so some six thousand such products fit. */
export const DEFAULT_AGGREGATE_CACHE_BYTES = 32 * 1024 * 1024;

/** What an entry costs besides its state: the map slot, the entry record, the key's header. */
const ENTRY_BYTES = 160;

/**
 * Recent aggregate states of the command handler, one per stream, bounded by an estimate of
 * their bytes (see {@link freezeAndMeasure}) rather than by a count: a gallery's state grows with
 * its images (deleted ones stay, so that pks are never reused), and a product re-synced nightly
 * for years can hold thousands. A count would let a few such states take any amount of memory;
 * bytes keep the bound whatever the mix. The least recently used entry leaves first; a state
 * larger than a quarter of the budget is not kept (it would push out many small ones), and its
 * stream is folded from the store on every command as without a cache.
 *
 * States are deep-frozen when kept: the cache hands the same object to every later command of the
 * stream, so a decider or caller that tried to change one throws instead of corrupting them.
 */
export function aggregateCache(maxBytes: number) {
  const entries = new Map<string, Entry>();
  let totalBytes = 0;

  function forget(streamName: string): void {
    const entry = entries.get(streamName);
    if (entry === undefined) return;
    entries.delete(streamName);
    totalBytes -= entry.bytes;
  }

  return {
    /** The kept state of `streamName` if `decider` folded it; it becomes the most recently used. */
    get<State>(streamName: string, decider: object): AggregateAt<State> | undefined {
      const entry = entries.get(streamName);
      if (entry === undefined || entry.decider !== decider) return undefined;
      entries.delete(streamName);
      entries.set(streamName, entry);
      return { state: entry.state as State, revision: entry.revision };
    },

    /**
     * Keeps `state` as the state of `streamName` after `revision` (frozen), unless a later
     * revision of it is kept already (a concurrent command of this process finished first).
     */
    remember<State>(streamName: string, decider: object, state: State, revision: number): AggregateAt<State> {
      if (maxBytes <= 0) return { state, revision };
      const kept = entries.get(streamName);
      if (kept !== undefined && kept.decider === decider && kept.revision > revision) return { state, revision };
      const bytes = ENTRY_BYTES + streamName.length + freezeAndMeasure(state);
      forget(streamName);
      if (bytes > maxBytes / 4) return { state, revision };
      entries.set(streamName, { decider, state, revision, bytes });
      totalBytes += bytes;
      for (const [oldest] of entries) {
        if (totalBytes <= maxBytes) break;
        forget(oldest);
      }
      return { state, revision };
    },

    forget,

    /** How many states are kept and their estimated bytes (tests, metrics). */
    usage: () => ({ entries: entries.size, bytes: totalBytes }),
  };
}

export type AggregateCache = ReturnType<typeof aggregateCache>;
