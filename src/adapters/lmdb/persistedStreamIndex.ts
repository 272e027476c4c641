import { NO_STREAM_REVISION } from './expectedRevision.ts';
import { AFTER_LAST_REVISION, type EventStoreDatabases } from './eventStoreDatabases.ts';
import { LOG_START_SEQUENCE } from './position.ts';

/**
 * The persisted part of the stream index. Each flush of the memtable writes one chunk per stream:
 * key `[streamName, firstRevision]`, value the sequences of `firstRevision`, `firstRevision + 1`, …
 * One put per stream rather than per event keeps flushes cheap when streams grow in bursts.
 * Chunks of a stream never overlap: a flush only holds revisions after the previous checkpoint.
 */

/** A chunk as flushed: the stream, its first revision, and the sequences of its revisions. */
export type StreamChunk = [streamName: string, firstRevision: number, sequences: number[]];

const STREAM_INDEX_CHECKPOINT = 'streamIndexCheckpoint';

/** The last sequence whose events are all in the persisted stream index. */
export function streamIndexCheckpoint(databases: EventStoreDatabases): number {
  return databases.meta.get(STREAM_INDEX_CHECKPOINT) ?? LOG_START_SEQUENCE;
}

/**
 * Persists chunks, then their checkpoint; resolves once they are durable. These are asynchronous
 * puts: LMDB applies them on its write thread, not the event loop's, and commits a turn's puts
 * together (the checkpoint never lands before its chunks).
 */
export async function writeStreamChunks(
  databases: EventStoreDatabases,
  chunks: Iterable<StreamChunk>,
  checkpoint: number,
): Promise<void> {
  // LMDB returns one promise per transaction, so this set stays tiny.
  const commits = new Set<Promise<boolean>>();
  for (const [streamName, firstRevision, sequences] of chunks) {
    commits.add(databases.streams.put([streamName, firstRevision], sequences));
  }
  commits.add(databases.meta.put(STREAM_INDEX_CHECKPOINT, checkpoint));
  await Promise.all(commits);
}

/** The chunks of a stream from the one holding `revision` downwards. */
function chunksDownFrom(databases: EventStoreDatabases, streamName: string, revision: number) {
  return databases.streams.getRange({ start: [streamName, revision], end: [streamName], reverse: true });
}

/** The chunk holding `revision` (or, past the end, the last chunk). */
function chunkAtOrBefore(
  databases: EventStoreDatabases,
  streamName: string,
  revision: number,
): { firstRevision: number; sequences: number[] } | undefined {
  for (const { key, value } of chunksDownFrom(databases, streamName, revision)) {
    return { firstRevision: key[1], sequences: value };
  }
  return undefined;
}

/** The last revision of a stream in the persisted index, -1 when it has none there. */
export function indexedLastRevision(databases: EventStoreDatabases, streamName: string): number {
  const last = chunkAtOrBefore(databases, streamName, AFTER_LAST_REVISION);
  return last === undefined ? NO_STREAM_REVISION : last.firstRevision + last.sequences.length - 1;
}

export function indexedSequenceAt(
  databases: EventStoreDatabases,
  streamName: string,
  revision: number,
): number | undefined {
  const chunk = chunkAtOrBefore(databases, streamName, revision);
  return chunk?.sequences[revision - chunk.firstRevision];
}

/**
 * Sequences of a stream in the persisted index, from `fromRevision` (inclusive) in either
 * direction, never reaching `belowRevision`.
 */
export function indexedSequences(
  databases: EventStoreDatabases,
  streamName: string,
  range: { fromRevision: number; belowRevision: number; backwards: boolean; limit: number },
): number[] {
  const { fromRevision, belowRevision, backwards, limit } = range;
  const sequences: number[] = [];
  if (limit <= 0) return sequences;

  if (backwards) {
    const highest = Math.min(fromRevision, belowRevision - 1);
    if (highest < 0) return sequences;
    for (const { key, value } of chunksDownFrom(databases, streamName, highest)) {
      const first = key[1];
      for (let revision = Math.min(highest, first + value.length - 1); revision >= first; revision -= 1) {
        sequences.push(value[revision - first] as number);
        if (sequences.length >= limit) return sequences;
      }
    }
    return sequences;
  }

  if (fromRevision >= belowRevision) return sequences; // all of it is in memory
  // A stream's first chunk starts at revision 0: reading from there needs no seek backwards.
  const start = fromRevision === 0 ? 0 : (chunkAtOrBefore(databases, streamName, fromRevision)?.firstRevision ?? fromRevision);
  for (const { key, value } of databases.streams.getRange({
    start: [streamName, start],
    end: [streamName, belowRevision],
  })) {
    const first = key[1];
    const end = Math.min(first + value.length, belowRevision);
    for (let revision = Math.max(fromRevision, first); revision < end; revision += 1) {
      sequences.push(value[revision - first] as number);
      if (sequences.length >= limit) return sequences;
    }
  }
  return sequences;
}
