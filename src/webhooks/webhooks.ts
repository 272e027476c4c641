import { randomUUID } from 'node:crypto';
import type Router from '@koa/router';
import type { Clock } from '../app/clock.ts';
import type { HandleCommand } from '../app/commandHandler.ts';
import type { AllocatePk } from '../app/pkAllocator.ts';
import type { Logger } from '../logging/logger.ts';
import type { EventStore } from '../ports/eventStore.ts';
import { checkWebhookTarget } from './adapters/targetCheck.ts';
import { normalizeHost } from '../adapters/http/outboundTarget.ts';
import { createWebhookSender } from './adapters/webhookSender.ts';
import { attemptLog } from './app/attemptLog.ts';
import { leaseJournal } from './app/leaseJournal.ts';
import { startWebhookDeliverer, type WebhookDeliverer } from './app/webhookDeliverer.ts';
import { webhookRegistry } from './app/webhookRegistry.ts';
import { webhookRoutes } from './http/webhookRoutes.ts';
import type { WebhooksConfig } from './webhooksConfig.ts';

export interface WebhooksDeps {
  config: WebhooksConfig;
  eventStore: EventStore;
  handle: HandleCommand;
  allocatePk: AllocatePk;
  clock: Clock;
  logger: Logger;
  skuOf(productPk: number): string | undefined;
  /** Epoch milliseconds (default `Date.now`): retry windows, lease expiries, signature timestamps. */
  now?: () => number;
  random?: () => number;
}

export interface Webhooks {
  router: Router;
  deliverer: WebhookDeliverer;
  close(): Promise<void>;
}

/** Wires webhooks: the `/api/v1/webhooks/` routes and this instance's deliverer. */
export function startWebhooks(deps: WebhooksDeps): Webhooks {
  const { config, eventStore, logger } = deps;
  const now = deps.now ?? Date.now;
  const sender = createWebhookSender({ allowedHosts: config.allowedHosts, timeoutMs: config.timeoutMs, maxResponseBytes: 4096, maxSockets: config.concurrency });
  const attempts = attemptLog({ eventStore, clock: deps.clock, flushMs: 1000, onError: (error) => logger.warn('webhook attempts not recorded', { error: String(error) }) });
  const registry = webhookRegistry({ eventStore, handle: deps.handle, allocatePk: deps.allocatePk });
  const allowed = new Set(config.allowedHosts.map(normalizeHost));
  const deliverer = startWebhookDeliverer({
    eventStore,
    registry,
    // The holder names the pid, so an operator (and the SIGKILL test) can tell which instance delivers.
    leases: leaseJournal({ eventStore, clock: deps.clock, now, holder: `${process.pid}-${randomUUID()}`, leaseMs: config.leaseMs }),
    logger,
    leaseMs: config.leaseMs,
    checkpointMs: 250,
    scanMs: Math.min(1000, config.leaseMs / 3),
    engine: {
      send: (url, headers, body, signal) => sender.send(url, headers, body, signal),
      record: attempts.record,
      skuOf: deps.skuOf,
      now,
      random: deps.random ?? Math.random,
      concurrency: config.concurrency,
      maxPending: 1000,
      retryDelaysMs: config.retryDelaysMs,
      retryHours: config.retryHours,
    },
  });
  const router = webhookRoutes({
    registry,
    attempts,
    sender,
    eventStore,
    checkTarget: (url) => checkWebhookTarget(url, allowed),
    maxSubscriptions: config.maxSubscriptions,
    now,
  });
  return {
    router,
    deliverer,
    async close() {
      await deliverer.stop();
      await attempts.flush();
      sender.close();
    },
  };
}
