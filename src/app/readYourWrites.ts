import type { EventStore, Position } from '../ports/eventStore.ts';
import type { Projection } from '../ports/readModelStore.ts';
import { foldInMemory, type MemoryReadModel } from '../projections/memoryReadModel.ts';
import type { Projections } from '../projections/projections.ts';

/** Where a write landed: the stream, the position of its last event (none when nothing was appended), the revision after it. */
export interface LandedWrite {
  streamName: string;
  position: Position | undefined;
  revision: number;
}

const NOTHING_TO_WAIT_FOR = Promise.resolve(true);

/**
 * Read-your-writes. A write answers from this instance's read models once they include it, so a
 * read right after sees it. A read model that lags (its commits fail on a full disk, or it is
 * behind by more than the wait) must not turn a write that was appended, and so is durable, into
 * an error: the answer is then folded from the written stream itself, up to the write, by the
 * same projection code, so it is the representation the read model will give.
 */
export function readYourWrites(deps: { projections: Projections; eventStore: EventStore }) {
  return {
    /** True once the read models fed by the write's stream include it (at once when nothing was appended); false when they lag. */
    reached: (write: Pick<LandedWrite, 'streamName' | 'position'>): Promise<boolean> =>
      write.position === undefined ? NOTHING_TO_WAIT_FOR : deps.projections.waitFor(write.position, write.streamName),

    /** The written stream up to the write, folded by `projection` in memory: that stream's rows as of the write. */
    async fold(projection: Projection, write: Pick<LandedWrite, 'streamName' | 'revision'>): Promise<MemoryReadModel> {
      const events = await deps.eventStore.readStream(write.streamName, { maxCount: write.revision + 1 });
      return foldInMemory(projection, events);
    },
  };
}

export type ReadYourWrites = ReturnType<typeof readYourWrites>;
