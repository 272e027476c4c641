import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AppendRequest } from '../../src/adapters/lmdb/appendEvents.ts';
import { createAppendPipeline } from '../../src/adapters/lmdb/appendPipeline.ts';
import { openEventStoreDatabases, type EventStoreDatabases } from '../../src/adapters/lmdb/eventStoreDatabases.ts';
import { createRecentEventIds } from '../../src/adapters/lmdb/recentEventIds.ts';
import { decodeStoredEvent, serializeEvent } from '../../src/adapters/lmdb/storedEvent.ts';
import { switchableDisk } from '../support/switchableDisk.ts';
import { createStreamIndex } from '../../src/adapters/lmdb/streamIndex.ts';
import { ConcurrencyError, UnavailableError } from '../../src/errors/appError.ts';
import type { ExpectedRevision } from '../../src/ports/eventStore.ts';

function request(streamName: string, expectedRevision: ExpectedRevision): AppendRequest {
  const event = serializeEvent({ id: randomUUID(), type: 'Tested', data: { streamName }, metadata: {} });
  return { streamName, streamNameJson: JSON.stringify(streamName), events: [event], expectedRevision };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * The log as the pipeline sees it, except that the next conditional write, once armed, neither
 * writes nor settles until the test fails it: a commit that fails while later appends are in
 * flight. Every other write is LMDB's own, and is recorded.
 */
function logFailingOnce(databases: EventStoreDatabases) {
  const real = databases.log;
  const realWrites: Promise<boolean>[] = [];
  let failNext = false;
  let fail: (error: Error) => void = () => {};
  const conditional =
    (write: (...args: never[]) => Promise<boolean>) =>
    (...args: never[]): Promise<boolean> => {
      if (failNext) {
        failNext = false;
        return new Promise((_, reject) => (fail = reject));
      }
      const written = write.apply(real, args);
      realWrites.push(written);
      return written;
    };
  const log = Object.create(real) as typeof real;
  log.ifVersion = conditional(real.ifVersion as never) as typeof real.ifVersion;
  log.ifNoExists = conditional(real.ifNoExists as never) as typeof real.ifNoExists;
  return {
    log,
    armFailure: () => (failNext = true),
    failArmedWrite: (error: Error) => fail(error),
    realWritesSettled: () => Promise.allSettled(realWrites),
  };
}

test('a failed commit fails its appends; the appends in flight behind it are checked again against the log', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'lmdb-append-pipeline-'));
  const databases = openEventStoreDatabases(directory);
  try {
    const failing = logFailingOnce(databases);
    const streamIndex = createStreamIndex(databases, 8192, switchableDisk());
    const pipeline = createAppendPipeline(
      { databases: { ...databases, log: failing.log }, streamIndex, recentEventIds: createRecentEventIds(100), now: () => new Date(), space: switchableDisk() },
      () => {},
    );

    await pipeline.append(request('before', 'no_stream'));
    failing.armFailure();
    const failed = pipeline.append(request('a', 'no_stream'));
    await nextTurn();
    // Both were checked against `a` having landed: `b` only by its place in the log, `a` again by its revision.
    const unrelated = pipeline.append(request('b', 'no_stream'));
    await nextTurn();
    const dependent = pipeline.append(request('a', 0));
    await nextTurn();
    await failing.realWritesSettled();
    failing.failArmedWrite(new Error('MDB_MAP_FULL'));

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
