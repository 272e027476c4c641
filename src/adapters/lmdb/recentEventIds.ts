/** Where an appended event went. */
export interface EventLocation {
  streamName: string;
  revision: number;
}

/**
 * The locations of the events most recently appended with expected revision `any` or
 * `stream_exists`, kept in memory: the way to recognise a retry of such an append. Like EventStoreDB's cache this is
 * best effort (bounded, empty after a restart), and only a hint: the caller checks the stream.
 * A persistent id index was measured to halve the throughput of concurrent appends (one random
 * B-tree insert per event), which an `any` dedupe does not justify.
 */
export interface RecentEventIds {
  remember(id: string, location: EventLocation): void;
  locate(id: string): EventLocation | undefined;
}

export function createRecentEventIds(capacity: number): RecentEventIds {
  const locations = new Map<string, EventLocation & { slot: number }>();
  // Eviction order lives in a ring of ids: evicting through a Map's iterator gets slower with
  // every deletion at its front (V8 skips the deleted entries one by one).
  const ring: (string | undefined)[] = new Array<string | undefined>(capacity).fill(undefined);
  let nextSlot = 0;

  return {
    remember(id, { streamName, revision }) {
      const evicted = ring[nextSlot];
      // An id remembered again since holds a newer slot and stays.
      if (evicted !== undefined && locations.get(evicted)?.slot === nextSlot) locations.delete(evicted);
      ring[nextSlot] = id;
      locations.set(id, { streamName, revision, slot: nextSlot });
      nextSlot = (nextSlot + 1) % capacity;
    },
    locate(id) {
      return locations.get(id);
    },
  };
}
