import { silentLogger } from '../../src/logging/logger.ts';
import type { EventStore } from '../../src/ports/eventStore.ts';
import type { SendResult } from '../../src/webhooks/adapters/webhookSender.ts';
import type { Attempt } from '../../src/webhooks/app/attemptLog.ts';
import type { LeaseJournal } from '../../src/webhooks/app/leaseJournal.ts';
import { startWebhookDeliverer, type WebhookDeliverer } from '../../src/webhooks/app/webhookDeliverer.ts';
import type { Webhook, WebhookRegistry } from '../../src/webhooks/app/webhookRegistry.ts';
import { QUICK_DELIVERY } from './webhookSupport.ts';

export const LEASE_MS = 400;
export const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Subscription 1, active, every event. */
export const webhook: Webhook = {
  status: 'active', webhookPk: 1, url: 'http://receiver.test/', description: '', secret: 'whsec_AAAA', createdAt: '2024-01-01T00:00:00.000000Z',
  disabledReason: null, replays: 0, replayAfter: null, events: null, products: null,
};

export interface HarnessOptions {
  /** The lease stream, stubbed (`release` does nothing unless given). */
  leases: Partial<LeaseJournal>;
  /** The receiver: one attempt. */
  send(signal: AbortSignal): Promise<SendResult>;
  record?(attempt: Attempt): void;
  registry?: Partial<WebhookRegistry>;
  leaseMs?: number;
}

/** A deliverer on `eventStore` (its gallery events) with the lease journal, registry and receiver stubbed. */
export function startDeliverer(eventStore: EventStore, options: HarnessOptions): WebhookDeliverer {
  return startWebhookDeliverer({
    eventStore,
    registry: { list: async () => [webhook], disable: async () => webhook, ...options.registry } as WebhookRegistry,
    leases: { release: async () => {}, ...options.leases } as LeaseJournal,
    logger: silentLogger,
    leaseMs: options.leaseMs ?? LEASE_MS,
    checkpointMs: 50,
    scanMs: 100,
    engine: {
      send: (_url, _headers, _body, signal) => options.send(signal),
      record: options.record ?? (() => {}),
      ...QUICK_DELIVERY,
    },
  });
}
