import type { Subscription } from 'rxjs';
import type { Logger } from '../../logging/logger.ts';
import type { EventStore, Position, RecordedEvent } from '../../ports/eventStore.ts';
import { REBUILD_CATEGORY, type ReadModelRebuildRequested } from '../domain/rebuildEvents.ts';

const RESUBSCRIBE_DELAY_MS = 500;

/**
 * Follows the rebuild requests of every instance (`readModelRebuild-*` streams), from the end of
 * the log at start: a request made while this instance was down is not its business (it started
 * on read models built from the events anyway). Tells `onRequest` of each, in log order.
 */
export async function followRebuildRequests(deps: {
  eventStore: EventStore;
  logger: Logger;
  onRequest(request: ReadModelRebuildRequested['data'], event: RecordedEvent): void;
}): Promise<{ stop(): void }> {
  const [last] = await deps.eventStore.readAll({ direction: 'backwards', maxCount: 1 });
  let seen: Position | undefined = last?.position;
  let subscription: Subscription | undefined;
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;
  const subscribe = () => {
    retry = undefined;
    if (stopped) return;
    const filter = { streamNamePrefixes: [`${REBUILD_CATEGORY}-`] };
    subscription = deps.eventStore.subscribeToAll(seen === undefined ? { filter } : { fromPosition: seen, filter }).subscribe({
      next: (message) => {
        if (message.kind !== 'event') return;
        seen = message.event.position;
        if (message.event.type === 'ReadModelRebuildRequested') deps.onRequest(message.event.data as ReadModelRebuildRequested['data'], message.event);
      },
      // A lost subscription resumes after the last request seen: none is missed, none taken twice.
      error: (error: unknown) => {
        if (stopped) return;
        deps.logger.warn('rebuild requests dropped, resubscribing', { error: String(error) });
        retry = setTimeout(subscribe, RESUBSCRIBE_DELAY_MS);
      },
    });
  };
  subscribe();
  return {
    stop() {
      stopped = true;
      clearTimeout(retry);
      subscription?.unsubscribe();
    },
  };
}
