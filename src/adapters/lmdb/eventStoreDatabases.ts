import { mkdirSync } from 'node:fs';
import { open, type Database, type RootDatabase } from 'lmdb';
import { invalidArgument } from './invalidArgument.ts';
import { LOG_START_SEQUENCE } from './position.ts';

/**
 * The LMDB environment of the event store. The log is the truth and is written durably with
 * every append; the stream index is derived from it and persisted lazily (see streamIndex.ts).
 */
export interface EventStoreDatabases {
  root: RootDatabase;
  /** sequence → stored event text (see storedEvent.ts): the global log, `$all`. */
  log: Database<string, number>;
  /** Persisted stream index chunks (see persistedStreamIndex.ts), up to the index checkpoint. */
  streams: Database<number[], StreamIndexKey>;
  /** Small bookkeeping values: the stream index checkpoint. */
  meta: Database<number, string>;
}

export type StreamIndexKey = [streamName: string, firstRevision: number];

/** LMDB keys are limited to 1978 bytes; stream names and event ids are parts of keys. */
export const MAX_KEY_PART_BYTES = 1000;

/** Above every revision, so reverse range reads can start from it. */
export const AFTER_LAST_REVISION = Number.MAX_SAFE_INTEGER;

export function openEventStoreDatabases(directory: string): EventStoreDatabases {
  mkdirSync(directory, { recursive: true });
  const root = open({
    path: directory,
    // A transaction commits and releases the write lock before it is flushed, so the next one is
    // prepared meanwhile (lmdb-js' Linux default, crash-safe by its meta-page scheme). Appends
    // are acknowledged on the flush (appendBatcher.ts), and readers stop at the last flushed
    // sequence (streamIndex.durableSequence), so nothing is acknowledged or read that a power
    // loss could take back.
    overlappingSync: true,
    maxDbs: 3,
  });
  return {
    root,
    log: root.openDB<string, number>({ name: 'log', encoding: 'string' }),
    streams: root.openDB<number[], StreamIndexKey>({ name: 'streams' }),
    meta: root.openDB<number, string>({ name: 'meta' }),
  };
}

export function assertValidStreamName(streamName: unknown): asserts streamName is string {
  // LMDB's key encoding separates the parts of [streamName, firstRevision] with NUL.
  if (typeof streamName !== 'string' || streamName === '' || streamName.includes('\u0000')) {
    throw invalidArgument('Stream name must be a non-empty string without NUL characters.');
  }
  if (Buffer.byteLength(streamName) > MAX_KEY_PART_BYTES) {
    throw invalidArgument(`Stream name must be at most ${MAX_KEY_PART_BYTES} bytes.`);
  }
}

export function lastSequence(databases: EventStoreDatabases): number {
  for (const sequence of databases.log.getKeys({ reverse: true, limit: 1 })) return sequence;
  return LOG_START_SEQUENCE;
}
