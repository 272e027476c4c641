import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { invalidArgument } from './invalidArgument.ts';
import { moveLegacyLog } from './legacyLog.ts';

/**
 * The LMDB environments of the event store. The log is the truth and is written durably with
 * every append; the stream index is derived from it and persisted lazily (see streamIndex.ts).
 */
export interface EventStoreDatabases {
  /**
   * sequence → stored event text (see storedEvent.ts): the global log, `$all`. Alone in its
   * environment's main database: a commit of appends writes the log's pages and the meta page,
   * not also the page that records a named database's root (a tenth of a lone append's time).
   */
  log: RootDatabase<string, number>;
  /** Persisted stream index chunks (see persistedStreamIndex.ts), up to the index checkpoint. */
  streams: Database<number[], StreamIndexKey>;
  /** Small bookkeeping values: the stream index checkpoint. */
  meta: Database<number, string>;
  /** Stream name → its metadata (retention), as EventStoreDB's `$$<stream>`; see streamRetention.ts. */
  streamMetadata: Database<StreamMetadata, string>;
  /** Closes both environments. */
  close(): Promise<void>;
}

export type StreamIndexKey = [streamName: string, firstRevision: number];

/** What is known of a stream besides its events. */
export interface StreamMetadata {
  /** Seconds after which an event no longer reads from the stream. */
  maxAge?: number;
}

/** LMDB keys are limited to 1978 bytes; stream names and event ids are parts of keys. */
export const MAX_KEY_PART_BYTES = 1000;

/** Above every revision, so reverse range reads can start from it. */
export const AFTER_LAST_REVISION = Number.MAX_SAFE_INTEGER;

/**
 * Opens the stream index's environment in `directory` and the log's in `directory/log`. Both
 * sync inside every commit: a committed append is durable, and what readers see is durable.
 * (lmdb-js' Linux default, overlapping sync, flushes after the commit; waiting for that flush cost
 * a lone writer a tenth of its rate, see appendPipeline.ts.)
 */
export function openEventStoreDatabases(directory: string): EventStoreDatabases {
  const logDirectory = join(directory, 'log');
  mkdirSync(logDirectory, { recursive: true });
  const indexRoot = open({ path: directory, overlappingSync: false, maxDbs: 4 });
  const log = open<string, number>({ path: logDirectory, overlappingSync: false, encoding: 'string' });
  moveLegacyLog(indexRoot, log);
  return {
    log,
    streams: indexRoot.openDB<number[], StreamIndexKey>({ name: 'streams' }),
    meta: indexRoot.openDB<number, string>({ name: 'meta' }),
    streamMetadata: indexRoot.openDB<StreamMetadata, string>({ name: 'streamMetadata' }),
    async close() {
      await Promise.all([log.close(), indexRoot.close()]);
    },
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
