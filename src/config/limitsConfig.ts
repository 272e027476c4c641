import { integerSetting } from './integerSetting.ts';
/**
 * What any one client can cost the service: connections, bodies of clients not yet known, login
 * attempts, JSON-RPC batches and sessions. Read by the composition root like every setting.
 */
export interface LimitsConfig {
  /** `MAX_CONNECTIONS` (default 4096): open connections at most; more are closed at once. */
  maxConnections: number;
  /**
   * `MAX_CONNECTIONS_PER_ADDRESS` (default 256): open connections from one address at most (0:
   * no per-address cap, e.g. behind a load balancer whose address every connection has).
   */
  maxConnectionsPerAddress: number;
  /** `BODY_IDLE_TIMEOUT_MS` (default 10000): a request body that sends nothing for this long is cut (408). */
  bodyIdleTimeoutMs: number;
  /**
   * `RPC_PREAUTH_BODY_BYTES` (default 64 KiB): what is read of a JSON-RPC body before the caller
   * is known (HTTP Basic, or a live session among its first bytes); the rest is read only then.
   */
  rpcPreauthBodyBytes: number;
  /** `ANONYMOUS_BODY_BUDGET_BYTES` (default 8 MiB): body bytes all unknown callers together may have in flight (503 beyond). */
  anonymousBodyBudgetBytes: number;
  /** `RPC_BATCH_MAX` (default 100): calls in one JSON-RPC batch at most. */
  rpcBatchMax: number;
  /** `RPC_BATCH_MAX_LOGINS` (default 3): `login` calls in one batch at most; the others are refused unchecked. */
  rpcBatchMaxLogins: number;
  /** `RPC_SESSIONS_PER_USER` (default 1000): live JSON-RPC sessions of one user at most; a new login ends the oldest. */
  rpcSessionsPerUser: number;
  /** `TRUST_PROXY=1`: the client address is the last `X-Forwarded-For` entry (set it behind a load balancer). */
  trustProxy: boolean;
}

type Read = (name: string) => string | undefined;

/** Reads the limits; every problem is added to `problems`, naming its variable. */
export function parseLimitsConfig(read: Read, problems: string[]): LimitsConfig {
  const integer = integerSetting(read, problems);
  const trustProxy = read('TRUST_PROXY') ?? '0';
  if (trustProxy !== '0' && trustProxy !== '1') problems.push(`TRUST_PROXY must be 0 or 1, got "${trustProxy}"`);
  return {
    maxConnections: integer('MAX_CONNECTIONS', 4096, 1, 1_000_000),
    maxConnectionsPerAddress: integer('MAX_CONNECTIONS_PER_ADDRESS', 256, 0, 1_000_000),
    bodyIdleTimeoutMs: integer('BODY_IDLE_TIMEOUT_MS', 10_000, 100, 3_600_000),
    rpcPreauthBodyBytes: integer('RPC_PREAUTH_BODY_BYTES', 64 * 1024, 1024, 16 * 1024 * 1024),
    anonymousBodyBudgetBytes: integer('ANONYMOUS_BODY_BUDGET_BYTES', 8 * 1024 * 1024, 64 * 1024, 1024 * 1024 * 1024),
    rpcBatchMax: integer('RPC_BATCH_MAX', 100, 1, 10_000),
    rpcBatchMaxLogins: integer('RPC_BATCH_MAX_LOGINS', 3, 1, 100),
    rpcSessionsPerUser: integer('RPC_SESSIONS_PER_USER', 1000, 1, 1_000_000),
    trustProxy: trustProxy === '1',
  };
}
