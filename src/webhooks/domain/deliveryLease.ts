import type { WebhookLeaseHeld } from './webhookEvents.ts';

/** The last `WebhookLeaseHeld` of a subscription and the revision it sits at. */
export interface LeaseRecord {
  lease: WebhookLeaseHeld['data'];
  revision: number;
}

/**
 * Whether `holder` may append the next lease event at `nowMs`: nobody holds it, it is `holder`'s
 * own, or its holder stopped renewing and it expired. Pure: time comes in as an argument.
 */
export function mayHold(current: LeaseRecord | undefined, holder: string, nowMs: number): boolean {
  if (current === undefined) return true;
  return current.lease.holder === holder || Date.parse(current.lease.expiresAt) <= nowMs;
}
