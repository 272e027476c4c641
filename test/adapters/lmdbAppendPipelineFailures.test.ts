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
import { UnavailableError } from '../../src/errors/appError.ts';
import type { AppendResult, ExpectedRevision } from '../../src/ports/eventStore.ts';
import { controlledLog, eventually, outcomes } from '../support/controlledLog.ts';
import { switchableDisk } from '../support/switchableDisk.ts';

interface Context {
  directory: string;
  databases: EventStoreDatabases;
  control: ReturnType<typeof controlledLog>;
  pipeline: AppendPipeline;
}

const test = suite<Context>('lmdb append pipeline: failed commits');
test.before.each(async (context) => {
  context.directory = await mkdtemp(join(tmpdir(), 'lmdb-append-failures-'));
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

function request(streamName: string, expectedRevision: ExpectedRevision): AppendRequest {
  const event = serializeEvent({ id: randomUUID(), type: 'Tested', data: {}, metadata: {} });
  return { streamName, streamNameJson: JSON.stringify(streamName), events: [event], expectedRevision };
}

/** Appends, with the rejection handled now: the test looks at it once the others settled. */
function issue(pipeline: AppendPipeline, append: AppendRequest): Promise<AppendResult> {
  const result = pipeline.append(append);
  result.catch(() => {});
  return result;
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const commitFailure = () => new Error('MDB_MAP_FULL');

/** The log as [stream, revision, event id] of each entry. */
const logEntries = (databases: EventStoreDatabases) =>
  [...databases.log.getRange({})].map(({ key, value }) => decodeStoredEvent(value, key)).map((event) => [event.streamName, event.revision, event.id]);

const idOf = (append: AppendRequest) => append.events[0]!.id;

function assertFailedCommit(outcome: PromiseSettledResult<AppendResult> | undefined, cause: Error | undefined) {
  assert.ok(outcome?.status === 'rejected', 'the append is rejected');
  assert.instance(outcome.reason, UnavailableError);
  assert.is(outcome.reason.code, 'UNAVAILABLE');
  assert.is(outcome.reason.message, 'Appending to the event store failed.');
  assert.is(outcome.reason.cause, cause);
}

test('an append that conflicts with an entry in flight lands once that entry\'s commit fails', async ({ databases, control, pipeline }) => {
  const held = control.holdNextWrite();
  const first = request('s', 'no_stream');
  const firstAppend = issue(pipeline, first);
  await eventually(() => held.issued);
  const second = request('s', 'no_stream');
  const secondAppend = issue(pipeline, second);
  await nextTurn();
  const failure = commitFailure();
  held.fail(failure);

  const [failed, landed] = await outcomes([firstAppend, secondAppend]);
  assertFailedCommit(failed, failure);
  assert.ok(landed?.status === 'fulfilled', `the second append lands: ${landed?.status === 'rejected' ? String(landed.reason) : ''}`);
  assert.is(landed.value.nextExpectedRevision, 0);
  assert.equal(logEntries(databases), [['s', 0, idOf(second)]]);
});

test('an empty append refused for an entry in flight succeeds once that entry\'s commit fails', async ({ control, pipeline }) => {
  const held = control.holdNextWrite();
  const creation = issue(pipeline, request('s', 'no_stream'));
  await eventually(() => held.issued);
  const empty = issue(pipeline, { ...request('s', 'no_stream'), events: [] });
  await nextTurn();
  const failure = commitFailure();
  held.fail(failure);

  const [failed, answered] = await outcomes([creation, empty]);
  assertFailedCommit(failed, failure);
  assert.ok(answered?.status === 'fulfilled', `the empty append succeeds: ${answered?.status === 'rejected' ? String(answered.reason) : ''}`);
  assert.equal(answered.value, { nextExpectedRevision: -1, position: '0000000000000000' });
});

test('an append arriving while the index is rebuilt is checked against the rebuilt index', async ({ databases, control, pipeline }) => {
  const first = control.holdNextWrite();
  const failedAppend = issue(pipeline, request('a', 'no_stream'));
  await eventually(() => first.issued);
  const second = control.holdNextWrite();
  const behind = request('b', 'no_stream');
  const behindAppend = issue(pipeline, behind);
  await eventually(() => second.issued);
  const failure = commitFailure();
  first.fail(failure);
  await nextTurn();
  // The rebuild waits for the write still in flight; this append arrives meanwhile.
  const arriving = request('c', 'no_stream');
  const arrivingAppend = issue(pipeline, arriving);
  await nextTurn();
  second.release();

  const [failed, landedBehind, landedArriving] = await outcomes([failedAppend, behindAppend, arrivingAppend]);
  assertFailedCommit(failed, failure);
  assert.ok(landedBehind?.status === 'fulfilled' && landedArriving?.status === 'fulfilled', 'both later appends land');
  assert.is(landedArriving.value.nextExpectedRevision, 0);
  assert.equal(logEntries(databases).sort(), [['b', 0, idOf(behind)], ['c', 0, idOf(arriving)]]);
  assert.is(control.refusedWrites(), 1, 'only the write issued before the failure went out behind the failed entry');
  assert.equal(control.writesInFlightAtIssue(), [0, 1, 0, 1], '`b`, checked again after the arriving append, went out while that one committed');
});

test('a commit failing right after another fails the appends it carried and those checked behind it', async ({ databases, control, pipeline }) => {
  const first = control.holdNextWrite();
  const failedFirst = issue(pipeline, request('a', 'no_stream'));
  await eventually(() => first.issued);
  const retriedThenFailed = issue(pipeline, request('b', 'no_stream'));
  await nextTurn();
  const retriedBehindIt = issue(pipeline, request('c', 'no_stream'));
  await nextTurn();
  await control.realWritesSettled(); // `b` and `c` found `a` missing, and wait for the rebuild
  const second = control.holdNextWrite(); // `b`, checked again
  const firstFailure = commitFailure();
  first.fail(firstFailure);
  await eventually(() => second.issued);
  // `c`, checked again, goes out behind `b` without waiting for its commit, and finds `b` missing.
  await eventually(() => control.refusedWrites() === 3);
  const secondFailure = commitFailure();
  second.fail(secondFailure);

  const [a, b, c] = await outcomes([failedFirst, retriedThenFailed, retriedBehindIt]);
  assertFailedCommit(a, firstFailure);
  assertFailedCommit(b, secondFailure);
  assertFailedCommit(c, undefined);
  assert.equal(logEntries(databases), [], 'nothing landed');
  const after = request('c', 'no_stream');
  assert.is((await pipeline.append(after)).nextExpectedRevision, 0, 'the store takes appends again');
  assert.equal(logEntries(databases), [['c', 0, idOf(after)]]);
});

test.run();
