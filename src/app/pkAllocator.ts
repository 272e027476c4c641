import { randomUUID } from 'node:crypto';
import type { PkKind } from '../domain/product/productEvents.ts';
import { pkSequenceStream } from '../domain/product/productStreams.ts';
import type { EventStore } from '../ports/eventStore.ts';
import { eventMetadata, type RequestContext } from './commandHandler.ts';
import type { Clock } from './clock.ts';

/**
 * Hands out integer pks that are unique and never reused, across restarts and across instances
 * sharing one event store: each pk is one `PkAllocated` event appended to `pkSequence-<kind>`,
 * and the store serialises appends to a stream, so the event's revision + 1 is the pk. No
 * state is kept here and nothing is scanned at start-up.
 */
export function pkAllocator(deps: { eventStore: EventStore; clock: Clock; schemaVersionOf?: (eventType: string) => number }) {
  const schemaVersion = deps.schemaVersionOf?.('PkAllocated') ?? 1;
  return async function allocatePk(kind: PkKind, context: RequestContext): Promise<number> {
    const metadata = eventMetadata(context, deps.clock(), schemaVersion);
    const result = await deps.eventStore.appendToStream(
      pkSequenceStream(kind),
      [{ id: randomUUID(), type: 'PkAllocated', data: { kind }, metadata }],
      { expectedRevision: 'any' },
    );
    return result.nextExpectedRevision + 1;
  };
}

export type AllocatePk = ReturnType<typeof pkAllocator>;
