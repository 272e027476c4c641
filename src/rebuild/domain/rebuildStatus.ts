import type { ReadModelRebuildEvent } from './rebuildEvents.ts';

export type InstanceRebuildState = 'building' | 'switched' | 'failed';

export interface InstanceRebuild {
  instance: string;
  state: InstanceRebuildState;
  events: number;
  startedAt: string;
  finishedAt: string | null;
  reason: string | null;
}

export interface RebuildStatus {
  rebuildId: string;
  projection: string | null;
  requestedBy: string;
  requestedAt: string;
  /** Every instance that took the request up, in the order they did. */
  instances: InstanceRebuild[];
}

/** Folds one rebuild stream into what every instance did with the request. Pure: times come from the events. */
export function rebuildStatus(events: readonly (ReadModelRebuildEvent & { metadata: { occurredAt: string } })[]): RebuildStatus | undefined {
  let status: RebuildStatus | undefined;
  const byInstance = new Map<string, InstanceRebuild>();
  for (const event of events) {
    const at = event.metadata.occurredAt;
    switch (event.type) {
      case 'ReadModelRebuildRequested':
        status = { rebuildId: event.data.rebuildId, projection: event.data.projection, requestedBy: event.data.requestedBy, requestedAt: at, instances: [] };
        break;
      case 'ReadModelRebuildStarted':
        byInstance.set(event.data.instance, { instance: event.data.instance, state: 'building', events: 0, startedAt: at, finishedAt: null, reason: null });
        break;
      case 'ReadModelRebuildProgressed': {
        const instance = byInstance.get(event.data.instance);
        if (instance?.state === 'building') instance.events = event.data.events;
        break;
      }
      case 'ReadModelRebuildSwitched': {
        const instance = byInstance.get(event.data.instance);
        if (instance) Object.assign(instance, { state: 'switched', events: event.data.events, finishedAt: at });
        break;
      }
      case 'ReadModelRebuildFailed': {
        const instance = byInstance.get(event.data.instance);
        if (instance) Object.assign(instance, { state: 'failed', finishedAt: at, reason: event.data.reason });
        break;
      }
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  }
  if (status) status.instances = [...byInstance.values()];
  return status;
}
