import type { EventStore, Position } from '../../ports/eventStore.ts';
import type { ObjectInfo, ObjectStore } from '../../ports/objectStore.ts';
import { eventsAfter } from '../catalogStores.ts';
import { COLLECTED_PREFIXES, heldKeys, isHeld } from './heldKeys.ts';

export interface GcOptions {
  eventStore: EventStore;
  objectStore: ObjectStore;
  /** Objects written less than this long ago are kept: an upload stores its binary before its event. */
  minAgeMs: number;
  dryRun: boolean;
  now: () => number;
  /** Told of each object deleted (or that would be, on a dry run). */
  onCollected?: (object: ObjectInfo) => void;
  /** Told how many objects have been looked at so far. */
  onScanned?: (count: number) => void;
}

export interface GcResult {
  scanned: number;
  collected: ObjectInfo[];
  bytes: number;
  /** Orphans kept because they are younger than the grace period. */
  tooYoung: number;
}

/**
 * Deletes the binaries (and renditions) no event holds, once older than the grace period.
 *
 * Order matters for uploads running meanwhile: the objects are listed first, the events read
 * after, and read on to the end once more just before deleting. An upload writes its binary, then
 * appends its event; a binary older than the grace period whose event is still not in the log
 * would have to belong to an upload that has run longer than the grace period, which the
 * service's own time limits (image job and request timeouts) rule out when the grace period
 * exceeds them (the default, 24 h, does by far).
 */
export async function collectGarbage(options: GcOptions): Promise<GcResult> {
  const { eventStore, objectStore } = options;
  // 1. What is old enough to be a candidate, as listed before the events are read.
  const cutoff = options.now() - options.minAgeMs;
  const candidates: ObjectInfo[] = [];
  const young: ObjectInfo[] = [];
  let scanned = 0;
  for (const prefix of COLLECTED_PREFIXES) {
    for await (const object of objectStore.list(prefix)) {
      options.onScanned?.(++scanned);
      (Date.parse(object.lastModified) <= cutoff ? candidates : young).push(object);
    }
  }
  // 2. What the events hold, read after the listing.
  const held = heldKeys();
  let last: Position | undefined;
  const readOn = async () => {
    for await (const event of eventsAfter(eventStore, last)) {
      last = event.position;
      if (event.streamName.startsWith('productMedia-')) held.apply(event);
    }
    return held.keys();
  };
  let keys = await readOn();
  const orphans = candidates.filter((object) => !isHeld(object.key, keys));
  // Renditions of a collected original go with it; originals first, so no rendition outlives its source.
  orphans.sort((a, b) => Number(a.key.startsWith('renditions/')) - Number(b.key.startsWith('renditions/')) || (a.key < b.key ? -1 : 1));

  // 3. Delete, re-reading the log's end first: an event appended since step 2 still saves its binary.
  const collected: ObjectInfo[] = [];
  keys = await readOn();
  for (const object of orphans) {
    if (isHeld(object.key, keys)) continue;
    if (!options.dryRun) await objectStore.delete(object.key);
    collected.push(object);
    options.onCollected?.(object);
  }
  const tooYoung = young.filter((object) => !isHeld(object.key, keys)).length;
  return { scanned, collected, bytes: collected.reduce((sum, object) => sum + object.size, 0), tooYoung };
}

