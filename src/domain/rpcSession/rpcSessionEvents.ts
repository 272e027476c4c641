import type { DomainEvent } from '../decider.ts';

/**
 * Why a session ended: its client called `endSession` (`logout`), or its user logged in beyond
 * RPC_SESSIONS_PER_USER and it was the oldest (`evicted`).
 */
export const RPC_SESSION_END_REASONS = ['logout', 'evicted'] as const;
export type RpcSessionEndReason = (typeof RPC_SESSION_END_REASONS)[number];

/** What each session event carries of the session itself, so that any one of them reads alone. */
export interface RpcSessionFacts {
  user: string;
  /** The user's key stamp at login (UserDirectory.keyStamp): a new key ends the session. */
  keyStamp: string;
  /** ISO-8601 time of the login. */
  startedAt: string;
  /** ISO-8601 time after which the session is expired. */
  expiresAt: string;
}

/** A JSON-RPC login opened a session (stream `rpcSession-<digest of its id>`, appended with no_stream). */
export type RpcSessionStarted = DomainEvent<'RpcSessionStarted', RpcSessionFacts>;

/**
 * A use pushed the expiry forward. Self-contained (the whole facts again), so that a stream whose
 * `RpcSessionStarted` aged out of the store's retention still reads as a live session.
 */
export type RpcSessionRefreshed = DomainEvent<'RpcSessionRefreshed', RpcSessionFacts>;

export type RpcSessionEnded = DomainEvent<'RpcSessionEnded', { reason: RpcSessionEndReason }>;

export type RpcSessionEvent = RpcSessionStarted | RpcSessionRefreshed | RpcSessionEnded;
