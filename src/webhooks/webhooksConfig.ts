import { integerSetting } from '../config/integerSetting.ts';
import { DEFAULT_RETRY_DELAYS_MS } from './domain/retrySchedule.ts';

/** Webhook delivery settings (`WEBHOOK_*`). */
export interface WebhooksConfig {
  /** `WEBHOOK_RETRY_HOURS` (default 72): how long an event is retried before the subscription is disabled. */
  retryHours: number;
  /** `WEBHOOK_ALLOWED_HOSTS`: receiver hosts allowed on private addresses (comma list, `host` or `host:port`). */
  allowedHosts: string[];
  /** `WEBHOOK_TIMEOUT_MS` (default 10000): budget of one attempt. */
  timeoutMs: number;
  /** `WEBHOOK_CONCURRENCY` (default 8): products delivered in parallel per subscription. */
  concurrency: number;
  /** `WEBHOOK_RETRY_DELAYS_MS` (default `5000,30000,120000,600000,3600000,21600000`): the backoff schedule, the last repeating. */
  retryDelaysMs: number[];
  /** `WEBHOOK_LEASE_MS` (default 15000): how long a delivering instance may go without renewing before another takes over. */
  leaseMs: number;
  /** `WEBHOOK_MAX_SUBSCRIPTIONS` (default 100): subscriptions that may exist at once. */
  maxSubscriptions: number;
}

type Read = (name: string) => string | undefined;

/** Reads the webhook settings; every problem is added to `problems`, naming its variable. */
export function parseWebhooksConfig(read: Read, problems: string[]): WebhooksConfig {
  const integer = integerSetting(read, problems);
  const hosts = (read('WEBHOOK_ALLOWED_HOSTS') ?? '').split(',').map((host) => host.trim().toLowerCase()).filter(Boolean);
  for (const host of hosts) if (!/^[a-z0-9.:[\]-]+$/.test(host)) problems.push(`WEBHOOK_ALLOWED_HOSTS has an invalid host "${host}"`);
  const delaysText = read('WEBHOOK_RETRY_DELAYS_MS');
  let retryDelaysMs = [...DEFAULT_RETRY_DELAYS_MS];
  if (delaysText !== undefined) {
    const parts = delaysText.split(',').map((part) => part.trim());
    if (parts.some((part) => !/^\d{1,10}$/.test(part))) problems.push(`WEBHOOK_RETRY_DELAYS_MS must be a comma list of milliseconds, got "${delaysText}"`);
    else retryDelaysMs = parts.map(Number);
  }
  return {
    retryHours: integer('WEBHOOK_RETRY_HOURS', 72, 1, 24 * 365),
    allowedHosts: hosts,
    timeoutMs: integer('WEBHOOK_TIMEOUT_MS', 10_000, 100, 300_000),
    concurrency: integer('WEBHOOK_CONCURRENCY', 8, 1, 256),
    retryDelaysMs,
    leaseMs: integer('WEBHOOK_LEASE_MS', 15_000, 300, 3_600_000),
    maxSubscriptions: integer('WEBHOOK_MAX_SUBSCRIPTIONS', 100, 1, 10_000),
  };
}
