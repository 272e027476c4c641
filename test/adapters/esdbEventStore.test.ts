import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openEsdbEventStore, type EsdbEventStore } from '../../src/adapters/esdb/esdbEventStore.ts';
import { AppError, UnavailableError } from '../../src/errors/appError.ts';
import { comparePositions, type Position } from '../../src/ports/eventStore.ts';
import { eventData, eventStoreContract, freshCategory, recordSubscription } from '../contracts/eventStoreContract.ts';
import { startEsdbStandIn, type EsdbStandIn } from '../support/esdbStandIn/esdbStandIn.ts';
import { eventually, rejectionOf } from '../support/esdbStandIn/standInSession.ts';

const MODES = [
  { name: 'BatchAppend advertised', batchAppend: true },
  { name: 'unary Append only', batchAppend: false },
] as const;

/** One stand-in per mode serves the whole contract suite (tests use fresh stream names); stopped by the last suite. */
const sharedStandIns = new Map<boolean, Promise<EsdbStandIn>>();
const sharedStandIn = (batchAppend: boolean): Promise<EsdbStandIn> => {
  let standIn = sharedStandIns.get(batchAppend);
  if (!standIn) sharedStandIns.set(batchAppend, (standIn = startEsdbStandIn({ batchAppend })));
  return standIn;
};

for (const mode of MODES) {
  eventStoreContract(`esdb, ${mode.name}`, async () => {
    const esdb = await sharedStandIn(mode.batchAppend);
    const store = await openEsdbEventStore({ connectionString: esdb.connectionString });
    return { store, cleanup: async () => {} };
  });
}

