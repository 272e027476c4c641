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
  return {
    findByKey(key) {
      const presented = digest(key);
      let found: string | undefined;
      // Compare against every user so the time taken does not depend on which one matches.
      for (const entry of entries) if (timingSafeEqual(entry.keyDigest, presented)) found = entry.name;
      return found;
    },
    verify(name, key) {
      const entry = entries.find((candidate) => candidate.name === name);
      return entry !== undefined && timingSafeEqual(entry.keyDigest, digest(key));
    },
  };
}
