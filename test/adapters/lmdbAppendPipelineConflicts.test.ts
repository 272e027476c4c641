import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { AppendRequest } from '../../src/adapters/lmdb/appendEvents.ts';
import { createAppendPipeline, type AppendPipeline } from '../../src/adapters/lmdb/appendPipeline.ts';
import { openEventStoreDatabases, type EventStoreDatabases } from '../../src/adapters/lmdb/eventStoreDatabases.ts';
import { createRecentEventIds } from '../../src/adapters/lmdb/recentEventIds.ts';
import { decodeStoredEvent, serializeEvent } from '../../src/adapters/lmdb/storedEvent.ts';
import { createStreamIndex } from '../../src/adapters/lmdb/streamIndex.ts';
import { ConcurrencyError } from '../../src/errors/appError.ts';
import type { ExpectedRevision } from '../../src/ports/eventStore.ts';
import { outcomes } from '../support/controlledLog.ts';
import { switchableDisk } from '../support/switchableDisk.ts';

/**
 * A conflict is decided on what the stream holds when the append is checked. Only a conflict
 * with entries still in flight waits for them (their commit may fail); any other is refused at
 * once, whatever the appends after it in the same turn write.
 */

interface Context {
  directory: string;
  databases: EventStoreDatabases;
  pipeline: AppendPipeline;
}

const test = suite<Context>('lmdb append pipeline: conflicts');
test.before.each(async (context) => {
  context.directory = await mkdtemp(join(tmpdir(), 'lmdb-append-conflicts-'));
  context.databases = openEventStoreDatabases(context.directory);
  const streamIndex = createStreamIndex(context.databases, 8192, switchableDisk());
  context.pipeline = createAppendPipeline({ databases: context.databases, streamIndex, recentEventIds: createRecentEventIds(100), now: () => new Date(), space: switchableDisk() }, () => {});
});
test.after.each(async ({ directory, databases, pipeline }) => {
  await pipeline.settled();
  await databases.close();
  await rm(directory, { recursive: true, force: true });
});

function request(streamName: string, expectedRevision: ExpectedRevision): AppendRequest {
  const event = serializeEvent({ id: randomUUID(), type: 'Tested', data: {}, metadata: {} });
  return { streamName, streamNameJson: JSON.stringify(streamName), events: [event], expectedRevision };
}

test('a conflict with nothing in flight is refused at once, though a later append of the same turn makes the stream fit', async ({ databases, pipeline }) => {
  // Four appends in one turn: [early, creation] are checked together, then [p, q].
  const [early, creation, p, q] = await outcomes([
    pipeline.append(request('s', 0)),
    pipeline.append(request('s', 'no_stream')),
    pipeline.append(request('p', 'no_stream')),
    pipeline.append(request('q', 'no_stream')),
  ]);
  assert.ok(early?.status === 'rejected', 'the append expecting revision 0 of a missing stream is refused');
  assert.instance(early.reason, ConcurrencyError);
  assert.is(early.reason.message, 'Stream s is at no_stream, expected 0.');
  assert.ok(creation?.status === 'fulfilled' && p?.status === 'fulfilled' && q?.status === 'fulfilled');
  const log = [...databases.log.getRange({})].map(({ key, value }) => decodeStoredEvent(value, key)).map((event) => `${event.streamName}@${event.revision}`);
  assert.equal(log, ['s@0', 'p@0', 'q@0']);
});

test.run();
