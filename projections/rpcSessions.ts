import type { RpcSessionEndReason, RpcSessionEvent, RpcSessionFacts } from '../src/domain/rpcSession/rpcSessionEvents.ts';
import { digestOfRpcSessionStream, RPC_SESSION_STREAM_PREFIX, type SessionDigest } from '../src/domain/rpcSession/rpcSessionStream.ts';
import type { RecordedEvent } from '../src/ports/eventStore.ts';
import type { Projection, ReadModelTx } from '../src/ports/readModelStore.ts';

/** One JSON-RPC session as calls check it. Times are epoch milliseconds. */
export interface RpcSessionView {
  user: string;
  keyStamp: string;
  startedAt: number;
  expiresAt: number;
  /** Revision of the session's stream this view includes: a refresh appends at it. */
  revision: number;
  /** Set once the session ended; the row stays (refusing calls) until the session would have expired. */
  ended?: RpcSessionEndReason;
}

/** Session digest → {@link RpcSessionView}. */
export const RPC_SESSIONS_TABLE = 'rpcSessions';
/** `[user, startedAt, digest]` → expiresAt, for sessions not ended: a user's sessions, oldest login first (the cap). */
export const RPC_SESSIONS_BY_USER_TABLE = 'rpcSessionsByUser';
/** Queue position → digest: every session row, in the order the pruning visits them. */
export const RPC_SESSION_QUEUE_TABLE = 'rpcSessionQueue';
/** `'queue'` → {@link QueueEnds}. */
export const RPC_SESSION_PRUNING_TABLE = 'rpcSessionPruning';

interface QueueEnds {
  /** Position of the oldest entry. */
  first: number;
  /** Position the next entry takes. */
  next: number;
}

/** Queue entries a login's event visits at most: more than the one it adds, so the queue drains. */
const PRUNE_STEPS = 4;

const userKey = (digest: SessionDigest, view: Pick<RpcSessionView, 'user' | 'startedAt'>) => [view.user, view.startedAt, digest];

/**
 * JSON-RPC sessions by digest, and the live ones by user (for RPC_SESSIONS_PER_USER). Fed by the
 * `rpcSession-<digest>` streams. Idempotent by stream revision: an event at or below the revision
 * of the row changes nothing, and nothing brings an ended session back.
 *
 * Expired rows are removed deterministically, by the times the events carry: every row has an entry
 * in a queue, and each `RpcSessionStarted` visits the oldest few entries, removing the rows
 * expired at its `startedAt` and moving the others (live, or ended but not yet expired) to the
 * back. Visiting four and adding one, the visits go round the queue every third of it, so expired
 * rows are a fraction of the live ones (a third, at a steady rate of logins), without a clock in
 * the projection.
 * Expired events the store still delivers (EventStoreDB keeps them in `$all` until a scavenge)
 * are applied like the others and pruned the same way.
 */
export const rpcSessionsProjection: Projection = {
  name: 'rpcSessions',
  version: 1,
  tables: [RPC_SESSIONS_TABLE, RPC_SESSIONS_BY_USER_TABLE, RPC_SESSION_QUEUE_TABLE, RPC_SESSION_PRUNING_TABLE],
  streamNamePrefixes: [RPC_SESSION_STREAM_PREFIX],
  apply(tx: ReadModelTx, recorded: RecordedEvent) {
    const digest = digestOfRpcSessionStream(recorded.streamName);
    if (digest === undefined) return;
    const view = tx.get<RpcSessionView>(RPC_SESSIONS_TABLE, digest);
    if (view !== undefined && recorded.revision <= view.revision) return;
    const event = { type: recorded.type, data: recorded.data } as RpcSessionEvent;
    switch (event.type) {
      case 'RpcSessionStarted':
      case 'RpcSessionRefreshed': {
        if (view?.ended !== undefined) return tx.put(RPC_SESSIONS_TABLE, digest, { ...view, revision: recorded.revision });
        const next = viewOf(event.data, recorded.revision);
        if (view === undefined) enqueue(tx, digest);
        else tx.remove(RPC_SESSIONS_BY_USER_TABLE, userKey(digest, view));
        tx.put(RPC_SESSIONS_TABLE, digest, next);
        tx.put(RPC_SESSIONS_BY_USER_TABLE, userKey(digest, next), next.expiresAt);
        if (event.type === 'RpcSessionStarted') prune(tx, next.startedAt);
        return;
      }
      case 'RpcSessionEnded': {
        if (view === undefined || view.ended !== undefined) return;
        tx.remove(RPC_SESSIONS_BY_USER_TABLE, userKey(digest, view));
        return tx.put(RPC_SESSIONS_TABLE, digest, { ...view, revision: recorded.revision, ended: event.data.reason });
      }
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  },
};

function viewOf(facts: RpcSessionFacts, revision: number): RpcSessionView {
  return {
    user: facts.user,
    keyStamp: facts.keyStamp,
    startedAt: Date.parse(facts.startedAt),
    expiresAt: Date.parse(facts.expiresAt),
    revision,
  };
}

function queueEnds(tx: ReadModelTx): QueueEnds {
  return tx.get<QueueEnds>(RPC_SESSION_PRUNING_TABLE, 'queue') ?? { first: 0, next: 0 };
}

function enqueue(tx: ReadModelTx, digest: SessionDigest): void {
  const ends = queueEnds(tx);
  tx.put(RPC_SESSION_QUEUE_TABLE, ends.next, digest);
  tx.put(RPC_SESSION_PRUNING_TABLE, 'queue', { first: ends.first, next: ends.next + 1 } satisfies QueueEnds);
}

/** Visits the oldest queue entries: rows expired at `at` go, the others move to the back. */
function prune(tx: ReadModelTx, at: number): void {
  let { first, next } = queueEnds(tx);
  const steps = Math.min(PRUNE_STEPS, next - first);
  for (let step = 0; step < steps; step++) {
    const digest = tx.get<SessionDigest>(RPC_SESSION_QUEUE_TABLE, first);
    tx.remove(RPC_SESSION_QUEUE_TABLE, first);
    first += 1;
    const view = digest === undefined ? undefined : tx.get<RpcSessionView>(RPC_SESSIONS_TABLE, digest);
    if (digest === undefined || view === undefined) continue;
    if (view.expiresAt <= at) {
      tx.remove(RPC_SESSIONS_TABLE, digest);
      if (view.ended === undefined) tx.remove(RPC_SESSIONS_BY_USER_TABLE, userKey(digest, view));
    } else {
      tx.put(RPC_SESSION_QUEUE_TABLE, next, digest);
      next += 1;
    }
  }
  tx.put(RPC_SESSION_PRUNING_TABLE, 'queue', { first, next } satisfies QueueEnds);
}
