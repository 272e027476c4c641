import { comparePositions, type Position } from '../ports/eventStore.ts';
import type { ProjectionRunner } from '../projections/projectionRunner.ts';

/** Events remembered per read model while it is behind; past this, lag is reported as at least this many. */
const MAX_REMEMBERED = 100_000;
/** The queue is pruned of applied events when it grows past this (normally it holds a handful). */
const PRUNE_AT = 256;

interface Behind {
  runner: ProjectionRunner;
  /** Events of this read model's streams seen in the log, oldest first, from `head` on. */
  queue: { position: Position; seenAt: number }[];
  head: number;
  /** Seen while the queue was full: counted, not remembered. */
  untracked: number;
}

/**
 * How far each read model is behind the log, in events and seconds, for the events appended
 * since this instance started (the log watcher reports each one). An event counts until its
 * read model's position reaches it; the seconds are the age of the oldest such event. The
 * initial catch-up of history is shown by the `projection_state` gauge instead.
 */
export function projectionLag(runners: readonly ProjectionRunner[], now: () => number = Date.now) {
  const all: Behind[] = runners.map((runner) => ({ runner, queue: [], head: 0, untracked: 0 }));

  const prune = (behind: Behind) => {
    const applied = behind.runner.position();
    while (behind.head < behind.queue.length && comparePositions(behind.queue[behind.head]!.position, applied) <= 0) behind.head += 1;
    if (behind.head === behind.queue.length) {
      behind.queue = [];
      behind.head = 0;
      behind.untracked = 0;
    } else if (behind.head > PRUNE_AT) {
      behind.queue = behind.queue.slice(behind.head);
      behind.head = 0;
    }
  };

  return {
    /** The log watcher saw `position` in `streamName`. */
    seen(streamName: string, position: Position): void {
      for (const behind of all) {
        if (!behind.runner.projection.streamNamePrefixes.some((prefix) => streamName.startsWith(prefix))) continue;
        if (behind.queue.length - behind.head >= PRUNE_AT) prune(behind);
        if (behind.queue.length - behind.head >= MAX_REMEMBERED) behind.untracked += 1;
        else behind.queue.push({ position, seenAt: now() });
      }
    },
    /** Per read model: events behind, and the age in seconds of the oldest of them (0 when none). */
    read(): { name: string; events: number; seconds: number }[] {
      return all.map((behind) => {
        prune(behind);
        const oldest = behind.queue[behind.head];
        return {
          name: behind.runner.projection.name,
          events: behind.queue.length - behind.head + behind.untracked,
          seconds: oldest === undefined ? 0 : Math.max(0, now() - oldest.seenAt) / 1000,
        };
      });
    },
  };
}

export type ProjectionLag = ReturnType<typeof projectionLag>;
