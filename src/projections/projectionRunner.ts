import type { Subscription } from 'rxjs';
import type { Logger } from '../logging/logger.ts';
import { comparePositions, type EventStore, type Position, type RecordedEvent } from '../ports/eventStore.ts';
import type { Projection, ReadModelStore, ReadModelTx } from '../ports/readModelStore.ts';
import { commitRetries, type CommitRetryDelays } from './commitRetries.ts';

/**
 * Events per read-model batch at most. Each burst the subscription delivers is applied at once
 * (read-your-writes waits stay short); batches stay small so their events die young instead of
 * burdening the old generation of the heap during a long catch-up.
 */
const MAX_BATCH = 2_000;
const RESUBSCRIBE_DELAYS_MS = [100, 500, 1000, 2000, 5000];

/**
 * Where a read model stands: `live` (caught up, following), `catching up` (after a start or a
 * lost subscription), `retrying` (its commits fail, e.g. a full disk: tried again with back-off,
 * resumes by itself), `failed` (a projection threw on an event: stopped until a fix and a restart),
 * `stopped`.
 */
export type ProjectionState = 'live' | 'catching up' | 'retrying' | 'failed' | 'stopped';

export interface ProjectionStatus {
  name: string;
  state: ProjectionState;
  /** Why it is retrying or failed: the system's code of the failed write (`ENOSPC`), or `apply failed`. */
  reason?: string;
  /** When the failures began (ISO 8601). */
  since?: string;
  /** Commits failed since then. */
  failedCommits?: number;
}

