import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AppendRequest } from '../../src/adapters/lmdb/appendEvents.ts';
import { createAppendPipeline } from '../../src/adapters/lmdb/appendPipeline.ts';
import { openEventStoreDatabases } from '../../src/adapters/lmdb/eventStoreDatabases.ts';
import { createRecentEventIds } from '../../src/adapters/lmdb/recentEventIds.ts';
import { decodeStoredEvent, serializeEvent } from '../../src/adapters/lmdb/storedEvent.ts';
import { switchableDisk } from '../support/switchableDisk.ts';
import { createStreamIndex } from '../../src/adapters/lmdb/streamIndex.ts';
import { ConcurrencyError, UnavailableError } from '../../src/errors/appError.ts';
import type { ExpectedRevision } from '../../src/ports/eventStore.ts';
import { controlledLog } from '../support/controlledLog.ts';

function request(streamName: string, expectedRevision: ExpectedRevision): AppendRequest {
  const event = serializeEvent({ id: randomUUID(), type: 'Tested', data: { streamName }, metadata: {} });
  return { streamName, streamNameJson: JSON.stringify(streamName), events: [event], expectedRevision };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

test('a failed commit fails its appends; the appends in flight behind it are checked again against the log', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'lmdb-append-pipeline-'));
  const databases = openEventStoreDatabases(directory);
  try {
    const control = controlledLog(databases);
    const streamIndex = createStreamIndex(databases, 8192, switchableDisk());
    const pipeline = createAppendPipeline(
      { databases: control.databases, streamIndex, recentEventIds: createRecentEventIds(100), now: () => new Date(), space: switchableDisk() },
      () => {},
    );

    await pipeline.append(request('before', 'no_stream'));
    const held = control.holdNextWrite();
    const failed = pipeline.append(request('a', 'no_stream'));
    await nextTurn();
    // Both were checked against `a` having landed: `b` only by its place in the log, `a` again by its revision.
    const unrelated = pipeline.append(request('b', 'no_stream'));
    await nextTurn();
    const dependent = pipeline.append(request('a', 0));
    await nextTurn();
    await control.realWritesSettled();
    held.fail(new Error('MDB_MAP_FULL'));

    const [failure, landed, refusal] = await Promise.allSettled([failed, unrelated, dependent]);
    assert.ok(failure.status === 'rejected' && failure.reason instanceof UnavailableError, 'the failed commit rejects its append');
    assert.ok(landed.status === 'fulfilled', 'an unrelated append behind it lands');
    assert.is(landed.value.nextExpectedRevision, 0);
    assert.ok(refusal.status === 'rejected' && refusal.reason instanceof ConcurrencyError, 'an append that relied on it is a conflict');

    const log = [...databases.log.getRange({})].map(({ key, value }) => decodeStoredEvent(value, key));
    assert.equal(
      log.map((event) => [event.streamName, event.revision]),
      [['before', 0], ['b', 0]],
      'the log has no hole and nothing of the failed append',
    );
    assert.equal(streamIndex.read('a', { backwards: false, limit: 10 }), []);
    assert.is((await pipeline.append(request('a', 'no_stream'))).nextExpectedRevision, 0, 'the stream is writable again');
    await pipeline.settled();
  } finally {
    await databases.close();
    await rm(directory, { recursive: true, force: true });
  }
});

test.run();
