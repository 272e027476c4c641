import type { ExpectedRevision } from '../../ports/eventStore.ts';

/** Revision of a stream that has no events, as EventStoreDB counts it. */
export const NO_STREAM_REVISION = -1;

/** Whether a stream at `currentRevision` (-1: no stream) satisfies the writer's expectation. */
export function isExpectedRevision(expected: ExpectedRevision, currentRevision: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return currentRevision === NO_STREAM_REVISION;
    case 'stream_exists':
      return currentRevision !== NO_STREAM_REVISION;
    default:
      return currentRevision === expected;
  }
}

/** The wording `ConcurrencyError` carries for both sides: `no_stream`, `any`, `stream_exists` or a number. */
export function describeRevision(revision: ExpectedRevision): string {
  return revision === NO_STREAM_REVISION ? 'no_stream' : String(revision);
}

export function isValidExpectedRevision(expected: unknown): expected is ExpectedRevision {
  return (
    expected === 'any' ||
    expected === 'no_stream' ||
    expected === 'stream_exists' ||
    (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0)
  );
}
