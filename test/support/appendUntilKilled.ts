/**
 * Child process of the LMDB durability test: appends to the event store at `argv[2]` until it is
 * killed, and after each acknowledged append writes the ids of its events to stdout, one per line.
 * Concurrent writers (group-committed appends, some of several events) run beside one writer
 * awaiting each append.
 */
import { randomUUID } from 'node:crypto';
import { openLmdbEventStore } from '../../src/adapters/lmdb/lmdbEventStore.ts';
import type { EventData, EventStore } from '../../src/ports/eventStore.ts';

const CONCURRENT_WRITERS = 20;

const path = process.argv[2];
if (path === undefined) throw new Error('usage: appendUntilKilled.ts <store path>');

const eventData = (writer: number, n: number): EventData => ({
  id: randomUUID(),
  type: 'Appended',
  data: { writer, n },
  metadata: { actor: 'durability-test', api: 'cli' },
});

/** Appends forever to one stream with exact expected revisions; `size(n)` events per append. */
async function writeForever(store: EventStore, writer: number, size: (n: number) => number): Promise<never> {
  let expectedRevision: number | 'no_stream' = 'no_stream';
  for (let n = 0; ; n++) {
    const events = Array.from({ length: size(n) }, () => eventData(writer, n));
    const result = await store.appendToStream(`durability-${writer}`, events, { expectedRevision });
    expectedRevision = result.nextExpectedRevision;
    // Written only now that the append is acknowledged (stdout to a pipe writes synchronously on Linux).
    process.stdout.write(events.map((event) => `${event.id}\n`).join(''));
  }
}

const store = await openLmdbEventStore({ path });
await Promise.all([
  writeForever(store, 0, () => 1),
  ...Array.from({ length: CONCURRENT_WRITERS }, (_, index) => writeForever(store, index + 1, (n) => 1 + (n % 3))),
]);
