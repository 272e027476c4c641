import { randomBytes, randomUUID } from 'node:crypto';
import type { Observable } from 'rxjs';
import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConcurrencyError } from '../../../src/errors/appError.ts';
import type { AllSubscriptionMessage, EventData, EventStore, RecordedEvent } from '../../../src/ports/eventStore.ts';

/** What each contract test gets: a store from the adapter's `open`. */
export interface EventStoreContractContext {
  store: EventStore;
  cleanup: () => Promise<void>;
}

export type EventStoreContractTest = Test<EventStoreContractContext>;

export const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * A category no other test (or earlier run against a shared server) uses: streams are
 * `<category>-<n>`, and a subscription filtered on `<category>-` sees only this test's events.
 */
export function freshCategory(): string {
  return `contract${randomBytes(6).toString('hex')}`;
}

export function eventData(type = 'ThingHappened', data: unknown = { at: randomUUID() }): EventData {
  return { id: randomUUID(), type, data, metadata: { actor: 'contract', api: 'cli' } };
}

/** Asserts that `run` rejects with a ConcurrencyError naming the stream and both revisions. */
export async function rejectsWithConflict(
  run: () => Promise<unknown>,
  streamName: string,
  expected: string,
  actual: string,
): Promise<void> {
  try {
    await run();
  } catch (error) {
    assert.instance(error, ConcurrencyError, `expected a ConcurrencyError, got ${String(error)}`);
    const conflict = error as ConcurrencyError;
    assert.is(conflict.code, 'WRONG_EXPECTED_REVISION');
    assert.is(conflict.streamName, streamName);
    assert.is(conflict.expected, expected);
    assert.is(conflict.actual, actual);
    assert.is(conflict.message, `Stream ${streamName} is at ${actual}, expected ${expected}.`);
    return;
  }
  assert.unreachable('expected a ConcurrencyError');
}

/** Records what a subscription emits, and waits for what a test expects. */
export function recordSubscription(messages$: Observable<AllSubscriptionMessage>) {
  const messages: AllSubscriptionMessage[] = [];
  let failure: unknown;
  let wake = (): void => {};
  const subscription = messages$.subscribe({
    next: (message) => {
      messages.push(message);
      wake();
    },
    error: (error: unknown) => {
      failure = error;
      wake();
    },
  });
  return {
    messages,
    events: (): RecordedEvent[] => messages.flatMap((message) => (message.kind === 'event' ? [message.event] : [])),
    /** Messages other than checkpoints, which adapters may add anywhere. */
    withoutCheckpoints: () => messages.filter((message) => message.kind !== 'checkpoint'),
    unsubscribe: () => subscription.unsubscribe(),
    async until(reached: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
      await new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (failure !== undefined) finish(() => reject(failure));
          else if (reached()) finish(resolve);
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`timed out waiting for ${what}`))), timeoutMs);
        const finish = (settle: () => void): void => {
          clearTimeout(timer);
          wake = () => {};
          settle();
        };
        wake = check;
        check();
      });
    },
  };
}

/** Resolves after `ms`: a window in which nothing should arrive. */
export const quietFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const ids = (events: { id: string }[]) => events.map((event) => event.id);
