import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiUser } from '../config/config.ts';

/**
 * The API users, shared by both APIs (REST tokens, JSON-RPC logins). Keys are compared as
 * SHA-256 digests in constant time, so neither the key nor its length leaks through timing.
 */
export interface UserDirectory {
  /** The user whose key this is, if any. */
  findByKey(key: string): string | undefined;
  /** True when `name` exists and `key` is its key. */
  verify(name: string, key: string): boolean;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

export function createUserDirectory(users: readonly ApiUser[]): UserDirectory {
  const entries = users.map((user) => ({ name: user.name, keyDigest: digest(user.key) }));
  const matches = (keyDigest: Buffer, key: string) => timingSafeEqual(keyDigest, digest(key));
  return {
    findByKey(key) {
      let found: string | undefined;
      // Compare against every user so the time taken does not depend on which one matches.
      for (const entry of entries) if (matches(entry.keyDigest, key)) found = entry.name;
      return found;
    },
    verify(name, key) {
      const entry = entries.find((candidate) => candidate.name === name);
      return entry !== undefined && matches(entry.keyDigest, key);
    },
  };
}
