import type { IdempotencyEvent } from './idempotencyEvents.ts';

/** A response kept for the retries of a request. */
export interface RememberedAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Where a key stands, from the newest event of its stream that the store still reads. */
export type KeyState =
  /** Never claimed, or everything about it expired: `revision` is the stream's last (-1: no stream). */
  | { kind: 'free'; revision: number }
  | { kind: 'claimed'; fingerprint: string; claimedAt: string; revision: number }
  | { kind: 'answered'; fingerprint: string; answer: RememberedAnswer; answeredAt: string; revision: number }
  | { kind: 'released'; revision: number };

/** What a request with a key does next. */
export type KeyDecision =
  /** Claim the key by appending at this revision (-1: the stream must not exist). */
  | { kind: 'claim'; expectedRevision: number }
  /** Answer what the original request was answered, flagged as a replay. */
  | { kind: 'replay'; answer: RememberedAnswer }
  /** 422: the key was used with another request. */
  | { kind: 'reused' }
  /** Another request holds the key: wait for its answer until `leaseEndsAt` (ISO), then decide again. */
  | { kind: 'wait'; leaseEndsAt: string };

export interface KeyRules {
  /** How long an answer is replayed (24 h). */
  retentionMs: number;
  /** How long a claim holds without being renewed: past it, the instance that ran the request is taken for gone. */
  leaseMs: number;
}

/** The state a key's newest readable event (if any) says; `revision`: the stream's last, for a stream that reads empty. */
export function keyStateOf(newest: { type: string; data: unknown; revision: number; occurredAt: string } | undefined, revision: number): KeyState {
  if (newest === undefined) return { kind: 'free', revision };
  const event = { type: newest.type, data: newest.data } as IdempotencyEvent;
  switch (event.type) {
    case 'IdempotentRequestStarted':
      return { kind: 'claimed', fingerprint: event.data.fingerprint, claimedAt: newest.occurredAt, revision: newest.revision };
    case 'IdempotentRequestAnswered': {
      const { fingerprint, ...answer } = event.data;
      return { kind: 'answered', fingerprint, answer, answeredAt: newest.occurredAt, revision: newest.revision };
    }
    case 'IdempotentRequestReleased':
      return { kind: 'released', revision: newest.revision };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/**
 * Pure: what a request asking `fingerprint` does with a key in `state` at `now` (ISO). An answer
 * is replayed within the retention to the same request, refused (422) to another; an expired
 * answer, a released key or an abandoned claim is claimed again at the stream's revision (only
 * one claimant wins that append); a live claim of the same request is waited for.
 */
export function decideKey(state: KeyState, fingerprint: string, now: string, rules: KeyRules): KeyDecision {
  const since = (at: string) => Date.parse(now) - Date.parse(at);
  switch (state.kind) {
    case 'free':
    case 'released':
      return { kind: 'claim', expectedRevision: state.revision };
    case 'answered':
      if (since(state.answeredAt) >= rules.retentionMs) return { kind: 'claim', expectedRevision: state.revision };
      return state.fingerprint === fingerprint ? { kind: 'replay', answer: state.answer } : { kind: 'reused' };
    case 'claimed':
      if (state.fingerprint !== fingerprint) return { kind: 'reused' };
      if (since(state.claimedAt) >= rules.leaseMs) return { kind: 'claim', expectedRevision: state.revision };
      return { kind: 'wait', leaseEndsAt: new Date(Date.parse(state.claimedAt) + rules.leaseMs).toISOString() };
    default: {
      const unknown: never = state;
      return unknown;
    }
  }
}
