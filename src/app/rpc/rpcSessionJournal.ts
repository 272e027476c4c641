import { randomUUID } from 'node:crypto';
import type { RpcSessionEvent } from '../../domain/rpcSession/rpcSessionEvents.ts';
import { rpcSessionStream, type SessionDigest } from '../../domain/rpcSession/rpcSessionStream.ts';
import { catalogEntry } from '../../domain/events.ts';
import type { AppendResult, EventStore, ExpectedRevision } from '../../ports/eventStore.ts';
import type { Clock } from '../clock.ts';
import { eventMetadata } from '../commandHandler.ts';

/** The audit facts of the request that changes a session; a fresh id when there is none (a use outside a request). */
export interface SessionRequest {
  correlationId: string;
  causationId: string;
}

/** Slack on top of the session lifetime before the store may drop a session's events. */
const RETENTION_MARGIN_SECONDS = 3600;

/**
 * Appends the events of JSON-RPC sessions to their streams (`rpcSession-<digest>`), stamped like
 * every event (actor = the session's user, api `rpc`). Every stream gets a max age of the session
 * lifetime plus an hour: each event carries the session's facts, so the newest alone keeps a
 * session readable until it expires, and the store forgets it some time after.
 */
export function rpcSessionJournal(deps: { eventStore: EventStore; clock: Clock; ttlMs: number }) {
  const retentionSeconds = Math.ceil(deps.ttlMs / 1000) + RETENTION_MARGIN_SECONDS;
  return {
    /** Appends one event to the session's stream. @throws ConcurrencyError when the stream is not at `expectedRevision`. */
    append(
      digest: SessionDigest,
      event: RpcSessionEvent,
      user: string,
      expectedRevision: ExpectedRevision,
      request: SessionRequest | undefined,
    ): Promise<AppendResult> {
      const id = randomUUID();
      const context = { actor: user, api: 'rpc' as const, correlationId: request?.correlationId ?? id, causationId: request?.causationId ?? id };
      const metadata = eventMetadata(context, deps.clock(), catalogEntry(event.type)?.schemaVersion ?? 1);
      return deps.eventStore.appendToStream(rpcSessionStream(digest), [{ id, type: event.type, data: event.data, metadata }], { expectedRevision });
    },

    /** Sets the stream's retention (once, at login). */
    retain: (digest: SessionDigest): Promise<void> => deps.eventStore.setStreamMaxAge(rpcSessionStream(digest), retentionSeconds),
  };
}

export type RpcSessionJournal = ReturnType<typeof rpcSessionJournal>;
