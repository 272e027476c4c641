import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiUser } from '../config/config.ts';

/**
 * The API users, shared by both APIs (REST tokens, JSON-RPC logins). Keys are compared as
 * SHA-256 digests in constant time, so neither the key nor its length leaks through timing, and
 * a check of an unknown user costs what a check of a known one does.
 */
export interface UserDirectory {
  /** The user whose key this is, if any. */
  findByKey(key: string): string | undefined;
  /** True when `name` exists and `key` is its key. */
  verify(name: string, key: string): boolean;
  /**
   * A stamp of the user's current key (a digest of its digest, so it reveals nothing usable), or
   * undefined for an unknown user: whatever was granted under a stamp ends when the key changes.
   */
  keyStamp(name: string): string | undefined;
}

const digest = (text: string) => createHash('sha256').update(text).digest();
/**
 * Longest key ever checked: a longer one is refused before it is hashed, so a caller cannot make
 * a check cost what it likes (a 16 MiB key took 76–188 ms to hash). Keys are configured with at
 * least 16 characters; nobody configures a kilobyte.
 */
export const MAX_KEY_LENGTH = 1024;
/** Compared against when the name is unknown, so a check costs the same whether or not the user exists. */
const NO_USER_DIGEST = digest('no user has this key');

export function createUserDirectory(users: readonly ApiUser[]): UserDirectory {
  const entries = users.map((user) => {
    const keyDigest = digest(user.key);
    return { name: user.name, keyDigest, stamp: createHash('sha256').update('key-stamp\n').update(keyDigest).digest('base64url').slice(0, 22) };
  });
  // Keys already proven by the digest comparison, so that a client's every request does not
  // hash its key again (a third of the cost of a cached list request). Only real keys enter,
  // so it holds at most one entry per user. A miss costs the same whatever the key: looking up
  // a string of the attacker's choosing in a hash map reveals nothing about the keys stored.
  const proven = new Map<string, string>();
  return {
    findByKey(key) {
      const known = proven.get(key);
      if (known !== undefined) return known;
      if (key.length > MAX_KEY_LENGTH) return undefined;
      const presented = digest(key);
      let found: string | undefined;
      // Compare against every user so the time taken does not depend on which one matches.
      for (const entry of entries) if (timingSafeEqual(entry.keyDigest, presented)) found = entry.name;
      if (found !== undefined) proven.set(key, found);
      return found;
    },
    verify(name, key) {
      if (key.length > MAX_KEY_LENGTH) return false;
      const entry = entries.find((candidate) => candidate.name === name);
      // The key is hashed and compared whether or not the user exists: the same work either way.
      const matches = timingSafeEqual(entry?.keyDigest ?? NO_USER_DIGEST, digest(key));
      return entry !== undefined && matches;
    },
    keyStamp: (name) => entries.find((candidate) => candidate.name === name)?.stamp,
  };
}
