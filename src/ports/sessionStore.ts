/** One JSON-RPC session as it is kept: whose it is and until when it holds. */
export interface StoredSession {
  user: string;
  /**
   * The user's key stamp at login (UserDirectory.keyStamp): a new key, or no user, ends the
   * session. Absent from sessions stored before stamps existed: those are refused.
   */
  keyStamp?: string;
  /** Epoch milliseconds after which the session is expired. */
  expiresAt: number;
  /** Epoch milliseconds of the login (absent from sessions stored before it was kept: the oldest). */
  startedAt?: number;
}

/**
 * Durable memory of JSON-RPC sessions, keyed by a digest of the session id (never the id
 * itself, so a copy of the store hands out no usable sessions).
 */
export interface SessionStore {
  get(idDigest: string): StoredSession | undefined;
  /** Resolves once the session is durable. */
  put(idDigest: string, session: StoredSession): Promise<void>;
  remove(idDigest: string): Promise<void>;
  /** The digests of `user`'s stored sessions, oldest login first. */
  sessionsOf(user: string): string[];
  /** Removes every session expired at `now`; answers how many. */
  removeExpired(now: number): Promise<number>;
  close(): Promise<void>;
}
