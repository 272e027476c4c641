import type { Subscription } from 'rxjs';
import type { Logger } from '../logging/logger.ts';
import { comparePositions, type EventStore, type Position } from '../ports/eventStore.ts';
import type { ProjectionRunner } from './projectionRunner.ts';

const RESUBSCRIBE_DELAY_MS = 500;

/**
 * Follows the whole log live (every stream, from the position of its last event at start), so
 * that a position in `$all` can be turned into what each read model must reach to include
 * everything up to it: the last event of its own streams seen at or after that point. A read
 * model's filtered subscription never sees other streams' events, so their positions alone
 * cannot tell it is up to date; this watcher can.
 */
export interface LogWatcher {
  /**
   * Resolves once every read model includes every event of its streams up to `position`
   * (`true`), or `false` when that takes longer than `timeoutMs`. Never rejects.
   */
  reach(position: Position, timeoutMs: number): Promise<boolean>;
  stop(): void;
}

export async function startLogWatcher(deps: {
  eventStore: EventStore;
  runners: readonly ProjectionRunner[];
  logger: Logger;
  /** Told every event seen (projection lag metrics). */
  onEvent?: (streamName: string, position: Position) => void;
}): Promise<LogWatcher> {
  const { eventStore, runners } = deps;
  const [last] = await eventStore.readAll({ direction: 'backwards', maxCount: 1 });
  /** Where the watcher started: everything up to here is history, which a caught-up read model has. */
  const start = last?.position;
  let seen = start;
  /** Per read model, the newest event of its streams the watcher has seen. */
  const newestOf = new Map<ProjectionRunner, Position>();
  const waiters = new Set<{ position: Position; resolve: () => void }>();
  let subscription: Subscription | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const settle = () => {
    for (const waiter of waiters) {
      if (comparePositions(waiter.position, seen) <= 0) {
        waiters.delete(waiter);
        waiter.resolve();
      }
    }
  };
  const subscribe = () => {
    retry = undefined;
    if (stopped) return;
    subscription = eventStore.subscribeToAll(seen === undefined ? {} : { fromPosition: seen }).subscribe({
      next: (message) => {
        if (message.kind !== 'event') return;
        const { position, streamName } = message.event;
        for (const runner of runners) {
          if (runner.projection.streamNamePrefixes.some((prefix) => streamName.startsWith(prefix))) newestOf.set(runner, position);
        }
        seen = position;
        deps.onEvent?.(streamName, position);
        settle();
      },
      // A lost subscription resumes after the last event seen: nothing is missed.
      error: (error: unknown) => {
        if (stopped) return;
        deps.logger.warn('log watcher dropped, resubscribing', { error: String(error) });
        retry = setTimeout(subscribe, RESUBSCRIBE_DELAY_MS);
      },
    });
  };
  subscribe();

  /** Resolves once the watcher has seen `position` (false after `timeoutMs`). */
  const seenUpTo = (position: Position, timeoutMs: number): Promise<boolean> => {
    if (comparePositions(position, seen) <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        resolve(false);
      }, timeoutMs);
      waiters.add(waiter);
    });
  };

  return {
    async reach(position, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      if (comparePositions(position, start) > 0 && !(await seenUpTo(position, timeoutMs))) return false;
      for (const runner of runners) {
        // What the read model must have: the newest event of its streams seen so far (at or past
        // `position`: waiting for a little more is still correct); none since the start, and the
        // history it has once caught up is enough.
        const target = newestOf.get(runner);
        if (target === undefined || comparePositions(target, runner.position()) <= 0) continue;
        if (!(await runner.waitFor(target, Math.max(0, deadline - Date.now())))) return false;
      }
      return true;
    },
    stop() {
      stopped = true;
      clearTimeout(retry);
      subscription?.unsubscribe();
      for (const waiter of waiters) waiter.resolve();
      waiters.clear();
    },
  };
}
