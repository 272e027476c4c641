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
import type { ExpectedRevision } from '../../src/ports/eventStore.ts';
import { controlledLog, eventually } from '../support/controlledLog.ts';
import { switchableDisk } from '../support/switchableDisk.ts';

/**
 * Appends do not wait for the commits before them: each group is checked and written while
 * earlier ones commit, and a burst with nothing in flight is written in two halves, a turn
 * apart, so that the second is checked while the first commits.
 */

interface Context {
  directory: string;
  databases: EventStoreDatabases;
  control: ReturnType<typeof controlledLog>;
  pipeline: AppendPipeline;
}

const test = suite<Context>('lmdb append pipeline: overlapping commits');
test.before.each(async (context) => {
  context.directory = await mkdtemp(join(tmpdir(), 'lmdb-append-overlap-'));
  context.databases = openEventStoreDatabases(context.directory);
  context.control = controlledLog(context.databases);
  const streamIndex = createStreamIndex(context.databases, 8192, switchableDisk());
  const appendContext = { databases: context.control.databases, streamIndex, recentEventIds: createRecentEventIds(100), now: () => new Date(), space: switchableDisk() };
  context.pipeline = createAppendPipeline(appendContext, () => {});
});
test.after.each(async ({ directory, databases, control, pipeline }) => {
  control.releaseHeld();
  await pipeline.settled();
  await databases.close();
  await rm(directory, { recursive: true, force: true });
});

function request(streamName: string, expectedRevision: ExpectedRevision = 'any', eventCount = 1): AppendRequest {
  const events = Array.from({ length: eventCount }, () => serializeEvent({ id: randomUUID(), type: 'Tested', data: {}, metadata: {} }));
  return { streamName, streamNameJson: JSON.stringify(streamName), events, expectedRevision };
}

const logStreams = (databases: EventStoreDatabases) => [...databases.log.getRange({})].map(({ key, value }) => decodeStoredEvent(value, key).streamName);

test('an append is written while the commit before it is under way', async ({ databases, control, pipeline }) => {
  const first = control.holdNextWrite();
  const a = pipeline.append(request('a'));
  await eventually(() => first.issued);
  const second = control.holdNextWrite();
  const b = pipeline.append(request('b'));
  await eventually(() => second.issued);
  first.release();
  second.release();
  await Promise.all([a, b]);
  assert.equal(logStreams(databases), ['a', 'b']);
});

test('an append that writes nothing holds up no later append', async ({ control, pipeline }) => {
  const first = control.holdNextWrite();
  const a = pipeline.append(request('a'));
  await eventually(() => first.issued);
  assert.equal(await pipeline.append({ ...request('x', 'any'), events: [] }), { nextExpectedRevision: -1, position: '0000000000000000' });
  const second = control.holdNextWrite();
  const b = pipeline.append(request('b'));
  await eventually(() => second.issued);
  first.release();
  second.release();
  await Promise.all([a, b]);
});

test('a burst with nothing in flight is written in two halves', async ({ databases, control, pipeline }) => {
  await Promise.all([pipeline.append(request('a', 'no_stream', 2)), pipeline.append(request('b', 'no_stream', 3))]);
  assert.is(control.writesIssued(), 2, 'one conditional write per half');
  assert.equal(logStreams(databases), ['a', 'a', 'b', 'b', 'b']);
});

test('a burst behind a commit under way is written at once, in one write', async ({ databases, control, pipeline }) => {
  const first = control.holdNextWrite();
  const a = pipeline.append(request('a'));
  await eventually(() => first.issued);
  const burstWrite = control.holdNextWrite();
  const burst = ['b', 'c', 'd'].map((name) => pipeline.append(request(name)));
  await eventually(() => burstWrite.issued);
  await new Promise((resolve) => setImmediate(resolve));
  assert.is(control.writesIssued(), 2, 'the burst went out in one write');
  first.release();
  burstWrite.release();
  await Promise.all([a, ...burst]);
  assert.equal(logStreams(databases), ['a', 'b', 'c', 'd']);
});

test('a lone append is one write', async ({ control, pipeline }) => {
  await pipeline.append(request('a', 'no_stream', 3));
  assert.is(control.writesIssued(), 1);
});

test.run();