export interface ProjectionRunner {
  readonly projection: Projection;
  isCaughtUp(): boolean;
  status(): ProjectionStatus;
  /** Position of the last event applied (or checkpoint passed). */
  position(): Position | undefined;
  /**
   * Position of the last event this runner applied since it started (checkpoints aside), if any:
   * what another read model must include to hold everything this one answered from (a switch).
   */
  lastEvent(): Position | undefined;
  /**
   * Resolves `true` once the read model includes `position`, `false` when it does not within
   * `timeoutMs` or cannot for now (its commits fail, it failed, it stopped). Never rejects.
   */
  waitFor(position: Position, timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

export interface ProjectionRunnerDeps {
  eventStore: EventStore;
  readModels: ReadModelStore;
  logger: Logger;
  /** Back-off of failed commits (tests shorten it). */
  commitRetryDelays?: CommitRetryDelays;
}

interface Waiter {
  position: Position;
  resolve: (reached: boolean) => void;
  timer: NodeJS.Timeout;
}

const REACHED = Promise.resolve(true);
const NOT_REACHED = Promise.resolve(false);

/**
 * Keeps one read model up to date: subscribes to `$all` from the projection's checkpoint,
 * applies events in batches, and commits each batch together with the new checkpoint. A restart
 * resumes from the checkpoint; a new projection version rebuilds from scratch. Lost
 * subscriptions are resumed from the checkpoint with back-off.
 *
 * Two kinds of failure: a commit the store refuses (disk full, I/O error) is tried again with
 * exponential back-off, forever, by dropping the subscription and resubscribing from the
 * checkpoint, which moved only with committed rows (so every event is applied once, none is
 * skipped, and memory stays bounded while the disk is full); a projection that throws on an event
 * is a bug and stops the runner for good rather than skip the event.
 */
export function startProjection(deps: ProjectionRunnerDeps, projection: Projection): ProjectionRunner {
  const { eventStore, readModels } = deps;
  const logger = deps.logger.child({ projection: projection.name });
  const retries = commitRetries(logger, deps.commitRetryDelays);
  const stored = readModels.checkpoint(projection.name);
  if (stored && stored.version !== projection.version) {
    logger.info('projection version changed, rebuilding', { from: stored.version, to: projection.version });
    readModels.reset(projection);
  }
  let current = readModels.checkpoint(projection.name)?.position;
  let lastEvent: Position | undefined;
  let caughtUp = false;
  /** Set when the projection threw on an event: the runner stops for good. */
  let failure: { since: number } | undefined;
  let stopped = false;
  let buffer: RecordedEvent[] = [];
  let flushScheduled = false;
  let checkOrder = true;
  let subscription: Subscription | undefined;
  /** Moves with every (re)subscription: messages of an abandoned one are ignored. */
  let generation = 0;
  let resubscribeAttempt = 0;
  let resubscribeTimer: NodeJS.Timeout | undefined;
  const waiters = new Set<Waiter>();
  const unreachable = () => stopped || failure !== undefined || retries.failing();

  function settleWaiters() {
    for (const waiter of waiters) {
      const reached = comparePositions(waiter.position, current) <= 0;
      if (!reached && !unreachable()) continue;
      clearTimeout(waiter.timer);
      waiters.delete(waiter);
      waiter.resolve(reached);
    }
  }

  /** Stops listening to the current subscription; what it delivered and was not committed is dropped. */
  function detach() {
    generation += 1;
    subscription?.unsubscribe();
    subscription = undefined;
    buffer = [];
  }

  /** Commits `apply` with the checkpoint `position`; on failure the runner retries or stops, and this answers false. */
  function commit(apply: (tx: ReadModelTx) => void, position: Position): boolean {
    let applyFailed = false;
    try {
      readModels.commit(
        projection,
        (tx) => {
          try {
            apply(tx);
          } catch (error) {
            applyFailed = true;
            throw error;
          }
        },
        position,
      );
    } catch (error) {
      if (applyFailed) projectionFailed(error, position);
      else commitFailed(error, position);
      return false;
    }
    retries.succeeded();
    return true;
  }

  function projectionFailed(error: unknown, position: Position) {
    // A projection that cannot apply an event is a bug: stop rather than skip the event.
    failure = { since: Date.now() };
    caughtUp = false;
    logger.error('projection failed', { error: error instanceof Error ? (error.stack ?? error.message) : String(error), position });
    detach();
    settleWaiters();
  }

  /** The batch is dropped; after a delay the runner resubscribes from the checkpoint and tries again. */
  function commitFailed(error: unknown, position: Position | undefined) {
    detach();
    caughtUp = false;
    const delay = retries.failed(error, position);
    settleWaiters();
    if (!stopped) resubscribeTimer = setTimeout(subscribe, delay);
  }

  /** Commits what is buffered; false when that failed (the runner retries or stops) or had failed for good. */
  function flush(): boolean {
    flushScheduled = false;
    if (failure) return false;
    if (buffer.length === 0) return true;
    const batch = buffer;
    buffer = [];
    const last = batch[batch.length - 1]!.position;
    if (!commit((tx) => batch.forEach((event) => projection.apply(tx, event)), last)) return false;
    current = last;
    lastEvent = last;
    settleWaiters();
    return true;
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
    if (!flush() || comparePositions(position, current) <= 0) return;
    if (!commit(() => {}, position)) return;
    current = position;
    settleWaiters();
  }

  function onCaughtUp() {
    if (!flush()) return;
    if (!caughtUp) {
      try {
        readModels.catchUpFinished(projection.name);
      } catch (error) {
        return commitFailed(error, current);
      }
      retries.succeeded();
      logger.info('projection caught up', { position: current ?? null });
    }
    caughtUp = true;
  }

  function subscribe() {
    resubscribeTimer = undefined;
    if (stopped || failure) return;
    const mine = ++generation;
    checkOrder = true;
    const subscribed = eventStore
      .subscribeToAll({ fromPosition: current, filter: { streamNamePrefixes: [...projection.streamNamePrefixes] } })
      .subscribe({
        next: (message) => {
          if (mine !== generation) return;
          resubscribeAttempt = 0;
          if (message.kind === 'event') onEvent(message.event);
          else if (message.kind === 'checkpoint') onCheckpoint(message.position);
          else onCaughtUp();
        },
        error: (error: unknown) => {
          if (mine !== generation) return;
          subscription = undefined;
          // A commit that fails now schedules its own retry.
          if (!flush() || stopped) return;
          // Not live until the new subscription catches up again: /ready answers 503 meanwhile.
          caughtUp = false;
          const delay = RESUBSCRIBE_DELAYS_MS[Math.min(resubscribeAttempt++, RESUBSCRIBE_DELAYS_MS.length - 1)]!;
          logger.warn('subscription dropped, resubscribing', { error: String(error), delayMs: delay });
          resubscribeTimer = setTimeout(subscribe, delay);
        },
      });
    // Messages delivered during `subscribe()` may already have failed a commit and moved on.
    if (mine === generation) subscription = subscribed;
    else subscribed.unsubscribe();
  }
  subscribe();

  return {
    projection,
    isCaughtUp: () => caughtUp && !unreachable(),
    status(): ProjectionStatus {
      const name = projection.name;
      if (failure) return { name, state: 'failed', reason: 'apply failed', since: new Date(failure.since).toISOString() };
      if (stopped) return { name, state: 'stopped' };
      const streak = retries.streak();
      if (streak) return { name, state: 'retrying', ...streak };
      return { name, state: caughtUp ? 'live' : 'catching up' };
    },
    position: () => current,
    lastEvent: () => lastEvent,
    waitFor(position, timeoutMs) {
      if (comparePositions(position, current) <= 0) return REACHED;
      if (unreachable()) return NOT_REACHED;
      return new Promise<boolean>((resolve) => {
        const waiter: Waiter = {
          position,
          resolve,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            resolve(false);
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    async stop() {
      stopped = true;
      clearTimeout(resubscribeTimer);
      const pending = buffer;
      detach();
      // What was delivered before the stop is still committed.
      buffer = pending;
      flush();
      buffer = [];
      settleWaiters();
    },
  };
}
