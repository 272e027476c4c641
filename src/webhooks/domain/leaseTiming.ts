/**
 * When a lease holder renews, stops starting attempts and withdraws those in flight, as offsets
 * from `validUntil` (the start of its last stored renewal + WEBHOOK_LEASE_MS, on its own clock).
 * Pure: the holder's clock is the caller's.
 */

/**
 * Renewals start every quarter of the lease, counted from the start of the previous one (not its
 * end), so a slow store delays no renewal beyond its own latency; a lease is kept while a write
 * takes up to half of it.
 */
export const renewEvery = (leaseMs: number): number => leaseMs / 4;

/**
 * A holder starts no attempt from a quarter of the lease before `validUntil` (the margin covers
 * the clocks of instances on other hosts being a little ahead, and attempts started just before
 * it have time to end).
 */
export const sendUntil = (validUntil: number, leaseMs: number): number => validUntil - leaseMs / 4;

/** Attempts still in flight an eighth of the lease before it could lapse are withdrawn: another instance may take over soon. */
export const withdrawAt = (validUntil: number, leaseMs: number): number => validUntil - leaseMs / 8;
