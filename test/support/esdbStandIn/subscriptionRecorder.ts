import type { AllStreamSubscription, Position, ResolvedEvent, StreamSubscription } from '@eventstore/db-client';

/** One thing a raw-client subscription reported, in the order it reported them. */
export type Seen =
  | { kind: 'confirmation' }
  | { kind: 'event'; streamId: string; type: string; revision: bigint; commit: bigint | undefined; data: unknown }
  | { kind: 'caughtUp' }
  | { kind: 'checkpoint'; commit: bigint }
  | { kind: 'error'; error: Error & { type?: string } };

export interface SubscriptionRecorder {
  readonly seen: Seen[];
  /** Pass as a filter's `checkpointReached` so checkpoints land in {@link seen} in order. */
  checkpointReached(subscription: AllStreamSubscription, position: Position): void;
  attach(subscription: StreamSubscription | AllStreamSubscription): void;
  /** Resolves once `predicate(seen)` holds; rejects with what was seen after `timeoutMs`. */
  until(predicate: (seen: Seen[]) => boolean, timeoutMs?: number): Promise<void>;
  /** `seen` in a compact form: `event:order-1@0`, `caughtUp`, `checkpoint`… */
  summary(): string[];
}

/** Records what a subscription of `@eventstore/db-client` emits, for order assertions. */
export function subscriptionRecorder(): SubscriptionRecorder {
  const seen: Seen[] = [];
  const waiters = new Set<() => void>();
  const summary = (): string[] =>
    seen.map((item) => {
      if (item.kind === 'event') return `event:${item.streamId}@${item.revision}`;
      if (item.kind === 'error') return `error:${item.error.type ?? item.error.message}`;
      return item.kind;
    });
  const record = (item: Seen): void => {
    seen.push(item);
    for (const wake of [...waiters]) wake();
  };
  return {
    seen,
    checkpointReached(_subscription, position) {
      record({ kind: 'checkpoint', commit: position.commit });
    },
    attach(subscription) {
      subscription.on('confirmation', () => record({ kind: 'confirmation' }));
      subscription.on('caughtUp', () => record({ kind: 'caughtUp' }));
      subscription.on('error', (error) => record({ kind: 'error', error }));
      subscription.on('data', (resolved: ResolvedEvent) => {
        const event = resolved.event;
        if (!event) return;
        const commit = 'position' in event ? event.position?.commit : undefined;
        record({ kind: 'event', streamId: event.streamId, type: event.type, revision: event.revision, commit, data: event.data });
      });
    },
    until(predicate, timeoutMs = 2_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (!predicate(seen)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`Timed out; the subscription reported: ${summary().join(', ')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    summary,
  };
}
