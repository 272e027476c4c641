import { randomUUID } from 'node:crypto';
import { catalogEntry } from '../../domain/events.ts';
import { eventMetadata } from '../../app/commandHandler.ts';
import type { Clock } from '../../app/clock.ts';
import { ConcurrencyError } from '../../errors/appError.ts';
import type { EventStore, Position } from '../../ports/eventStore.ts';
import { mayHold, type LeaseRecord } from '../domain/deliveryLease.ts';
import type { WebhookLeaseHeld } from '../domain/webhookEvents.ts';
import { webhookDeliveryStream, webhookStream } from '../domain/webhookStreams.ts';

/** Lease events older than this stop reading from the stream (the newest is renewed every few seconds while delivering). */
export const LEASE_RETENTION_SECONDS = 30 * 24 * 3600;

export interface HeldLease {
  revision: number;
  checkpoint: Position | undefined;
  replayRevision: number;
}

/**
 * The delivery lease and checkpoint of each subscription, in the event store
 * (`webhookDelivery-<pk>`): taking, renewing and moving the checkpoint are all appends of a
 * self-contained `WebhookLeaseHeld` at the expected revision, so two instances can never both
 * hold it, and whoever takes over reads the checkpoint its predecessor wrote last.
 */
export function leaseJournal(deps: { eventStore: EventStore; clock: Clock; now: () => number; holder: string; leaseMs: number }) {
  const { eventStore } = deps;

  async function read(webhookPk: number): Promise<LeaseRecord | undefined> {
    const [last] = await eventStore.readStream(webhookDeliveryStream(webhookPk), { direction: 'backwards', maxCount: 1 });
    return last === undefined ? undefined : { lease: last.data as WebhookLeaseHeld['data'], revision: last.revision };
  }

  /** Where a subscription without a checkpoint starts: after its creation (the events before it are not its). */
  async function creationPosition(webhookPk: number): Promise<Position | undefined> {
    const [created] = await eventStore.readStream(webhookStream(webhookPk), { maxCount: 1 });
    return created?.position;
  }

  async function append(webhookPk: number, expected: number | 'no_stream', checkpoint: Position | undefined, replayRevision: number, leaseMs = deps.leaseMs): Promise<number> {
    const id = randomUUID();
    const data: WebhookLeaseHeld['data'] = {
      webhookPk,
      holder: deps.holder,
      expiresAt: new Date(deps.now() + leaseMs).toISOString(),
      checkpoint: checkpoint ?? null,
      replayRevision,
    };
    const context = { actor: 'webhook-deliverer', api: 'webhook' as const, correlationId: id, causationId: id };
    const metadata = eventMetadata(context, deps.clock(), catalogEntry('WebhookLeaseHeld')?.schemaVersion ?? 1);
    const result = await eventStore.appendToStream(webhookDeliveryStream(webhookPk), [{ id, type: 'WebhookLeaseHeld', data, metadata }], {
      expectedRevision: expected,
    });
    if (expected === 'no_stream') await eventStore.setStreamMaxAge(webhookDeliveryStream(webhookPk), LEASE_RETENTION_SECONDS);
    return result.nextExpectedRevision;
  }

  return {
    read,

    /**
     * Takes the lease when it is free, expired or already ours; `undefined` while another instance
     * holds it or when another instance took it first. A stream whose events all aged out keeps
     * its revisions: the conflict tells the revision, and the checkpoint falls back to the
     * subscription's creation (redelivery, never a gap). A conflict on a stream another instance
     * has just started is a lost race, never a take-over: two first takes must not both win.
     */
    async take(webhookPk: number): Promise<HeldLease | undefined> {
      const current = await read(webhookPk);
      if (!mayHold(current, deps.holder, deps.now())) return undefined;
      const checkpoint = current === undefined ? await creationPosition(webhookPk) : ((current.lease.checkpoint ?? undefined) as Position | undefined);
      const replayRevision = current?.lease.replayRevision ?? 0;
      try {
        const revision = await append(webhookPk, current?.revision ?? 'no_stream', checkpoint, replayRevision);
        return { revision, checkpoint, replayRevision };
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        const actual = Number(error.actual);
        if (current !== undefined || !Number.isSafeInteger(actual) || actual < 0) return undefined;
        // The stream read empty, yet has events: either they all aged out, or another instance
        // took the lease between our read and our append. Only the first may be taken over here.
        if ((await read(webhookPk)) !== undefined) return undefined;
        try {
          return { revision: await append(webhookPk, actual, checkpoint, replayRevision), checkpoint, replayRevision };
        } catch (again) {
          if (again instanceof ConcurrencyError) return undefined;
          throw again;
        }
      }
    },

    /**
     * Renews a held lease with the checkpoint reached; `undefined` when it was lost (another
     * instance took it). A renewal whose answer was lost (a timeout) may have been stored: the
     * next one then conflicts with our own event, and goes on after it — stopping there would
     * restart delivery from the older checkpoint in the store and send acknowledged events again.
     */
    async renew(webhookPk: number, held: HeldLease): Promise<HeldLease | undefined> {
      try {
        const revision = await append(webhookPk, held.revision, held.checkpoint, held.replayRevision);
        return { ...held, revision };
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        const current = await read(webhookPk);
        if (current === undefined || current.lease.holder !== deps.holder) return undefined;
        try {
          return { ...held, revision: await append(webhookPk, current.revision, held.checkpoint, held.replayRevision) };
        } catch (again) {
          if (again instanceof ConcurrencyError) return undefined;
          throw again;
        }
      }
    },

    /**
     * Gives the lease up with the checkpoint reached (it expires now): another instance may take
     * over at once, from exactly there. A lease lost meanwhile is left alone.
     */
    async release(webhookPk: number, held: HeldLease): Promise<void> {
      try {
        await append(webhookPk, held.revision, held.checkpoint, held.replayRevision, 0);
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
      }
    },
  };
}

export type LeaseJournal = ReturnType<typeof leaseJournal>;
