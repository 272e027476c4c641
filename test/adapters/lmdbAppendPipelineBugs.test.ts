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
import { createStreamIndex, type StreamIndex } from '../../src/adapters/lmdb/streamIndex.ts';
import type { AppendResult } from '../../src/ports/eventStore.ts';
import { controlledLog, outcomes } from '../support/controlledLog.ts';
import { switchableDisk } from '../support/switchableDisk.ts';

/**
 * An error of ours (not an AppError refusal) while an append is checked or answered: the append
 * gets that error, nothing of it is written, and no other append is left pending or checked
 * against an index that may hold part of it.
 */

interface Context {
  directory: string;
  databases: EventStoreDatabases;
  control: ReturnType<typeof controlledLog>;
  /** The next `add` of this stream and revision to the stream index throws `indexBug`. */
  failIndexAdd: (streamName: string, revision: number) => void;
  /** The next commit notification throws `listenerBug`. */
  failNextNotification: () => void;
  pipeline: AppendPipeline;
}

const indexBug = new TypeError('index bug');
const listenerBug = new TypeError('listener bug');

const test = suite<Context>('lmdb append pipeline: bugs');
test.before.each(async (context) => {
  context.directory = await mkdtemp(join(tmpdir(), 'lmdb-append-bugs-'));
  context.databases = openEventStoreDatabases(context.directory);
  context.control = controlledLog(context.databases);
  const real = createStreamIndex(context.databases, 8192, switchableDisk());
  let failingAdd: { streamName: string; revision: number } | undefined;
  context.failIndexAdd = (streamName, revision) => (failingAdd = { streamName, revision });
  const streamIndex: StreamIndex = {
    ...real,
    add(streamName, revision, sequence) {
      if (failingAdd?.streamName === streamName && failingAdd.revision === revision) {
        failingAdd = undefined;
        throw indexBug;
      }
      real.add(streamName, revision, sequence);
    },
  };
  let failNotification = false;
  context.failNextNotification = () => (failNotification = true);
  const onCommitted = () => {
    if (!failNotification) return;
    failNotification = false;
    throw listenerBug;
  };
  const appendContext = { databases: context.control.databases, streamIndex, recentEventIds: createRecentEventIds(100), now: () => new Date(), space: switchableDisk() };
  context.pipeline = createAppendPipeline(appendContext, onCommitted);
});
test.after.each(async ({ directory, databases, control, pipeline }) => {
  control.releaseHeld();
  await pipeline.settled();
  await databases.close();
  await rm(directory, { recursive: true, force: true });
});

function request(streamName: string, eventCount = 1): AppendRequest {
  const events = Array.from({ length: eventCount }, () => serializeEvent({ id: randomUUID(), type: 'Tested', data: {}, metadata: {} }));
  return { streamName, streamNameJson: JSON.stringify(streamName), events, expectedRevision: 'no_stream' };
}

const logStreams = (databases: EventStoreDatabases) =>
  [...databases.log.getRange({})].map(({ key, value }) => decodeStoredEvent(value, key)).map((event) => `${event.streamName}@${event.revision}`);

function assertRejectedWith(outcome: PromiseSettledResult<AppendResult> | undefined, error: Error) {
  assert.ok(outcome?.status === 'rejected', 'the append is rejected');
  assert.is(outcome.reason, error);
}

test('an append whose check throws gets the error, writes nothing, and the appends after it are checked against the rebuilt index', async ({ databases, control, failIndexAdd, pipeline }) => {
  failIndexAdd('y', 1); // after `y@0` went into the index
  // One turn with nothing in flight: written in two halves, [x, y, z] and [p, q, r].
  const names = ['x', 'y', 'z', 'p', 'q', 'r'];
  const settled = await outcomes(names.map((name) => pipeline.append(request(name, name === 'y' ? 2 : 1))));
  assertRejectedWith(settled[1], indexBug);
  const others = settled.filter((_, index) => index !== 1);
  assert.equal(others.map((outcome) => outcome.status), ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled'], 'the others land');
  assert.equal(logStreams(databases).sort(), ['p@0', 'q@0', 'r@0', 'x@0', 'z@0']);
  assert.is(control.refusedWrites(), 0, 'no write went out behind the entry `y` left in the index');
});

test('an error after the commit rejects the appends of the group instead of leaving them pending', async ({ databases, failNextNotification, pipeline }) => {
  failNextNotification();
  const [a] = await outcomes([pipeline.append(request('a'))]);
  assertRejectedWith(a, listenerBug);
  assert.equal(logStreams(databases), ['a@0'], 'the events were committed before the error');
  assert.is((await pipeline.append(request('b'))).nextExpectedRevision, 0, 'later appends are answered');
});

test.run();