for (const mode of MODES) {
  interface Context {
    esdb: EsdbStandIn;
    stores: EsdbEventStore[];
    open: (options?: { checkpointInterval?: number; readRetryDelaysMs?: number[] }) => Promise<EsdbEventStore>;
  }
  const test = suite<Context>(`esdb event store, ${mode.name}`);
  test.before.each(async (context) => {
    context.esdb = await startEsdbStandIn({ batchAppend: mode.batchAppend });
    context.stores = [];
    context.open = async (options = {}) => {
      const store = await openEsdbEventStore({ connectionString: context.esdb.connectionString, ...options });
      context.stores.push(store);
      return store;
    };
  });
  test.after.each(async ({ esdb, stores }) => {
    for (const store of stores) await store.close();
    await esdb.stop();
  });

  test('positions are 32 hex digits in commit order and round-trip through reads and subscriptions', async ({ open }) => {
    const store = await open();
    const category = freshCategory();
    const positions: Position[] = [];
    for (let n = 0; n < 10; n++) {
      const events = n % 3 === 0 ? [eventData(), eventData()] : [eventData()];
      positions.push((await store.appendToStream(`${category}-${n % 4}`, events)).position);
    }
    assert.ok(positions.every((position) => /^[0-9a-f]{32}$/.test(position)));
    assert.equal([...positions].sort(), positions, 'string order is commit order');
    const log = await store.readAll();
    assert.equal(log.map((event) => event.position), [...log.map((event) => event.position)].sort(), '$all reads in position order');
    for (const position of positions) {
      const [atPosition] = await store.readAll({ fromPosition: position, maxCount: 1 });
      assert.is(atPosition?.position, position, 'readAll from a position starts at its event');
    }
    const subscription = recordSubscription(store.subscribeToAll({ fromPosition: positions[4], filter: { streamNamePrefixes: [`${category}-`] } }));
    try {
      await subscription.until(() => subscription.messages.some((m) => m.kind === 'caughtUp'), 'caughtUp');
      assert.equal(
        subscription.events().map((event) => event.position).filter((position) => positions.includes(position)),
        positions.slice(5),
      );
    } finally {
      subscription.unsubscribe();
    }
  });

  test('a long history arrives whole and in order before caughtUp', async ({ open }) => {
    const store = await open();
    const category = freshCategory();
    const history = Array.from({ length: 2000 }, () => eventData());
    for (let n = 0; n < history.length; n += 500) await store.appendToStream(`${category}-${n}`, history.slice(n, n + 500));
    const subscription = recordSubscription(store.subscribeToAll({ filter: { streamNamePrefixes: [`${category}-`] } }));
    try {
      await subscription.until(() => subscription.messages.some((m) => m.kind === 'caughtUp'), 'caughtUp');
      const kinds = subscription.withoutCheckpoints().map((m) => (m.kind === 'event' ? m.event.id : m.kind));
      assert.equal(kinds, [...history.map((event) => event.id), 'caughtUp']);
    } finally {
      subscription.unsubscribe();
    }
  });

  test('a position this store never produced is refused', async ({ open }) => {
    const store = await open();
    for (const position of ['0000000000000001', 'C:123/P:123', 'G'.repeat(32)] as Position[]) {
      const error = await rejectionOf(store.readAll({ fromPosition: position }));
      assert.instance(error, AppError);
      assert.is(error.code, 'INVALID_POSITION');
      assert.is(error.status, 400);
      assert.is(error.message, `Not a position of the EventStoreDB event store: ${position}.`);
    }
    assert.throws(() => store.subscribeToAll({ fromPosition: 'nope' as Position }), (error: AppError) => error.code === 'INVALID_POSITION');
  });

  test('the log leaves out EventStoreDB system events', async ({ open, esdb }) => {
    const store = await open();
    const { position } = await store.appendToStream(`${freshCategory()}-1`, [eventData()]);
    const log = await store.readAll();
    assert.equal(log.map((event) => event.position), [position], 'the seeded $users events are not shown');
    assert.equal((await store.readAll({ direction: 'backwards', maxCount: 5 })).length, 1);
    assert.ok(esdb.calls.read > 0);
    const subscription = recordSubscription(store.subscribeToAll());
    try {
      await subscription.until(() => subscription.messages.some((m) => m.kind === 'caughtUp'), 'caughtUp');
      assert.equal(subscription.events().map((event) => event.position), [position]);
    } finally {
      subscription.unsubscribe();
    }
  });

  test('readAll with maxCount pages past system events', async ({ open, esdb }) => {
    const store = await open();
    const category = freshCategory();
    const appended: Position[] = [];
    for (let n = 0; n < 50; n++) appended.push((await store.appendToStream(`${category}-1`, [eventData()])).position);
    esdb.reset();
    for (let n = 0; n < 3; n++) appended.push((await store.appendToStream(`${category}-2`, [eventData()])).position);
    const kept = appended.slice(50);
    // After reset() the seeded system events sit before these three in the log.
    assert.equal((await store.readAll({ maxCount: 2 })).map((event) => event.position), kept.slice(0, 2));
    assert.equal((await store.readAll({ maxCount: 10 })).map((event) => event.position), kept);
    assert.equal((await store.readAll({ direction: 'backwards', maxCount: 10 })).map((event) => event.position), [...kept].reverse());
  });

  test('an append while the server is down rejects with UnavailableError, and works again after restart()', async ({ open, esdb }) => {
    const store = await open();
    const stream = `${freshCategory()}-1`;
    await store.appendToStream(stream, [eventData()], { expectedRevision: 'no_stream' });
    assert.ok(store.isConnected());
    await esdb.stop();
    const retried = eventData();
    const error = await rejectionOf(store.appendToStream(stream, [retried], { expectedRevision: 0 }));
    assert.instance(error, UnavailableError);
    assert.is(error.code, 'UNAVAILABLE');
    assert.is(error.message, 'EventStoreDB is unavailable.');
    assert.not.ok(store.isConnected());

    await esdb.restart();
    const result = await store.appendToStream(stream, [retried], { expectedRevision: 0 });
    assert.is(result.nextExpectedRevision, 1);
    assert.ok(store.isConnected());
    assert.equal((await store.readStream(stream)).map((event) => event.revision), [0, 1]);
    assert.equal(await store.appendToStream(stream, [retried], { expectedRevision: 0 }), result, 'a re-sent append is recognised');
  });

  test('a read while the server is down is retried, then rejects with UnavailableError', async ({ open, esdb }) => {
    const store = await open({ readRetryDelaysMs: [10, 10] });
    await esdb.stop();
    const before = esdb.calls.read;
    const error = await rejectionOf(store.readStream(`${freshCategory()}-1`));
    assert.instance(error, UnavailableError);
    assert.is(esdb.calls.read, before, 'nothing reached the stopped server');
    const restarting = new Promise((resolve) => setTimeout(resolve, 30)).then(() => esdb.restart());
    const slow = await open({ readRetryDelaysMs: [100, 200, 400] });
    assert.equal(await slow.readStream(`${freshCategory()}-1`), [], 'a read that spans the restart succeeds');
    await restarting;
  });

  test('a subscription fails with UnavailableError when the server stops, and a new one resumes after restart()', async ({ open, esdb }) => {
    const store = await open();
    const category = freshCategory();
    await store.appendToStream(`${category}-1`, [eventData()]);
    const first = recordSubscription(store.subscribeToAll({ filter: { streamNamePrefixes: [`${category}-`] } }));
    await first.until(() => first.messages.some((m) => m.kind === 'caughtUp'), 'caughtUp');
    const lastSeen = first.events().at(-1)?.position;
    await esdb.stop();
    const failure = await rejectionOf(first.until(() => false, 'the failure'));
    assert.instance(failure, UnavailableError);
    assert.is(esdb.openStreams, 0);

    await esdb.restart();
    const next = eventData();
    await store.appendToStream(`${category}-1`, [next]);
    const second = recordSubscription(store.subscribeToAll({ fromPosition: lastSeen, filter: { streamNamePrefixes: [`${category}-`] } }));
    try {
      await second.until(() => second.events().length === 1 && second.messages.some((m) => m.kind === 'caughtUp'), 'the new event');
      assert.is(second.events()[0]?.id, next.id);
    } finally {
      second.unsubscribe();
    }
  });

  test('unsubscribing and closing release every gRPC stream', async ({ open, esdb }) => {
    const store = await open();
    await store.appendToStream(`${freshCategory()}-1`, [eventData()]);
    const subscriptions = [recordSubscription(store.subscribeToAll()), recordSubscription(store.subscribeToAll())];
    for (const subscription of subscriptions) await subscription.until(() => subscription.messages.some((m) => m.kind === 'caughtUp'), 'caughtUp');
    subscriptions[0]?.unsubscribe();
    let completed = false;
    store.subscribeToAll().subscribe({ complete: () => (completed = true) });
    await store.close();
    assert.ok(completed, 'close() completes open subscriptions');
    await eventually(() => esdb.openStreams === 0);
    const error = await rejectionOf(store.readAll());
    assert.instance(error, UnavailableError);
    assert.is(error.message, 'The event store is closed.');
  });

  test('a filtered subscription reports checkpoints as positions of this store', async ({ open }) => {
    const store = await open({ checkpointInterval: 1 });
    const [wanted, other] = [freshCategory(), freshCategory()];
    for (let n = 0; n < 70; n++) await store.appendToStream(`${other}-1`, [eventData()]);
    const event = await store.appendToStream(`${wanted}-1`, [eventData()]);
    const subscription = recordSubscription(store.subscribeToAll({ filter: { streamNamePrefixes: [`${wanted}-`] } }));
    try {
      await subscription.until(() => subscription.messages.some((m) => m.kind === 'caughtUp'), 'caughtUp');
      const checkpoints = subscription.messages.flatMap((m) => (m.kind === 'checkpoint' ? [m.position] : []));
      assert.ok(checkpoints.length >= 2, `checkpoints every 32 scanned events (got ${checkpoints.length})`);
      assert.ok(checkpoints.every((position) => /^[0-9a-f]{32}$/.test(position)));
      assert.ok(comparePositions(checkpoints[0], event.position) < 0, 'the first checkpoint comes before the event');
    } finally {
      subscription.unsubscribe();
    }
  });

  test('event data and metadata round-trip as JSON; undefined metadata reads as null', async ({ open }) => {
    const store = await open();
    const stream = `${freshCategory()}-1`;
    const data = { text: 'quote " backslash \\ line\nunicode ✓ \u2028', list: [1, null, true], empty: {} };
    await store.appendToStream(stream, [{ ...eventData(), data, metadata: undefined }]);
    const [event] = await store.readStream(stream);
    assert.equal(event?.data, data);
    assert.is(event?.metadata, null);
  });

  test('an empty append to a missing stream answers revision -1 at the start of the log', async ({ open }) => {
    const store = await open();
    const stream = `${freshCategory()}-1`;
    for (const expectedRevision of ['no_stream', 'any'] as const) {
      assert.equal(await store.appendToStream(stream, [], { expectedRevision }), {
        nextExpectedRevision: -1,
        position: '0'.repeat(32),
      });
    }
    assert.equal(await store.readStream(stream), []);
  });

  test('ids that are not UUIDs and $-names are refused before anything is sent', async ({ open, esdb }) => {
    const store = await open();
    const before = { append: esdb.calls.append, batchAppend: esdb.calls.batchAppend };
    const cases: Array<[() => Promise<unknown>, string]> = [
      [() => store.appendToStream('settings', [{ ...eventData(), id: 'not-a-uuid' }]), 'Event id must be a UUID.'],
      [() => store.appendToStream('settings', [eventData('$metadata')]), 'Event type must be a non-empty string that does not start with $.'],
      [() => store.appendToStream('$settings', [eventData()]), 'Stream names starting with $ belong to EventStoreDB.'],
      [() => store.appendToStream('settings', [eventData()], { expectedRevision: -2 }), 'Not an expected revision: -2.'],
    ];
    for (const [call, message] of cases) {
      const error = await rejectionOf(call());
      assert.instance(error, AppError);
      assert.is(error.code, 'INVALID_ARGUMENT');
      assert.is(error.message, message);
    }
    assert.equal({ append: esdb.calls.append, batchAppend: esdb.calls.batchAppend }, before);
  });

  test.run();
}

const lifecycle = suite('esdb event store: options');

lifecycle('throwOnAppendFailure=false and bad options are refused', async () => {
  for (const [options, message] of [
    [{ connectionString: 'esdb://127.0.0.1:2113?tls=false&throwOnAppendFailure=false' }, 'throwOnAppendFailure=false is not supported: the driver misreports conflicts with it.'],
    [{ connectionString: 'esdb://127.0.0.1:2113?tls=false', checkpointInterval: 0 }, 'checkpointInterval must be a positive integer.'],
    [{ connectionString: 'http://nowhere' }, 'Not a usable EventStoreDB connection string.'],
  ] as const) {
    const error = await rejectionOf(openEsdbEventStore(options));
    assert.instance(error, AppError);
    assert.is(error.code, 'INVALID_ARGUMENT');
    assert.is(error.message, message);
  }
});

lifecycle.after(async () => {
  for (const standIn of sharedStandIns.values()) await (await standIn).stop();
});

lifecycle.run();
