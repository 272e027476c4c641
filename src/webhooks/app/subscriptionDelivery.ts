import { feedEntry, readFeedPage, type FeedFilter } from '../../app/feed/mediaFeed.ts';
import type { EventStore, Position, RecordedEvent } from '../../ports/eventStore.ts';
import { retriesExhausted, retryDelayMs } from '../domain/retrySchedule.ts';
import { signedHeaders } from '../domain/webhookSignature.ts';
import type { SendResult } from '../adapters/webhookSender.ts';
import type { Attempt } from './attemptLog.ts';

/** What a running delivery needs to know of its subscription (it may change while it runs). */
export interface DeliveryTarget {
  webhookPk: number;
  url: string;
  secret: string;
  filter: FeedFilter;
}

export interface SubscriptionDeliveryDeps {
  eventStore: EventStore;
  send(url: string, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<SendResult>;
  record(attempt: Attempt): void;
  skuOf(productPk: number): string | undefined;
  /** Epoch milliseconds (retry windows, signatures). */
  now(): number;
  random(): number;
  concurrency: number;
  maxPending: number;
  retryDelaysMs: readonly number[];
  retryHours: number;
  /** Everything up to this position is acknowledged: persist it. */
  onCheckpoint(position: Position | undefined): void;
  /** Delivery cannot go on (410 Gone, retries exhausted): disable the subscription. */
  onGiveUp(reason: string): void;
  /**
   * Whether the lease is surely still ours (default: always). No attempt starts otherwise, so a
   * holder stalled past its lease's expiry does not send beside the instance that took over.
   */
  leaseValid?(): boolean;
}

interface Pending {
  event: RecordedEvent;
  acked: boolean;
  failures: number;
  failingSince: number | undefined;
}

/**
 * Delivers one subscription from `start` (exclusive) while this instance holds its lease. Reads
 * the feed in commit order into one queue per product (stream); sends the head of up to
 * `concurrency` queues at a time, the next event of a product only after the previous one was
 * acknowledged (2xx); retries a failed head after the schedule's delay. The checkpoint is the
 * last position below which everything was acknowledged. At most `maxPending` events are held.
 */
export function subscriptionDelivery(target: () => DeliveryTarget, start: Position | undefined, deps: SubscriptionDeliveryDeps) {
  let cursor = start;
  let checkpoint = start;
  const order: Pending[] = [];
  let orderHead = 0;
  const queues = new Map<string, Pending[]>();
  const inFlight = new Set<string>();
  const waiting = new Map<string, NodeJS.Timeout>();
  let reading = false;
  let moreToRead = true;
  /** A notify arrived since the current read started: the log may have grown after its end. */
  let woken = false;
  let stopped = false;
  /** The attempt in flight of each product (stream), so it can be withdrawn. */
  const attempts = new Map<string, AbortController>();

  const pendingCount = () => order.length - orderHead;

  function advanceCheckpoint() {
    const before = checkpoint;
    while (orderHead < order.length && order[orderHead]!.acked) checkpoint = order[orderHead++]!.event.position;
    if (orderHead === order.length) {
      order.length = 0;
      orderHead = 0;
      checkpoint = cursor;
    } else if (orderHead > 1024) {
      order.splice(0, orderHead);
      orderHead = 0;
    }
    if (checkpoint !== before) deps.onCheckpoint(checkpoint);
  }

  async function read() {
    if (reading || stopped || !moreToRead || pendingCount() >= deps.maxPending) return;
    reading = true;
    woken = false;
    try {
      const page = await readFeedPage(deps.eventStore, cursor, Math.min(256, deps.maxPending - pendingCount()), target().filter);
      if (stopped) return;
      for (const event of page.entries) {
        const pending: Pending = { event, acked: false, failures: 0, failingSince: undefined };
        order.push(pending);
        const queue = queues.get(event.streamName) ?? [];
        queue.push(pending);
        queues.set(event.streamName, queue);
      }
      cursor = page.cursor;
      moreToRead = !page.reachedEnd || woken;
      advanceCheckpoint();
    } finally {
      reading = false;
    }
    dispatch();
    if (moreToRead) void read().catch(fail);
  }

  /** A store error while reading: try again shortly (the lease keeper stops us if the store is gone). */
  function fail() {
    if (stopped) return;
    moreToRead = true;
    setTimeout(() => void read().catch(fail), 500).unref();
  }

  function dispatch() {
    if (stopped || deps.leaseValid?.() === false) return;
    for (const [stream, queue] of queues) {
      if (inFlight.size >= deps.concurrency) return;
      if (queue.length === 0 || inFlight.has(stream) || waiting.has(stream)) continue;
      void send(stream, queue[0]!);
    }
  }

  async function send(stream: string, pending: Pending) {
    inFlight.add(stream);
    const attemptAbort = new AbortController();
    attempts.set(stream, attemptAbort);
    const { webhookPk, url, secret } = target();
    const entry = feedEntry(pending.event, deps.skuOf);
    const body = JSON.stringify(entry);
    const headers = signedHeaders(secret, pending.event.id, Math.floor(deps.now() / 1000), body);
    const result = await deps.send(url, headers, body, attemptAbort.signal);
    inFlight.delete(stream);
    attempts.delete(stream);
    if (stopped) return;
    // Withdrawn while the lease was in doubt, before an answer came: not a failure of the event,
    // which stays first in its queue (an answer that came first counts as usual).
    if (attemptAbort.signal.aborted && result.status === undefined) return dispatch();
    const attempt = pending.failures + 1;
    deps.record({
      webhookPk,
      eventId: pending.event.id,
      position: pending.event.position,
      attempt,
      status: result.status ?? null,
      latencyMs: result.latencyMs,
      error: result.error ?? null,
      attemptedAt: new Date(deps.now()).toISOString(),
    });
    const ok = result.status !== undefined && result.status >= 200 && result.status < 300;
    if (ok) {
      const queue = queues.get(stream)!;
      queue.shift();
      if (queue.length === 0) queues.delete(stream);
      pending.acked = true;
      advanceCheckpoint();
      dispatch();
      void read().catch(fail);
      return;
    }
    if (result.status === 410) return deps.onGiveUp('The receiver answered 410 Gone.');
    pending.failures = attempt;
    pending.failingSince ??= deps.now();
    if (retriesExhausted(pending.failingSince, deps.now(), deps.retryHours)) {
      return deps.onGiveUp(`Event ${pending.event.id} at position ${pending.event.position} failed for ${deps.retryHours} hours.`);
    }
    const timer = setTimeout(() => {
      waiting.delete(stream);
      dispatch();
    }, retryDelayMs(attempt, deps.retryDelaysMs, deps.random));
    waiting.set(stream, timer);
    dispatch();
  }

  return {
    /** New events may be in the log: read on. */
    notify() {
      moreToRead = true;
      woken = true;
      void read().catch(fail);
    },
    /** Everything up to here is acknowledged. */
    checkpoint: () => checkpoint,
    /**
     * Aborts the attempts in flight without counting them as failures; with `leaseValid` false
     * no other starts, and their events go first once it is true again (then call `notify`).
     */
    withdraw() {
      for (const attempt of attempts.values()) attempt.abort();
    },
    /** Stops at once: in-flight attempts are aborted (their events are redelivered by whoever delivers next). */
    stop() {
      stopped = true;
      for (const attempt of attempts.values()) attempt.abort();
      for (const timer of waiting.values()) clearTimeout(timer);
      waiting.clear();
    },
    /** Events held: read and not yet behind the checkpoint (bounded by `maxPending`). */
    pending: pendingCount,
  };
}

export type SubscriptionDelivery = ReturnType<typeof subscriptionDelivery>;
