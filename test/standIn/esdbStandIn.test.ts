import {
  BACKWARDS,
  END,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AppendResult,
  type EventStoreDBClient,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { collect, eventually, rejectionOf, withStandIn } from '../support/esdbStandIn/standInSession.ts';
import { subscriptionRecorder, type Seen } from '../support/esdbStandIn/subscriptionRecorder.ts';

const event = (type: string, data: Record<string, unknown> = {}) => jsonEvent({ type, data });
const revisions = (events: ResolvedEvent[]) => events.map((resolved) => resolved.event?.revision);
const streams = (events: ResolvedEvent[]) => events.map((resolved) => resolved.event?.streamId);
const commits = (seen: Seen[]) => seen.flatMap((item) => (item.kind === 'checkpoint' ? [item.commit] : []));
const versions = (error: Error & Record<string, unknown>) => ({
  type: error.type,
  streamName: error.streamName,
  expectedVersion: error.expectedVersion,
  actualVersion: error.actualVersion,
});

async function appendNoise(client: EventStoreDBClient, count: number): Promise<void> {
  await client.appendToStream('noise-1', Array.from({ length: count }, () => event('NoiseMade')));
}

for (const mode of [{ name: 'BatchAppend advertised', batchAppend: true }, { name: 'unary Append only', batchAppend: false }]) {
  const test = suite(`esdb stand-in: ${mode.name}`);
  const run = (body: Parameters<typeof withStandIn>[1], connectionOptions?: string) =>
    withStandIn({ batchAppend: mode.batchAppend, connectionOptions }, body);

  test(`the client appends through ${mode.batchAppend ? 'BatchAppend' : 'unary Append'}`, () =>
    run(async (esdb, client) => {
      await client.appendToStream('order-1', event('OrderPlaced'));
      await client.appendToStream('order-1', event('OrderPaid'));
      const { getSupportedMethods, batchAppend, append } = esdb.calls;
      const expected = mode.batchAppend
        ? { getSupportedMethods: 1, batchAppend: 1, append: 0 }
        : { getSupportedMethods: 0, batchAppend: 0, append: 2 };
      assert.equal({ getSupportedMethods, batchAppend, append }, expected);
    }));

  test('appends succeed with no_stream, an exact revision, stream_exists and any', () =>
    run(async (_esdb, client) => {
      const created = await client.appendToStream('order-1', [event('A'), event('B')], { expectedRevision: 'no_stream' });
      const exact = await client.appendToStream('order-1', event('C'), { expectedRevision: 1n });
      const exists = await client.appendToStream('order-1', event('D'), { expectedRevision: 'stream_exists' });
      const any = await client.appendToStream('order-1', event('E'), { expectedRevision: 'any' });
      const results: AppendResult[] = [created, exact, exists, any];
      assert.equal(results.map((result) => result.nextExpectedRevision), [1n, 2n, 3n, 4n]);
      const positions = results.map((result) => result.position!);
      assert.ok(positions.every((position) => position.commit === position.prepare));
      assert.ok(positions.every((position, index) => index === 0 || position.commit > positions[index - 1]!.commit), 'positions grow');
      const read = await collect(client.readStream('order-1'));
      assert.equal(read.map((resolved) => resolved.event?.type), ['A', 'B', 'C', 'D', 'E']);
      assert.equal(read[1]!.event!.position, created.position, 'an append answers the position of its last event');
    }));

  test('a wrong expected revision fails with WrongExpectedVersionError carrying both versions', () =>
    run(async (_esdb, client) => {
      const attempt = (expectedRevision: 'no_stream' | 'stream_exists' | bigint) =>
        rejectionOf(client.appendToStream('order-2', event('X'), { expectedRevision }));
      const beforeCreation = [await attempt('stream_exists'), await attempt(0n)];
      await client.appendToStream('order-2', [event('A'), event('B')], { expectedRevision: 'no_stream' });
      const afterCreation = [await attempt('no_stream'), await attempt(0n), await attempt(7n)];
      for (const error of [...beforeCreation, ...afterCreation]) assert.instance(error, WrongExpectedVersionError);
      assert.equal([...beforeCreation, ...afterCreation].map(versions), [
        { type: 'wrong-expected-version', streamName: 'order-2', expectedVersion: 'stream_exists', actualVersion: 'no_stream' },
        { type: 'wrong-expected-version', streamName: 'order-2', expectedVersion: 0n, actualVersion: 'no_stream' },
        { type: 'wrong-expected-version', streamName: 'order-2', expectedVersion: 'no_stream', actualVersion: 1n },
        { type: 'wrong-expected-version', streamName: 'order-2', expectedVersion: 0n, actualVersion: 1n },
        { type: 'wrong-expected-version', streamName: 'order-2', expectedVersion: 7n, actualVersion: 1n },
      ]);
      assert.equal(revisions(await collect(client.readStream('order-2'))), [0n, 1n], 'nothing was written');
    }));

  test('re-appending the same event ids at the same expected revision returns the original result without writing', () =>
    run(async (_esdb, client) => {
      const batch = [event('A'), event('B')];
      const original = await client.appendToStream('order-3', batch, { expectedRevision: 'no_stream' });
      const next = event('C');
      const third = await client.appendToStream('order-3', next, { expectedRevision: 1n });
      assert.equal(await client.appendToStream('order-3', batch, { expectedRevision: 'no_stream' }), original);
      assert.equal(await client.appendToStream('order-3', next, { expectedRevision: 1n }), third);
      assert.equal(await client.appendToStream('order-3', batch, { expectedRevision: 'any' }), original, 'any dedupes recent ids');
      const overlapping = await rejectionOf(client.appendToStream('order-3', [batch[0]!, event('D')], { expectedRevision: 'no_stream' }));
      assert.instance(overlapping, WrongExpectedVersionError);
      assert.equal(revisions(await collect(client.readStream('order-3'))), [0n, 1n, 2n]);
    }));

  test('reading a missing stream fails with StreamNotFoundError', () =>
    run(async (_esdb, client) => {
      const error = await rejectionOf(collect(client.readStream('order-404')));
      assert.instance(error, StreamNotFoundError);
      assert.equal({ type: error.type, streamName: error.streamName }, { type: 'stream-not-found', streamName: 'order-404' });
    }));

  test('readStream reads forwards and backwards from the start, the end or a revision, up to maxCount', () =>
    run(async (_esdb, client) => {
      await client.appendToStream('order-4', [0, 1, 2, 3, 4].map((n) => jsonEvent({ type: 'Step', data: { n }, metadata: { actor: 'erp' } })));
      const read = (options: Parameters<EventStoreDBClient['readStream']>[1]) => collect(client.readStream('order-4', options)).then(revisions);
      assert.equal(await read({}), [0n, 1n, 2n, 3n, 4n]);
      assert.equal(await read({ fromRevision: 2n }), [2n, 3n, 4n]);
      assert.equal(await read({ maxCount: 2 }), [0n, 1n]);
      assert.equal(await read({ fromRevision: END }), []);
      assert.equal(await read({ direction: BACKWARDS, fromRevision: END }), [4n, 3n, 2n, 1n, 0n]);
      assert.equal(await read({ direction: BACKWARDS, fromRevision: 2n }), [2n, 1n, 0n]);
      assert.equal(await read({ direction: BACKWARDS, fromRevision: END, maxCount: 2 }), [4n, 3n]);
      const [first] = await collect(client.readStream('order-4', { maxCount: 1 }));
      const recorded = first!.event!;
      const { type, data, metadata, isJson } = recorded;
      assert.equal({ type, data, metadata, isJson }, { type: 'Step', data: { n: 0 }, metadata: { actor: 'erp' }, isJson: true });
      assert.ok(Math.abs(recorded.created.getTime() - Date.now()) < 5_000, 'created is .NET ticks since the Unix epoch');
      assert.match(recorded.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }));

  test('readAll holds the system events and reads forwards from a position inclusively, backwards exclusively', () =>
    run(async (_esdb, client) => {
      await client.appendToStream('order-5', [event('A'), event('B'), event('C')]);
      const all = await collect(client.readAll());
      assert.equal(streams(all), ['$user-admin', '$users', 'order-5', 'order-5', 'order-5']);
      assert.ok(all.slice(0, 2).every((resolved) => resolved.event!.type.startsWith('$')));
      const position = all[3]!.event!.position!;
      assert.equal(revisions(await collect(client.readAll({ fromPosition: position }))), [1n, 2n]);
      assert.equal(revisions(await collect(client.readAll({ fromPosition: position, direction: BACKWARDS }))).length, 3);
      assert.equal(streams(await collect(client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 2 }))), ['order-5', 'order-5']);
      assert.equal(await collect(client.readAll({ fromPosition: END })), []);
      assert.equal(await collect(client.readAll({ direction: BACKWARDS, fromPosition: START })), []);
    }));

  test('subscribeToStream sends history after the revision, then caughtUp, then live events', () =>
    run(async (esdb, client) => {
      await client.appendToStream('order-6', [event('A'), event('B'), event('C')]);
      const recorder = subscriptionRecorder();
      const subscription = client.subscribeToStream('order-6', { fromRevision: 0n });
      recorder.attach(subscription);
      await recorder.until((seen) => seen.some((item) => item.kind === 'caughtUp'));
      await client.appendToStream('order-7', event('Elsewhere'));
      await client.appendToStream('order-6', event('D'));
      await recorder.until((seen) => seen.length === 5);
      assert.equal(recorder.summary(), ['confirmation', 'event:order-6@1', 'event:order-6@2', 'caughtUp', 'event:order-6@3']);
      await subscription.unsubscribe();
      await eventually(() => esdb.openStreams === (mode.batchAppend ? 1 : 0));
    }));

  test('subscribeToAll sends events strictly after the position, system events included, then caughtUp and live', () =>
    run(async (_esdb, client) => {
      const { position } = await client.appendToStream('order-8', event('A'));
      await client.appendToStream('order-8', event('B'));
      const fromStart = subscriptionRecorder();
      fromStart.attach(client.subscribeToAll({ fromPosition: START }));
      const fromPosition = subscriptionRecorder();
      fromPosition.attach(client.subscribeToAll({ fromPosition: position! }));
      await fromPosition.until((seen) => seen.some((item) => item.kind === 'caughtUp'));
      await client.appendToStream('order-9', event('C'));
      await fromPosition.until((seen) => seen.length === 4);
      assert.equal(fromPosition.summary(), ['confirmation', 'event:order-8@1', 'caughtUp', 'event:order-9@0']);
      await fromStart.until((seen) => seen.length === 7);
      assert.equal(fromStart.summary().slice(1, 3), ['event:$user-admin@0', 'event:$users@0']);
    }));

  test('a stream-prefix filter sends matching events and a checkpoint every checkpointInterval × 32 scanned events', () =>
    run(async (_esdb, client) => {
      await appendNoise(client, 40);
      await client.appendToStream('order-10', [event('A'), event('B')]);
      const all = await collect(client.readAll());
      const recorder = subscriptionRecorder();
      const filter = streamNameFilter({ prefixes: ['order-'], checkpointInterval: 1, checkpointReached: recorder.checkpointReached });
      recorder.attach(client.subscribeToAll({ fromPosition: START, filter }));
      await recorder.until((seen) => seen.some((item) => item.kind === 'caughtUp'));
      assert.equal(recorder.summary(), ['confirmation', 'checkpoint', 'event:order-10@0', 'event:order-10@1', 'checkpoint', 'caughtUp']);
      const scannedCommit = (index: number) => all[index]!.event!.position!.commit;
      assert.equal(commits(recorder.seen), [scannedCommit(31), scannedCommit(43)], 'the 32nd scanned event, then the last one');
      await appendNoise(client, 32);
      await client.appendToStream('order-10', event('C'));
      await recorder.until((seen) => seen.length === 8);
      assert.equal(recorder.summary().slice(6), ['checkpoint', 'event:order-10@2']);
    }));

  test('excludeSystemEvents and event-type filters skip the $-typed events', () =>
    run(async (_esdb, client) => {
      await client.appendToStream('order-11', [event('OrderPlaced'), event('OrderPaid'), event('Audited')]);
      const noSystem = subscriptionRecorder();
      noSystem.attach(client.subscribeToAll({ fromPosition: START, filter: excludeSystemEvents() }));
      const byTypePrefix = subscriptionRecorder();
      byTypePrefix.attach(client.subscribeToAll({ fromPosition: START, filter: eventTypeFilter({ prefixes: ['Order'] }) }));
      const byTypeRegex = subscriptionRecorder();
      byTypeRegex.attach(client.subscribeToAll({ fromPosition: START, filter: eventTypeFilter({ regex: 'Paid$' }) }));
      const caughtUp = (seen: Seen[]) => seen.some((item) => item.kind === 'caughtUp');
      await Promise.all([noSystem.until(caughtUp), byTypePrefix.until(caughtUp), byTypeRegex.until(caughtUp)]);
      const types = (seen: Seen[]) => seen.flatMap((item) => (item.kind === 'event' ? [item.type] : []));
      assert.equal(types(noSystem.seen), ['OrderPlaced', 'OrderPaid', 'Audited']);
      assert.equal(types(byTypePrefix.seen), ['OrderPlaced', 'OrderPaid']);
      assert.equal(types(byTypeRegex.seen), ['OrderPaid']);
    }));

  test('deleteStream soft-deletes: reads find no stream and the next append continues the revisions', () =>
    run(async (_esdb, client) => {
      await client.appendToStream('order-12', [event('A'), event('B')]);
      const conflict = await rejectionOf(client.deleteStream('order-12', { expectedRevision: 5n }));
      assert.instance(conflict, WrongExpectedVersionError);
      assert.equal(versions(conflict), { type: 'wrong-expected-version', streamName: 'order-12', expectedVersion: 5n, actualVersion: 1n });
      const deleted = await client.deleteStream('order-12', { expectedRevision: 1n });
      assert.ok(deleted.position);
      assert.instance(await rejectionOf(collect(client.readStream('order-12'))), StreamNotFoundError);
      assert.is((await client.appendToStream('order-12', event('C'), { expectedRevision: 'no_stream' })).nextExpectedRevision, 2n);
      assert.equal(revisions(await collect(client.readStream('order-12'))), [2n]);
      // Reads by revision of a recreated stream see only what follows the delete.
      await client.appendToStream('order-12', event('D'));
      const read = (options: Parameters<EventStoreDBClient['readStream']>[1]) => collect(client.readStream('order-12', options)).then(revisions);
      assert.equal(await read({ fromRevision: 0n }), [2n, 3n]);
      assert.equal(await read({ fromRevision: 3n }), [3n]);
      assert.equal(await read({ fromRevision: 4n }), []);
      assert.equal(await read({ direction: BACKWARDS, fromRevision: 2n }), [2n]);
      assert.equal(await read({ direction: BACKWARDS, fromRevision: 1n }), []);
      assert.equal(await read({ direction: BACKWARDS, fromRevision: END, maxCount: 1 }), [3n]);
      const metadataEvents = (await collect(client.readAll())).filter((resolved) => resolved.event?.streamId === '$$order-12');
      assert.equal(metadataEvents.map((resolved) => resolved.event?.type), ['$metadata', '$metadata']);
    }));

  test('stream metadata: $maxAge hides older events from stream reads, not from $all; the metadata reads back', () =>
    run(async (_esdb, client) => {
      await client.appendToStream('session-1', [event('A'), event('B')]);
      await client.setStreamMetadata('session-1', { maxAge: 1 });
      assert.equal((await client.getStreamMetadata('session-1')).metadata, { maxAge: 1 });
      assert.equal(revisions(await collect(client.readStream('session-1'))), [0n, 1n]);
      let expired = false;
      while (!expired) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        expired = (await collect(client.readStream('session-1'))).length === 0;
      }
      const inAll = (await collect(client.readAll())).filter((resolved) => resolved.event?.streamId === 'session-1');
      assert.is(inAll.length, 2, 'still in $all until a scavenge');
      assert.is((await client.appendToStream('session-1', event('C'), { expectedRevision: 1n })).nextExpectedRevision, 2n);
      assert.equal(revisions(await collect(client.readStream('session-1', { direction: BACKWARDS, fromRevision: END }))), [2n]);
    }));

  test('tombstoneStream makes reads, appends and subscriptions fail with StreamDeletedError', () =>
    run(async (_esdb, client) => {
      await client.appendToStream('order-13', event('A'));
      const live = subscriptionRecorder();
      live.attach(client.subscribeToStream('order-13', { fromRevision: START }));
      await live.until((seen) => seen.some((item) => item.kind === 'caughtUp'));
      await client.tombstoneStream('order-13');
      await live.until((seen) => seen.some((item) => item.kind === 'error'));
      assert.equal(live.summary(), ['confirmation', 'event:order-13@0', 'caughtUp', 'event:order-13@9223372036854775807', 'error:stream-deleted']);
      const failures = [
        await rejectionOf(collect(client.readStream('order-13'))),
        await rejectionOf(client.appendToStream('order-13', event('B'))),
        await rejectionOf(client.tombstoneStream('order-13')),
      ];
      for (const error of failures) assert.instance(error, StreamDeletedError);
      assert.equal(failures.map((error) => error.streamName), ['order-13', 'order-13', 'order-13']);
    }));

  test('stop() fails subscriptions with UnavailableError; restart() serves the same data on the same port', () =>
    run(async (esdb, client) => {
      const { position } = await client.appendToStream('order-14', [event('A'), event('B')]);
      const before = subscriptionRecorder();
      before.attach(client.subscribeToAll({ fromPosition: START, filter: streamNameFilter({ prefixes: ['order-'] }) }));
      await before.until((seen) => seen.some((item) => item.kind === 'caughtUp'));
      await esdb.stop();
      await before.until((seen) => seen.some((item) => item.kind === 'error'));
      assert.instance(before.seen.find((item) => item.kind === 'error')?.error, UnavailableError);
      assert.is(esdb.openStreams, 0);
      const whileDown = await rejectionOf(client.appendToStream('order-14', event('Lost')));
      assert.is(whileDown.code, 14, 'UNAVAILABLE (a raw gRPC error: the client does not convert the ServerFeatures failure)');

      await esdb.restart();
      assert.equal(revisions(await collect(client.readStream('order-14'))), [0n, 1n]);
      const after = subscriptionRecorder();
      after.attach(client.subscribeToAll({ fromPosition: position!, filter: streamNameFilter({ prefixes: ['order-'] }) }));
      await client.appendToStream('order-14', event('C'), { expectedRevision: 1n });
      await after.until((seen) => seen.some((item) => item.kind === 'event'));
      assert.equal(after.summary().filter((item) => item.startsWith('event')), ['event:order-14@2']);
    }));

  test('with throwOnAppendFailure=false a wrong expected revision resolves unsuccessfully (BatchAppend misreports the revision)', () =>
    run(async (_esdb, client) => {
      await client.appendToStream('order-15', [event('A'), event('B'), event('C')]);
      const result = await client.appendToStream('order-15', event('D'), { expectedRevision: 0n });
      assert.equal(result, { success: false, nextExpectedRevision: mode.batchAppend ? 1n : 2n, position: undefined });
    }, '&throwOnAppendFailure=false'));

  test.run();
}

const shared = suite('esdb stand-in: lifecycle');

shared('reset() forgets every event but the seeded system ones', () =>
  withStandIn({}, async (esdb, client) => {
    await client.appendToStream('order-1', event('A'));
    esdb.reset();
    assert.equal(streams(await collect(client.readAll())), ['$user-admin', '$users']);
    assert.instance(await rejectionOf(collect(client.readStream('order-1'))), StreamNotFoundError);
  }));

shared('seedSystemEvents: false starts with an empty $all', () =>
  withStandIn({ seedSystemEvents: false }, async (_esdb, client) => {
    assert.equal(await collect(client.readAll()), []);
  }));

shared.run();
