import { randomUUID } from 'node:crypto';
import { catalogEntry } from '../../domain/events.ts';
import type { EventMetadata } from '../../domain/eventMetadata.ts';
import { decideKey, keyStateOf, type KeyRules, type RememberedAnswer } from '../../domain/idempotency/idempotencyDecision.ts';
import type { IdempotencyEvent } from '../../domain/idempotency/idempotencyEvents.ts';
import { idempotencyStream } from '../../domain/idempotency/idempotencyStream.ts';
import { ConcurrencyError } from '../../errors/appError.ts';
import type { EventStore } from '../../ports/eventStore.ts';
import type { Clock } from '../clock.ts';
import { eventMetadata, type RequestContext } from '../commandHandler.ts';

/** How long an answer is remembered: a retry after that runs as a new request (as Stripe's 24 h). */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60_000;
/** A claim not renewed for this long belongs to an instance that is gone: another request may take it over. */
export const IDEMPOTENCY_LEASE_MS = 60_000;
/** Pauses between reads of a key claimed elsewhere, while waiting for its answer. */
const POLL_DELAYS_MS = [20, 50, 100, 200, 400, 800, 1000];

/** What a request with an `Idempotency-Key` does, once the key was looked up. */
export type KeyOutcome =
  /** This request holds the key: run it, then `finish` with its answer and whether retries get it (`kept`). Never rejects. */
  | { kind: 'run'; finish(answer: RememberedAnswer, kept: boolean): Promise<void> }
  | { kind: 'replay'; answer: RememberedAnswer }
  /** The key was used with another request (422). */
  | { kind: 'reused' };

export interface IdempotentRequestsDeps {
  eventStore: EventStore;
  clock: Clock;
  /** Told when an answer could not be kept (a full disk, a take-over): the request is answered anyway. */
  onNotKept?: (reason: string, error: unknown) => void;
  rules?: Partial<KeyRules>;
  /** Pauses while waiting (tests shorten them). */
  pollDelaysMs?: readonly number[];
}

/**
 * Idempotency keys on the event store, shared by every instance: one stream per user and key
 * (`idempotency-<sha256>`). The first request claims it (`IdempotentRequestStarted`, expected
 * revision `no_stream`); any other, on any instance, fails that append and reads the stream: an
 * answer is replayed, another request's key is a 422, a claim in flight is waited for (concurrent
 * retries on one instance share one wait; the original on this instance is waited for without
 * polling). A claim is a lease: renewed while its request runs, taken over (an append at the
 * stream's revision, so one taker wins) once not renewed for a minute. Streams keep 24 hours.
 */
