import type { Subscription } from 'rxjs';
import { UnavailableError } from '../errors/appError.ts';
import type { Logger } from '../logging/logger.ts';
import { comparePositions, type EventStore, type Position, type RecordedEvent } from '../ports/eventStore.ts';
import type { Projection, ReadModelStore } from '../ports/readModelStore.ts';

/**
 * Events per read-model batch at most. Each burst the subscription delivers is applied at once
 * (read-your-writes waits stay short); batches stay small so their events die young instead of
 * burdening the old generation of the heap during a long catch-up.
 */
const MAX_BATCH = 2_000;
const RESUBSCRIBE_DELAYS_MS = [100, 500, 1000, 2000, 5000];

export interface ProjectionRunner {
  readonly projection: Projection;
  isCaughtUp(): boolean;
  /** Position of the last event applied (or checkpoint passed). */
  position(): Position | undefined;
  /** Resolves once the read model includes `position`. */
  waitFor(position: Position, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

interface Waiter {
  position: Position;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Keeps one read model up to date: subscribes to `$all` from the projection's checkpoint,
 * applies events in batches, and commits each batch together with the new checkpoint. A restart
 * resumes from the checkpoint; a new projection version rebuilds from scratch. Lost
 * subscriptions are resumed from the checkpoint with back-off.
 */
export function startProjection(deps: { eventStore: EventStore; readModels: ReadModelStore; logger: Logger }, projection: Projection): ProjectionRunner {
  const { eventStore, readModels } = deps;
  const logger = deps.logger.child({ projection: projection.name });
  const stored = readModels.checkpoint(projection.name);
  if (stored && stored.version !== projection.version) {
    logger.info('projection version changed, rebuilding', { from: stored.version, to: projection.version });
    readModels.reset(projection);
  }
  let current = readModels.checkpoint(projection.name)?.position;
  let caughtUp = false;
  let failure: Error | undefined;
  let stopped = false;
  let buffer: RecordedEvent[] = [];
  let flushScheduled = false;
  let checkOrder = true;
  let subscription: Subscription | undefined;
  let resubscribeAttempt = 0;
  let resubscribeTimer: NodeJS.Timeout | undefined;
  const waiters = new Set<Waiter>();

  function settleWaiters() {
    for (const waiter of waiters) {
      if (failure) waiter.reject(failure);
      else if (comparePositions(waiter.position, current) <= 0) waiter.resolve();
      else continue;
      clearTimeout(waiter.timer);
      waiters.delete(waiter);
    }
  }

  function flush() {
    flushScheduled = false;
    if (buffer.length === 0 || failure) return;
    const batch = buffer;
    buffer = [];
    const last = batch[batch.length - 1]!.position;
    try {
      readModels.commit(projection, (tx) => batch.forEach((event) => projection.apply(tx, event)), last);
    } catch (error) {
      // A projection that cannot apply an event is a bug: stop rather than skip the event.
      failure = new UnavailableError(`Projection ${projection.name} failed`, error);
      logger.error('projection failed', { error: String(error), position: last });
      subscription?.unsubscribe();
    }
    if (!failure) current = last;
    settleWaiters();
  }

  function onEvent(event: RecordedEvent) {
    // Re-delivery after a resubscribe must not apply an event twice. A subscription delivers in
    // order, so once one event is past what was applied, the rest of that subscription are too.
    if (checkOrder) {
      const newest = buffer.length > 0 ? buffer[buffer.length - 1]!.position : current;
      if (comparePositions(event.position, newest) <= 0) return;
      checkOrder = false;
    }
    buffer.push(event);
    if (buffer.length >= MAX_BATCH) flush();
    else if (!flushScheduled) {
      flushScheduled = true;
      queueMicrotask(flush);
    }
  }

  function onCheckpoint(position: Position) {
    flush();
    if (failure || comparePositions(position, current) <= 0) return;
    readModels.commit(projection, () => {}, position);
    current = position;
    settleWaiters();
  }

  function subscribe() {
    checkOrder = true;
    subscription = eventStore
      .subscribeToAll({ fromPosition: current, filter: { streamNamePrefixes: [...projection.streamNamePrefixes] } })
      .subscribe({
        next: (message) => {
          resubscribeAttempt = 0;
          if (message.kind === 'event') onEvent(message.event);
          else if (message.kind === 'checkpoint') onCheckpoint(message.position);
          else {
            flush();
            if (!caughtUp) {
              logger.info('projection caught up', { position: current ?? null });
              readModels.catchUpFinished(projection.name);
            }
            caughtUp = true;
          }
        },
        error: (error: unknown) => {
          flush();
          if (stopped || failure) return;
          // Not live until the new subscription catches up again: /ready answers 503 meanwhile.
          caughtUp = false;
          const delay = RESUBSCRIBE_DELAYS_MS[Math.min(resubscribeAttempt++, RESUBSCRIBE_DELAYS_MS.length - 1)]!;
          logger.warn('subscription dropped, resubscribing', { error: String(error), delayMs: delay });
          resubscribeTimer = setTimeout(subscribe, delay);
        },
      });
  }
  subscribe();

  return {
    projection,
    isCaughtUp: () => caughtUp && !failure,
    position: () => current,
    waitFor(position, timeoutMs) {
      if (failure) return Promise.reject(failure);
      if (comparePositions(position, current) <= 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const waiter: Waiter = {
          position,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            reject(new UnavailableError(`Projection ${projection.name} did not reach ${position} in ${timeoutMs} ms`));
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    async stop() {
      stopped = true;
      clearTimeout(resubscribeTimer);
      subscription?.unsubscribe();
      flush();
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new UnavailableError('Projections stopped'));
      }
      waiters.clear();
    },
  };
}
