import type { RecordedEvent } from '../../ports/eventStore.ts';
import type { DiskSpaceGuard } from './diskSpaceGuard.ts';
import type { EventStoreDatabases } from './eventStoreDatabases.ts';
import { invalidArgument } from './invalidArgument.ts';

/** What a metadata record may take on disk, for the free-space check. */
const METADATA_BYTES = 256;

/**
 * Retention on the embedded store: EventStoreDB's `$maxAge` with the same observable semantics.
 * A stream's max age lives in a side table (`streamMetadata`, in the stream index's environment);
 * a stream read leaves out the events older than it.
 *
 * Expired events stay in the log, hidden, rather than being removed by a sweep: every log write is
 * conditional on the entry before it (appendPipeline.ts), a reopened store continues from the
 * last entry of the log (removing it would hand its sequence, and so its position, out again),
 * the persisted stream index names sequences, and subscribers' checkpoints are positions in that
 * log. EventStoreDB behaves alike until a scavenge: expired events stay in `$all`.
 */
export async function setStreamMaxAge(
  databases: EventStoreDatabases,
  space: DiskSpaceGuard,
  streamName: string,
  maxAgeSeconds: number,
): Promise<void> {
  if (!(Number.isSafeInteger(maxAgeSeconds) && maxAgeSeconds > 0)) throw invalidArgument('maxAgeSeconds must be a positive integer.');
  space.check(METADATA_BYTES);
  await databases.streamMetadata.put(streamName, { maxAge: maxAgeSeconds });
}

/** The stream's max age in milliseconds, if it has one. */
export function maxAgeMsOf(databases: EventStoreDatabases, streamName: string): number | undefined {
  const maxAge = databases.streamMetadata.get(streamName)?.maxAge;
  return maxAge === undefined ? undefined : maxAge * 1000;
}

/** Whether an event recorded at `created` (ISO) is still retained at `now` under `maxAgeMs`. */
export function isRetained(event: Pick<RecordedEvent, 'created'>, maxAgeMs: number, now: Date): boolean {
  return Date.parse(event.created) + maxAgeMs > now.getTime();
}