export function idempotentRequests(deps: IdempotentRequestsDeps) {
  const rules: KeyRules = { retentionMs: IDEMPOTENCY_RETENTION_MS, leaseMs: IDEMPOTENCY_LEASE_MS, ...deps.rules };
  const pollDelays = deps.pollDelaysMs ?? POLL_DELAYS_MS;
  const retentionSeconds = Math.ceil(rules.retentionMs / 1000);
  /** Keys claimed by requests running here: settled once their answer is stored. */
  const runningHere = new Map<string, Promise<void>>();
  /** Waits for keys claimed elsewhere, shared by the requests of this instance. */
  const waits = new Map<string, Promise<void>>();

  const append = (streamName: string, event: IdempotencyEvent, context: RequestContext, expectedRevision: number) => {
    const metadata = eventMetadata(context, deps.clock(), catalogEntry(event.type)?.schemaVersion ?? 1);
    return deps.eventStore.appendToStream(streamName, [{ id: randomUUID(), ...event, metadata }], {
      expectedRevision: expectedRevision === -1 ? 'no_stream' : expectedRevision,
    });
  };

  const newestState = async (streamName: string, revisionIfEmpty: number) => {
    const [newest] = await deps.eventStore.readStream(streamName, { direction: 'backwards', maxCount: 1 });
    return keyStateOf(newest && { ...newest, occurredAt: (newest.metadata as EventMetadata).occurredAt }, revisionIfEmpty);
  };

  /** Resolves once the key's claim is no longer live (answered, released, or its lease over). */
  const claimSettled = (streamName: string, leaseEndsAt: string): Promise<void> => {
    const here = runningHere.get(streamName);
    if (here !== undefined) return here;
    let wait = waits.get(streamName);
    if (wait === undefined) {
      wait = (async () => {
        let ends = Date.parse(leaseEndsAt);
        for (let attempt = 0; Date.parse(deps.clock()) < ends; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, pollDelays[Math.min(attempt, pollDelays.length - 1)]));
          const [newest] = await deps.eventStore.readStream(streamName, { direction: 'backwards', maxCount: 1 });
          if (newest?.type !== 'IdempotentRequestStarted') return;
          // A renewed claim: its request is still running.
          ends = Date.parse((newest.metadata as EventMetadata).occurredAt) + rules.leaseMs;
        }
      })().finally(() => waits.delete(streamName));
      waits.set(streamName, wait);
    }
    return wait;
  };

  /** Holds the key for a request that runs here: renewals keep its lease, `finish` stores its answer. */
  const hold = (streamName: string, fingerprint: string, context: RequestContext, claimedAt: number): KeyOutcome => {
    let revision = claimedAt;
    let settle!: () => void;
    runningHere.set(streamName, new Promise<void>((resolve) => (settle = resolve)));
    let renewal: Promise<unknown> = Promise.resolve();
    const renewer = setInterval(() => {
      renewal = renewal
        .then(() => append(streamName, { type: 'IdempotentRequestStarted', data: { fingerprint } }, context, revision))
        .then((renewed) => (revision = renewed.nextExpectedRevision))
        .catch((error: unknown) => deps.onNotKept?.('idempotency claim not renewed', error));
    }, rules.leaseMs / 3);
    renewer.unref();
    return {
      kind: 'run',
      async finish(answer, kept) {
        clearInterval(renewer);
        try {
          await renewal;
          const event: IdempotencyEvent = kept
            ? { type: 'IdempotentRequestAnswered', data: { fingerprint, ...answer } }
            : { type: 'IdempotentRequestReleased', data: { fingerprint, status: answer.status } };
          await append(streamName, event, context, revision);
        } catch (error) {
          // A write that happened is answered even when its answer cannot be kept: an error here
          // would make the client retry a write that is stored.
          deps.onNotKept?.('idempotency key not remembered', error);
        } finally {
          runningHere.delete(streamName);
          settle();
        }
      },
    };
  };

  return {
    /**
     * Looks the key up and claims it when it is free: the request then runs and must `finish`.
     * @throws what the event store throws (the request is answered 503).
     */
    async begin(user: string, key: string, fingerprint: string, context: RequestContext): Promise<KeyOutcome> {
      const streamName = idempotencyStream(user, key);
      let expectedRevision = -1;
      for (;;) {
        try {
          const claimed = await append(streamName, { type: 'IdempotentRequestStarted', data: { fingerprint } }, context, expectedRevision);
          if (expectedRevision === -1) {
            deps.eventStore.setStreamMaxAge(streamName, retentionSeconds).catch((error: unknown) => deps.onNotKept?.('idempotency key retention not set', error));
          }
          return hold(streamName, fingerprint, context, claimed.nextExpectedRevision);
        } catch (error) {
          if (!(error instanceof ConcurrencyError)) throw error;
          // The claim failed: read what the stream holds (it reads empty once everything expired).
          let decision = decideKey(await newestState(streamName, revisionOf(error)), fingerprint, deps.clock(), rules);
          while (decision.kind === 'wait') {
            await claimSettled(streamName, decision.leaseEndsAt);
            decision = decideKey(await newestState(streamName, revisionOf(error)), fingerprint, deps.clock(), rules);
          }
          if (decision.kind !== 'claim') return decision;
          expectedRevision = decision.expectedRevision;
        }
      }
    },
  };
}

export type IdempotentRequests = ReturnType<typeof idempotentRequests>;

/** The stream's revision a conflict reports (-1: no stream). */
function revisionOf(conflict: ConcurrencyError): number {
  const revision = Number(conflict.actual);
  return Number.isSafeInteger(revision) ? revision : -1;
}
