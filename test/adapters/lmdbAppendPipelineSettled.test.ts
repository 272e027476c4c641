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
import { serializeEvent } from '../../src/adapters/lmdb/storedEvent.ts';
import { createStreamIndex } from '../../src/adapters/lmdb/streamIndex.ts';
import { controlledLog, eventually } from '../support/controlledLog.ts';
import { switchableDisk } from '../support/switchableDisk.ts';

/**
 * `settled()`, what the store's `close()` waits for before it closes the files: every append
 * issued so far has answered when it resolves.
 */

interface Context {
  directory: string;
  databases: EventStoreDatabases;
  control: ReturnType<typeof controlledLog>;
  pipeline: AppendPipeline;
}

const test = suite<Context>('lmdb append pipeline: settled()');
test.before.each(async (context) => {
  context.directory = await mkdtemp(join(tmpdir(), 'lmdb-append-settled-'));
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

function request(streamName: string): AppendRequest {
  const event = serializeEvent({ id: randomUUID(), type: 'Tested', data: {}, metadata: {} });
  return { streamName, streamNameJson: JSON.stringify(streamName), events: [event], expectedRevision: 'any' };
}

/** Appends, recording the order in which appends and `settled()` answer. */
function recorder(pipeline: AppendPipeline) {
  const answers: string[] = [];
  return {
    answers,
    append: (name: string) => void pipeline.append(request(name)).then(() => answers.push(name), () => answers.push(`${name} failed`)),
    settled: () => pipeline.settled().then(() => void answers.push('settled')),
  };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

test('settled() resolves only after the appends in flight answered', async ({ control, pipeline }) => {
  const { answers, append, settled } = recorder(pipeline);
  const held = control.holdNextWrite();
  append('a');
  await eventually(() => held.issued);
  const allSettled = settled();
  await nextTurn();
  assert.equal(answers, [], 'nothing answers while the commit is under way');
  held.release();
  await allSettled;
  assert.equal(answers, ['a', 'settled']);
});

test('settled() includes the appends issued in the same turn', async ({ pipeline }) => {
  const { answers, append, settled } = recorder(pipeline);
  for (const name of ['a', 'b', 'c', 'd', 'e']) append(name);
  await settled();
  assert.equal(answers, ['a', 'b', 'c', 'd', 'e', 'settled']);
});

test.run();
