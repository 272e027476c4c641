import { ConcurrencyError, isAppError, UnavailableError } from '../../errors/appError.ts';
import type { AppendResult } from '../../ports/eventStore.ts';
import { appendEvents, WAIT_FOR_WRITES, type AppendContext, type AppendRequest } from './appendEvents.ts';

export interface QueuedAppend {
  request: AppendRequest;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/** How far one append has come: each of the two second chances is taken at most once. */
export interface Attempt {
  /** Checked again after the writes in flight settled. */
  waitedForWrites: boolean;
  /** Checked again after an earlier append's commit failed. */
  recovered: boolean;
}

/** What checking a group of appends came to. Refused appends are rejected already. */
export interface CheckedGroup {
  /** The log entries of the appends that passed, in order, to be written together. */
  sequences: number[];
  storedEvents: string[];
  /** The appends those entries belong to, with the results they answer once written. */
  writing: { append: QueuedAppend; result: AppendResult }[];
  /** Appends to check again once the writes in flight, this group's included, have settled. */
  waiting: QueuedAppend[];
  /**
   * Appends not checked, after one failed in a way that is not a refusal (the index may hold
   * part of it): to be checked once the index is rebuilt.
   */
  unchecked: QueuedAppend[];
}

/**
 * Checks each append of a group against the stream index, in order, adding the entries of those
 * that pass to it (see appendEvents.ts). Answers at once the appends that need no write (refused,
 * retried, empty).
 */
export function checkGroup(context: AppendContext, group: QueuedAppend[], attempt: Attempt): CheckedGroup {
  const { streamIndex } = context;
  const checked: CheckedGroup = { sequences: [], storedEvents: [], writing: [], waiting: [], unchecked: [] };
  const { sequences, storedEvents } = checked;
  const collect = (sequence: number, storedEvent: string) => {
    sequences.push(sequence);
    storedEvents.push(storedEvent);
  };
  const created = context.now().toISOString();

  for (const [index, append] of group.entries()) {
    const entriesBefore = sequences.length;
    let result: AppendResult | typeof WAIT_FOR_WRITES;
    try {
      result = appendEvents(context, append.request, created, collect);
    } catch (error) {
      if (!isAppError(error)) {
        sequences.length = storedEvents.length = entriesBefore;
        append.reject(error);
        checked.unchecked = group.slice(index + 1);
        break;
      }
      // A conflict with entries not committed yet may go away if their commit fails.
      const uncommittedEntries = streamIndex.lastSequence() > streamIndex.durableSequence();
      if (!(error instanceof ConcurrencyError && uncommittedEntries && !attempt.waitedForWrites)) {
        append.reject(error);
        continue;
      }
      result = WAIT_FOR_WRITES;
    }
    if (result === WAIT_FOR_WRITES) {
      if (attempt.waitedForWrites) append.reject(new UnavailableError('The append could not be checked against the event store.'));
      else checked.waiting.push(append);
    } else if (sequences.length === entriesBefore) {
      append.resolve(result); // an idempotent retry, or no events
    } else {
      checked.writing.push({ append, result });
    }
  }
  return checked;
}
