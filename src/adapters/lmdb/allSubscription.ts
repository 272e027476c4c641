import { Observable, type Subscriber } from 'rxjs';
import { isAppError, UnavailableError } from '../../errors/appError.ts';
import type { AllSubscriptionMessage, SubscribeToAllOptions } from '../../ports/eventStore.ts';
import type { CommitSignal } from './commitSignal.ts';
import type { EventStoreDatabases } from './eventStoreDatabases.ts';
import { invalidArgument } from './invalidArgument.ts';
import { LOG_START_SEQUENCE, positionOf, sequenceOf } from './position.ts';
import { decodeStoredEvent, storedStreamNameStartsWith } from './storedEvent.ts';

export interface AllSubscriptionTuning {
  /** Events read (and emitted) synchronously before yielding to the event loop. */
  batchSize: number;
  /** With a filter, a checkpoint follows this many consecutive skipped events. */
  checkpointAfterSkipped: number;
}

export interface AllSubscriptionContext {
  databases: EventStoreDatabases;
  /** The last durable sequence: a subscription reads no further (see readAllEvents). */
  durableSequence: () => number;
  commits: CommitSignal;
  tuning: AllSubscriptionTuning;
  /** Open subscribers, so that closing the store can complete them. */
  openSubscribers: Set<Subscriber<AllSubscriptionMessage>>;
}

/**
 * A catch-up subscription as a pull loop: read a batch of the log strictly after the last event
 * seen, emit it synchronously, yield, repeat. A short batch means the reader reached the end:
 * emit `caughtUp` once, then wait for the next commit and pull again. History and live events come
 * from the same loop and the same cursor position, so the switch has no gap and no duplicate.
 */
export function subscribeToAllEvents(
  context: AllSubscriptionContext,
  options: SubscribeToAllOptions,
): Observable<AllSubscriptionMessage> {
  const { databases, durableSequence, commits, tuning, openSubscribers } = context;
  const startAfter = options.fromPosition === undefined ? LOG_START_SEQUENCE : sequenceOf(options.fromPosition);
  const prefixes = options.filter?.streamNamePrefixes;
  if (prefixes !== undefined && (prefixes.length === 0 || prefixes.some((prefix) => typeof prefix !== 'string'))) {
    throw invalidArgument('A subscription filter needs at least one stream name prefix.');
  }
  const isWanted = prefixes === undefined ? undefined : storedStreamNameStartsWith(prefixes);

  return new Observable<AllSubscriptionMessage>((subscriber) => {
    let lastSeenSequence = startAfter;
    let caughtUp = false;
    let skippedSinceReported = 0;
    let nextPull: NodeJS.Immediate | undefined;
    let cancelCommitWait: (() => void) | undefined;

    const pullSoon = (): void => {
      cancelCommitWait = undefined;
      // Soon rather than now: the committing code finishes first, and commits that follow closely
      // are served by one pull.
      nextPull = setImmediate(pull);
    };

    function pull(): void {
      nextPull = undefined;
      if (subscriber.closed) return;
      try {
        const scanned = emitBatch();
        if (subscriber.closed) return;
        if (scanned === tuning.batchSize) {
          nextPull = setImmediate(pull);
          return;
        }
        if (!caughtUp) {
          caughtUp = true;
          subscriber.next({ kind: 'caughtUp' });
          if (subscriber.closed) return;
        }
        // Registered in the same turn as the read: the signal of a commit this read missed comes
        // later, as a callback, and finds this listener.
        cancelCommitWait = commits.waitOnce(pullSoon);
      } catch (error) {
        subscriber.error(isAppError(error) ? error : new UnavailableError('Reading the event log failed.', error));
      }
    }

    /** Emits the next batch of the log; returns how many log entries it scanned. */
    function emitBatch(): number {
      let scanned = 0;
      for (const { key: sequence, value: stored } of databases.log.getRange({
        start: lastSeenSequence + 1,
        end: durableSequence() + 1,
        limit: tuning.batchSize,
      })) {
        scanned += 1;
        lastSeenSequence = sequence;
        if (isWanted === undefined || isWanted(stored)) {
          skippedSinceReported = 0;
          subscriber.next({ kind: 'event', event: decodeStoredEvent(stored, sequence) });
        } else if (++skippedSinceReported >= tuning.checkpointAfterSkipped) {
          skippedSinceReported = 0;
          subscriber.next({ kind: 'checkpoint', position: positionOf(sequence) });
        }
        if (subscriber.closed) break;
      }
      return scanned;
    }

    openSubscribers.add(subscriber);
    nextPull = setImmediate(pull);
    return () => {
      openSubscribers.delete(subscriber);
      if (nextPull !== undefined) clearImmediate(nextPull);
      cancelCommitWait?.();
    };
  });
}
