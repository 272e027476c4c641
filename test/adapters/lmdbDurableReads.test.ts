import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openEventStoreDatabases } from '../../src/adapters/lmdb/eventStoreDatabases.ts';
import { readAllEvents } from '../../src/adapters/lmdb/readEvents.ts';
import { encodeStoredEvent, serializeEvent } from '../../src/adapters/lmdb/storedEvent.ts';

/**
 * Appends are written while earlier ones are still in flight: `$all` reads stop at the last
 * sequence reported durable, so nothing a failed commit could take back is ever read.
 */
test('$all reads forwards and backwards stop at the durable sequence', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'lmdb-durable-reads-'));
  const databases = openEventStoreDatabases(directory);
  try {
    for (let sequence = 1; sequence <= 5; sequence++) {
      const event = serializeEvent({ id: `event-${sequence}`, type: 'Tested', data: { sequence }, metadata: {} });
      await databases.log.put(sequence, encodeStoredEvent('"s"', sequence - 1, '2024-01-01T00:00:00.000Z', event));
    }
    const ids = (events: { id: string }[]) => events.map((event) => event.id);
    assert.equal(ids(readAllEvents(databases, {}, 3)), ['event-1', 'event-2', 'event-3']);
    assert.equal(ids(readAllEvents(databases, { direction: 'backwards' }, 3)), ['event-3', 'event-2', 'event-1']);
    assert.equal(ids(readAllEvents(databases, {}, 5)), ['event-1', 'event-2', 'event-3', 'event-4', 'event-5']);
    assert.equal(readAllEvents(databases, {}, 0), []);
  } finally {
    await databases.close();
    await rm(directory, { recursive: true, force: true });
  }
});

test.run();
