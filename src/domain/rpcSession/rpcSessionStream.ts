import { createHash } from 'node:crypto';

/** Stream category of JSON-RPC sessions. */
export const RPC_SESSION_CATEGORY = 'rpcSession';
export const RPC_SESSION_STREAM_PREFIX = `${RPC_SESSION_CATEGORY}-`;

/** The SHA-256 (hex) of a session id: all that is ever stored of it. */
export type SessionDigest = string & { readonly __brand: 'SessionDigest' };

const DIGEST = /^[0-9a-f]{64}$/;

/** The digest of a session id (any string: what a client sends is only ever hashed). */
export const sessionDigest = (sessionId: string): SessionDigest => createHash('sha256').update(sessionId).digest('hex') as SessionDigest;

/**
 * The stream of one session, named by the digest of its id: the id itself never reaches the store,
 * so a copy of the store (or a subscriber) holds no usable session, and no client text becomes part
 * of a stream name.
 */
export const rpcSessionStream = (digest: SessionDigest): string => `${RPC_SESSION_STREAM_PREFIX}${digest}`;

/** The digest a session stream is named by; undefined for any other stream. */
export function digestOfRpcSessionStream(streamName: string): SessionDigest | undefined {
  const digest = streamName.slice(RPC_SESSION_STREAM_PREFIX.length);
  return streamName.startsWith(RPC_SESSION_STREAM_PREFIX) && DIGEST.test(digest) ? (digest as SessionDigest) : undefined;
}
