import { randomUUID } from 'node:crypto';
import { eventMetadata, type RequestContext } from '../../app/commandHandler.ts';
import type { Clock } from '../../app/clock.ts';
import { catalogEntry } from '../../domain/events.ts';
import type { EventStore } from '../../ports/eventStore.ts';
import { rebuildStream, type ReadModelRebuildEvent } from '../domain/rebuildEvents.ts';
import { rebuildStatus, type RebuildStatus } from '../domain/rebuildStatus.ts';

/** Rebuild streams are kept this long (the CLI polls them while a rebuild runs; afterwards they are history). */
export const REBUILD_RETENTION_SECONDS = 30 * 24 * 3600;
/** Events of one rebuild stream read at most (a request, and a few per instance: progress thins out with time, a couple of hundred reports for hours). */
const MAX_STATUS_EVENTS = 10_000;

/**
 * The rebuild streams (`readModelRebuild-<rebuildId>`): a request every instance follows, then what
 * each instance reports. Status lives in the event store, so any instance behind the load balancer
 * answers the CLI's polls with every instance's progress.
 */
export function rebuildJournal(deps: { eventStore: EventStore; clock: Clock }) {
  const { eventStore } = deps;
  async function append(rebuildId: string, event: ReadModelRebuildEvent, context: RequestContext, expectedRevision: 'no_stream' | 'any') {
    const metadata = eventMetadata(context, deps.clock(), catalogEntry(event.type)?.schemaVersion ?? 1);
    await eventStore.appendToStream(rebuildStream(rebuildId), [{ id: randomUUID(), type: event.type, data: event.data, metadata }], { expectedRevision });
  }
  return {
    /** Appends the request every instance acts on. @returns the new rebuild's id. */
    async request(projection: string | null, context: RequestContext): Promise<string> {
      const rebuildId = randomUUID();
      await append(rebuildId, { type: 'ReadModelRebuildRequested', data: { rebuildId, projection, requestedBy: context.actor } }, context, 'no_stream');
      await eventStore.setStreamMaxAge(rebuildStream(rebuildId), REBUILD_RETENTION_SECONDS);
      return rebuildId;
    },
    /** Appends what this instance did (started, progressed, switched, failed). */
    report: (event: Exclude<ReadModelRebuildEvent, { type: 'ReadModelRebuildRequested' }>, context: RequestContext) => append(event.data.rebuildId, event, context, 'any'),
    /** The request and every instance's state, or undefined when no such rebuild exists. */
    async status(rebuildId: string): Promise<RebuildStatus | undefined> {
      const events = await eventStore.readStream(rebuildStream(rebuildId), { maxCount: MAX_STATUS_EVENTS });
      return rebuildStatus(events as unknown as Parameters<typeof rebuildStatus>[0]);
    },
  };
}

export type RebuildJournal = ReturnType<typeof rebuildJournal>;
