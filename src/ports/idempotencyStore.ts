/** A response remembered for an `Idempotency-Key`, to answer a retry with it. */
export interface RememberedResponse {
  /** SHA-256 of what the request asked (method, path, body): a retry must ask the same. */
  fingerprint: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  /** ISO time it was first answered. */
  at: string;
}

/** Durable memory of answered requests by (user, key). */
export interface IdempotencyStore {
  get(scope: string): RememberedResponse | undefined;
  /** Resolves once the record is durable. */
  remember(scope: string, response: RememberedResponse): Promise<void>;
  /** Forgets every response first answered before `at` (ISO time); answers how many. */
  forgetAnsweredBefore(at: string): Promise<number>;
  close(): Promise<void>;
}
