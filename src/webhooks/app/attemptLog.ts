import { randomUUID } from 'node:crypto';
import { eventMetadata } from '../../app/commandHandler.ts';
import type { Clock } from '../../app/clock.ts';
import { catalogEntry } from '../../domain/events.ts';
import type { EventData, EventStore } from '../../ports/eventStore.ts';
import type { WebhookAttempted } from '../domain/webhookEvents.ts';
import { webhookAttemptsStream } from '../domain/webhookStreams.ts';

export type Attempt = WebhookAttempted['data'];

/** Attempts are kept this long (EventStoreDB `$maxAge`). */
export const ATTEMPT_RETENTION_SECONDS = 7 * 24 * 3600;
/** Attempts waiting to be written, per instance, at most; more are dropped (they are diagnostics, deliveries go on). */
const MAX_BUFFERED = 10_000;

/**
 * The delivery attempts of each subscription (`webhookAttempts-<pk>`), so `GET <pk>/deliveries/`
 * answers the same on every instance. Attempts are buffered and written in one append per
 * subscription every `flushMs`, so a busy subscription costs a write per interval, not per event.
 */
export function attemptLog(deps: { eventStore: EventStore; clock: Clock; flushMs: number; onError?: (error: unknown) => void }) {
  const buffered = new Map<number, EventData[]>();
  const retained = new Set<number>();
  let count = 0;
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  const flush = () => {
    timer = undefined;
    const batches = [...buffered];
    buffered.clear();
    count = 0;
    flushing = flushing.then(async () => {
      for (const [webhookPk, events] of batches) {
        try {
          const stream = webhookAttemptsStream(webhookPk);
          if (!retained.has(webhookPk)) {
            await deps.eventStore.setStreamMaxAge(stream, ATTEMPT_RETENTION_SECONDS);
            retained.add(webhookPk);
          }
          await deps.eventStore.appendToStream(stream, events, { expectedRevision: 'any' });
        } catch (error) {
          deps.onError?.(error);
        }
      }
    });
  };

  return {
    record(attempt: Attempt): void {
      if (count >= MAX_BUFFERED) return;
      const id = randomUUID();
      const context = { actor: 'webhook-deliverer', api: 'webhook' as const, correlationId: id, causationId: id };
      const metadata = eventMetadata(context, deps.clock(), catalogEntry('WebhookAttempted')?.schemaVersion ?? 1);
      const list = buffered.get(attempt.webhookPk) ?? [];
      list.push({ id, type: 'WebhookAttempted', data: attempt, metadata });
      buffered.set(attempt.webhookPk, list);
      count++;
      timer ??= setTimeout(flush, deps.flushMs);
    },

    /** The newest attempts first, at most `limit`. */
    async recent(webhookPk: number, limit: number): Promise<Attempt[]> {
      const events = await deps.eventStore.readStream(webhookAttemptsStream(webhookPk), { direction: 'backwards', maxCount: limit });
      return events.map((event) => event.data as Attempt);
    },

    /** Writes what is buffered now. */
    async flush(): Promise<void> {
      clearTimeout(timer);
      flush();
      await flushing;
    },
  };
}

export type AttemptLog = ReturnType<typeof attemptLog>;
