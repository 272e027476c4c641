/**
 * The decision EventStoreDB takes before it writes to a stream (its `IndexWriter.CheckCommit`),
 * restated for the stand-in: expected revision, idempotent retries, soft and hard deletes.
 * Pure: the event log passes in what it knows about the stream.
 */

/** Revision of a stream with no events. */
export const NO_STREAM = -1n;

export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface StreamFacts {
  /** Revision of the last event ever written (soft-deleted ones included), {@link NO_STREAM} if none. */
  lastRevision: bigint;
  tombstoned: boolean;
  softDeleted: boolean;
  /** The id of the event at `revision`, if the stream holds one there. */
  idAt(revision: bigint): string | undefined;
  /** The revision of a recent event of this stream with that id (ESDB's committed-events cache). */
  revisionOfId(id: string): bigint | undefined;
}

export type CommitDecision =
  /** Write; `recreate` when the stream was soft-deleted and this write brings it back. */
  | { kind: 'write'; recreate: boolean }
  /** The same events were already written there: answer with the original last revision. */
  | { kind: 'idempotent'; lastRevision: bigint }
  | { kind: 'wrongExpectedVersion'; currentRevision: bigint }
  | { kind: 'streamDeleted' };

/** Decides an append of events with `eventIds` to a stream at `expected`. */
export function checkCommit(stream: StreamFacts, expected: ExpectedRevision, eventIds: string[]): CommitDecision {
  const current = stream.lastRevision;
  const wrong: CommitDecision = { kind: 'wrongExpectedVersion', currentRevision: current };
  if (stream.tombstoned) return { kind: 'streamDeleted' };
  if (expected === 'stream_exists') {
    if (stream.softDeleted) return { kind: 'streamDeleted' };
    if (current === NO_STREAM) return wrong;
  }
  if (expected === 'any' || expected === 'stream_exists') return checkByIdCache(stream, eventIds);

  const expectedRevision = expected === 'no_stream' ? NO_STREAM : expected;
  if (expectedRevision > current) return wrong;
  if (expectedRevision === current) return { kind: 'write', recreate: stream.softDeleted };
  // The stream moved past the expected revision: a retry of an earlier write is idempotent when
  // its events sit right after the expected revision; anything else conflicts.
  if (eventIds.length === 0) return wrong;
  let revision = expectedRevision;
  for (const [index, id] of eventIds.entries()) {
    revision += 1n;
    if (stream.idAt(revision) === id) continue;
    if (index > 0) return wrong;
    if (expected === 'no_stream' && stream.softDeleted) return { kind: 'write', recreate: true };
    return wrong;
  }
  return { kind: 'idempotent', lastRevision: revision };
}

/** `any` / `stream_exists` dedupe only against recently written ids (best effort in ESDB). */
function checkByIdCache(stream: StreamFacts, eventIds: string[]): CommitDecision {
  let lastRevision: bigint | undefined;
  for (const [index, id] of eventIds.entries()) {
    const revision = stream.revisionOfId(id);
    if (revision === undefined) {
      return index === 0
        ? { kind: 'write', recreate: stream.softDeleted }
        : { kind: 'wrongExpectedVersion', currentRevision: stream.lastRevision };
    }
    lastRevision = revision;
  }
  return lastRevision === undefined ? { kind: 'write', recreate: stream.softDeleted } : { kind: 'idempotent', lastRevision };
}
