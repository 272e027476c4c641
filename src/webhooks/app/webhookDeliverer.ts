import { randomUUID } from 'node:crypto';
import type { Subscription } from 'rxjs';
import { FEED_STREAM_PREFIXES } from '../../app/feed/mediaFeed.ts';
import type { Logger } from '../../logging/logger.ts';
import type { EventStore, Position } from '../../ports/eventStore.ts';
import { renewEvery, sendUntil, withdrawAt } from '../domain/leaseTiming.ts';
import { WEBHOOK_STREAM_PREFIX } from '../domain/webhookStreams.ts';
import type { LeaseJournal, HeldLease } from './leaseJournal.ts';
import { subscriptionDelivery, type DeliveryTarget, type SubscriptionDelivery, type SubscriptionDeliveryDeps } from './subscriptionDelivery.ts';
import type { Webhook, WebhookRegistry } from './webhookRegistry.ts';

export interface WebhookDelivererDeps {
  eventStore: EventStore;
  registry: WebhookRegistry;
  leases: LeaseJournal;
  logger: Logger;
  leaseMs: number;
  /** Shortest time between two checkpoint writes of one subscription. */
  checkpointMs: number;
  /** How often the subscriptions are looked at even without a change seen (leases of stopped instances expire). */
  scanMs: number;
  engine: Omit<SubscriptionDeliveryDeps, 'eventStore' | 'onCheckpoint' | 'onGiveUp'>;
}

interface Running {
  webhook: Webhook;
  held: HeldLease;
  delivery: SubscriptionDelivery;
  /** A lease write is in flight; another is due after it. */
  writing: boolean;
  dirty: boolean;
  lastWrite: number;
  /** The lease is surely ours until then: the start of the last successful write + WEBHOOK_LEASE_MS (on `monotonicNow`). */
  validUntil: number;
  timer: NodeJS.Timeout | undefined;
  /** Fires at `withdrawAt(validUntil)` unless a renewal came first: in-flight attempts are withdrawn. */
  fence: NodeJS.Timeout | undefined;
}

/**
 * The holder times its own lease on the monotonic clock: a wall clock set forward (NTP, an
 * operator) neither stops its delivery nor, set back, lets it send past its lease. The stored
 * `expiresAt` is wall-clock time, for other instances to compare with theirs.
 */
const monotonicNow = (): number => performance.now();

const targetOf = (webhook: Webhook): DeliveryTarget => ({
  webhookPk: webhook.webhookPk,
  url: webhook.url,
  secret: webhook.secret,
  filter: {
    ...(webhook.events === null ? {} : { types: new Set(webhook.events) }),
    ...(webhook.products === null ? {} : { productPks: new Set(webhook.products) }),
  },
});

/**
 * The instance's part in webhook delivery: it takes the lease of every active subscription no
 * other instance holds (or whose holder stopped renewing), delivers it, and writes its checkpoint
 * with the lease renewals; a lost lease stops its delivery at once. New gallery events wake the
 * deliveries; subscription changes (and a periodic scan) start and stop them.
 */
