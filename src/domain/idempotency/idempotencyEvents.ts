import type { DomainEvent } from '../decider.ts';

/**
 * A request with an `Idempotency-Key` claimed its key (stream `idempotency-<digest>`, appended with
 * no_stream, or at the stream's revision when taking over an expired, released or abandoned claim).
 * The time of the claim is the envelope's `occurredAt`. `fingerprint`: SHA-256 of method, path and
 * body; a retry must ask the same.
 */
export type IdempotentRequestStarted = DomainEvent<'IdempotentRequestStarted', { fingerprint: string }>;

/**
 * The claimed request was answered with a response that retries get again. Self-contained
 * (the fingerprint again), so that it reads alone once the claim aged out of retention.
 */
export type IdempotentRequestAnswered = DomainEvent<
  'IdempotentRequestAnswered',
  { fingerprint: string; status: number; headers: Record<string, string>; body: string }
>;

/**
 * The claimed request ended with an answer that is not kept (a server error, 401, 403, 409, 412,
 * 429, or an error thrown before any answer): a retry runs it again.
 */
export type IdempotentRequestReleased = DomainEvent<'IdempotentRequestReleased', { fingerprint: string; status: number }>;

export type IdempotencyEvent = IdempotentRequestStarted | IdempotentRequestAnswered | IdempotentRequestReleased;
