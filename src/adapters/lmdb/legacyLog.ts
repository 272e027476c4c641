import type { Database, DatabaseOptions, RootDatabase } from 'lmdb';
import { lastSequenceOf } from './position.ts';

/** Entries copied per transaction: each commit is durable before the next starts. */
const ENTRIES_PER_COMMIT = 10_000;

/**
 * Stores written before the log had its own environment kept it as the named database `log`
 * beside the stream index. Moves it over once, at open: copies what the new log lacks (a copy
 * interrupted by a crash resumes where it stopped), then drops the old database. Nothing is
 * dropped before all of it is durable in the new place.
 */
export function moveLegacyLog(indexRoot: RootDatabase, log: RootDatabase<string, number>): void {
  // `create: false` (missing from lmdb's typings) answers undefined for a missing database.
  const options: DatabaseOptions & { name: string; create: boolean } = { name: 'log', encoding: 'string', create: false };
  const legacy = indexRoot.openDB<string, number>(options) as Database<string, number> | undefined;
  if (legacy === undefined) return;
  let copiedThrough = lastSequenceOf(log);
  for (;;) {
    const entries = [...legacy.getRange({ start: copiedThrough + 1, limit: ENTRIES_PER_COMMIT })];
    if (entries.length === 0) break;
    log.transactionSync(() => {
      for (const { key, value } of entries) log.putSync(key, value);
    });
    copiedThrough = entries[entries.length - 1]!.key;
  }
  legacy.dropSync();
}