export function startWebhookDeliverer(deps: WebhookDelivererDeps) {
  const running = new Map<number, Running>();
  const context = () => {
    const id = randomUUID();
    return { actor: 'webhook-deliverer', api: 'webhook' as const, correlationId: id, causationId: id };
  };
  let stopped = false;
  let scanning: Promise<void> | undefined;
  let rescan = false;
  let subscription: Subscription | undefined;

  const releases = new Set<Promise<void>>();
  /** Subscriptions being disabled after a give-up: not taken again meanwhile (the lease is still ours). */
  const givingUp = new Set<number>();

  /**
   * Stops delivering; `release` also gives the lease up with the checkpoint reached (not when it
   * was lost), after the given promise settles when it is one.
   */
  function stopDelivery(webhookPk: number, release: boolean | Promise<unknown> = false) {
    const current = running.get(webhookPk);
    if (!current) return;
    current.delivery.stop();
    clearTimeout(current.timer);
    clearTimeout(current.fence);
    running.delete(webhookPk);
    if (!release) return;
    // After the write in flight (if any), so the release appends at the revision it left.
    const released = Promise.all([waitForWrite(current), release])
      .then(() => deps.leases.release(webhookPk, { ...current.held, checkpoint: current.delivery.checkpoint() }))
      .catch((error: unknown) => deps.logger.warn('webhook lease not released', { webhookPk, error: String(error) }))
      .finally(() => releases.delete(released));
    releases.add(released);
  }

  async function waitForWrite(current: Running) {
    for (let i = 0; i < 200 && current.writing; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /** Writes the lease (renewal and checkpoint), at most once per `checkpointMs`, one write at a time. */
  function writeLease(webhookPk: number) {
    const current = running.get(webhookPk);
    if (!current || current.writing || stopped) return;
    const wait = current.lastWrite + deps.checkpointMs - monotonicNow();
    if (wait > 0) {
      clearTimeout(current.timer);
      current.timer = setTimeout(() => writeLease(webhookPk), wait);
      return;
    }
    clearTimeout(current.timer);
    current.writing = true;
    current.dirty = false;
    const writeStarted = monotonicNow();
    current.lastWrite = writeStarted;
    const held = { ...current.held, checkpoint: current.delivery.checkpoint() };
    deps.leases
      .renew(webhookPk, held)
      .then((renewed) => {
        current.writing = false;
        if (renewed !== undefined) current.held = renewed; // a release after a stop appends at this revision
        if (running.get(webhookPk) !== current) return;
        if (renewed === undefined) {
          deps.logger.warn('webhook lease lost', { webhookPk });
          return stopDelivery(webhookPk);
        }
        const wasValid = sendUntil(current.validUntil, deps.leaseMs) > monotonicNow();
        setValidUntil(current, writeStarted + deps.leaseMs);
        if (!wasValid) current.delivery.notify(); // attempts held back while the lease was in doubt go on
        if (current.dirty) return writeLease(webhookPk);
        current.timer = setTimeout(() => writeLease(webhookPk), Math.max(0, writeStarted + renewEvery(deps.leaseMs) - monotonicNow()));
      })
      .catch((error: unknown) => {
        current.writing = false;
        deps.logger.warn('webhook lease not renewed', { webhookPk, error: String(error) });
        if (running.get(webhookPk) === current) current.timer = setTimeout(() => writeLease(webhookPk), Math.min(500, renewEvery(deps.leaseMs)));
      });
  }

  /** A renewal stored: the lease is ours until `validUntil`; attempts in flight are withdrawn at `withdrawAt` unless renewed again. */
  function setValidUntil(current: Running, validUntil: number) {
    current.validUntil = validUntil;
    armFence(current);
  }

  function armFence(current: Running) {
    clearTimeout(current.fence);
    const withdrawIfInDoubt = () => {
      if (running.get(current.webhook.webhookPk) !== current) return;
      if (monotonicNow() >= withdrawAt(current.validUntil, deps.leaseMs)) current.delivery.withdraw();
      else armFence(current); // the timer ran a little early (timers count from the loop's cached time)
    };
    // After the I/O already waiting (timers run before it): after a stalled event loop, answers
    // and a renewal that did arrive in time are taken before anything is withdrawn.
    current.fence = setTimeout(() => setImmediate(withdrawIfInDoubt), Math.max(0, withdrawAt(current.validUntil, deps.leaseMs) - monotonicNow()));
  }

  function startDelivery(webhook: Webhook, held: HeldLease, from: Position | undefined, validUntil: number) {
    const pk = webhook.webhookPk;
    const now = monotonicNow();
    const entry: Running = { webhook, held, delivery: undefined as unknown as SubscriptionDelivery, writing: false, dirty: false, lastWrite: now, validUntil, timer: undefined, fence: undefined };
    entry.delivery = subscriptionDelivery(() => targetOf(entry.webhook), from, {
      ...deps.engine,
      eventStore: deps.eventStore,
      leaseValid: () => monotonicNow() < sendUntil(entry.validUntil, deps.leaseMs),
      onCheckpoint: () => {
        entry.dirty = true;
        writeLease(pk);
      },
      onGiveUp: (reason) => {
        // The lease is given up once the subscription is disabled: before, a scan (ours or
        // another instance's) would see it active, take it and send the failing event again.
        givingUp.add(pk);
        const disabled = deps.registry
          .disable(pk, reason, context())
          .catch((error: unknown) => deps.logger.warn('webhook not disabled', { webhookPk: pk, error: String(error) }))
          .finally(() => givingUp.delete(pk));
        stopDelivery(pk, disabled);
      },
    });
    running.set(pk, entry);
    setValidUntil(entry, validUntil);
    entry.timer = setTimeout(() => writeLease(pk), Math.max(0, validUntil - deps.leaseMs + renewEvery(deps.leaseMs) - now));
    entry.delivery.notify();
  }

  async function scanOnce() {
    const webhooks = await deps.registry.list();
    const active = new Map(webhooks.filter((webhook) => webhook.status === 'active').map((webhook) => [webhook.webhookPk, webhook]));
    for (const pk of running.keys()) if (!active.has(pk)) stopDelivery(pk, true);
    for (const webhook of active.values()) {
      if (stopped) return;
      const current = running.get(webhook.webhookPk);
      if (current) {
        current.webhook = webhook;
        if (webhook.replays > current.held.replayRevision) {
          // A replay: start again from the requested position, and say so in the lease at once.
          stopDelivery(webhook.webhookPk);
          await waitForWrite(current);
          const held = { ...current.held, replayRevision: webhook.replays, checkpoint: (webhook.replayAfter ?? undefined) as Position | undefined };
          startDelivery(webhook, held, held.checkpoint, current.validUntil);
          running.get(webhook.webhookPk)!.dirty = true;
          writeLease(webhook.webhookPk);
        }
        continue;
      }
      if (givingUp.has(webhook.webhookPk)) continue;
      const takeStarted = monotonicNow();
      const held = await deps.leases.take(webhook.webhookPk);
      if (held === undefined || stopped) continue;
      const replay = webhook.replays > held.replayRevision;
      const from = replay ? ((webhook.replayAfter ?? undefined) as Position | undefined) : held.checkpoint;
      startDelivery(webhook, { ...held, replayRevision: webhook.replays, checkpoint: from }, from, takeStarted + deps.leaseMs);
      if (replay) writeLease(webhook.webhookPk);
    }
  }

  function scan() {
    if (stopped) return;
    if (scanning) {
      rescan = true;
      return;
    }
    scanning = scanOnce()
      .catch((error: unknown) => deps.logger.warn('webhook scan failed', { error: String(error) }))
      .finally(() => {
        scanning = undefined;
        if (rescan) {
          rescan = false;
          scan();
        }
      });
  }

  const subscribe = async () => {
    const [last] = await deps.eventStore.readAll({ direction: 'backwards', maxCount: 1 });
    if (stopped) return;
    subscription = deps.eventStore
      .subscribeToAll({ ...(last ? { fromPosition: last.position } : {}), filter: { streamNamePrefixes: [...FEED_STREAM_PREFIXES, WEBHOOK_STREAM_PREFIX] } })
      .subscribe({
        next: (message) => {
          if (message.kind !== 'event') return;
          if (message.event.streamName.startsWith(WEBHOOK_STREAM_PREFIX)) return scan();
          for (const current of running.values()) current.delivery.notify();
        },
        error: (error: unknown) => {
          if (stopped) return;
          deps.logger.warn('webhook wake-up subscription dropped, resubscribing', { error: String(error) });
          setTimeout(() => void subscribe().catch(() => undefined), 500);
        },
      });
  };

  void subscribe().catch((error: unknown) => deps.logger.warn('webhook wake-up subscription failed', { error: String(error) }));
  scan();
  const scanTimer = setInterval(() => {
    scan();
    // A missed wake-up costs at most one scan interval.
    for (const current of running.values()) current.delivery.notify();
  }, deps.scanMs);

  return {
    /** Which subscriptions this instance delivers now (tests, metrics). */
    delivering: () => [...running.keys()],
    async stop() {
      stopped = true;
      clearInterval(scanTimer);
      subscription?.unsubscribe();
      // A graceful stop hands every subscription over at once, from where it got to.
      for (const pk of [...running.keys()]) stopDelivery(pk, true);
      await scanning;
      await Promise.all([...releases]);
    },
  };
}

export type WebhookDeliverer = ReturnType<typeof startWebhookDeliverer>;
