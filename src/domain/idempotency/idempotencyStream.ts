import { createHash } from 'node:crypto';

/** Stream category of requests sent with an `Idempotency-Key`. */
export const IDEMPOTENCY_CATEGORY = 'idempotency';

/**
 * The stream of one user's key: named by the SHA-256 of `user + "\n" + key`, so the client's key
 * (any visible ASCII, `$`, `-`, `/` included) never becomes part of a stream name, and two users'
 * keys never share a stream.
 */
export const idempotencyStream = (user: string, key: string): string =>
  `${IDEMPOTENCY_CATEGORY}-${createHash('sha256').update(`${user}\n${key}`).digest('hex')}`;
