import * as assert from 'uvu/assert';
import { comparePositions, type Position, type RecordedEvent } from '../../../src/ports/eventStore.ts';
import { eventData, freshCategory, ids, ISO_8601, type EventStoreContractTest } from './contractSupport.ts';

/** Reading one stream and the global log (`$all`). */
export function readContract(test: EventStoreContractTest): void {
  test('a recorded event carries what was appended and where it went', async ({ store }) => {
    const stream = `${freshCategory()}-1`;
    const event = eventData('ImageUploaded', { key: 'media/1.jpg', width: 10, tags: ['a'], nested: { ok: true } });
    const result = await store.appendToStream(stream, [event], { expectedRevision: 'no_stream' });
    const [recorded] = await store.readStream(stream);
    assert.ok(recorded);
    assert.is(recorded.streamName, stream);
    assert.is(recorded.revision, 0);
    assert.is(recorded.id, event.id);
    assert.is(recorded.type, 'ImageUploaded');
    assert.equal(recorded.data, event.data);
    assert.equal(recorded.metadata, event.metadata);
    assert.is(recorded.position, result.position);
    assert.match(recorded.created, ISO_8601);
  });

  test('an engine that tells its head (headPosition) tells the last event of $all, right after each append', async ({ store }) => {
    if (store.headPosition === undefined) return; // optional: EventStoreDB has no local head
    for (let round = 0; round < 3; round++) {
      const result = await store.appendToStream(`${freshCategory()}-1`, [eventData(), eventData()], { expectedRevision: 'no_stream' });
      assert.is(store.headPosition(), result.position);
      const [last] = await store.readAll({ direction: 'backwards', maxCount: 1 });
      assert.is(store.headPosition(), last!.position);
    }
  });

  test('a stream reads forwards from the start, or from an inclusive revision with maxCount', async ({ store }) => {
    const stream = `${freshCategory()}-1`;
    const events = Array.from({ length: 5 }, () => eventData());
    await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
    assert.equal(ids(await store.readStream(stream)), ids(events));
    assert.equal(ids(await store.readStream(stream, { direction: 'forwards' })), ids(events));
    assert.equal(ids(await store.readStream(stream, { fromRevision: 2 })), ids(events.slice(2)));
    assert.equal(ids(await store.readStream(stream, { fromRevision: 1, maxCount: 2 })), ids(events.slice(1, 3)));
    assert.equal(await store.readStream(stream, { fromRevision: 5 }), []);
  });

  test('a stream reads backwards from the end, or from an inclusive revision with maxCount', async ({ store }) => {
    const stream = `${freshCategory()}-1`;
    const events = Array.from({ length: 5 }, () => eventData());
    await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
    const reversed = ids(events).reverse();
    assert.equal(ids(await store.readStream(stream, { direction: 'backwards' })), reversed);
    assert.equal(ids(await store.readStream(stream, { direction: 'backwards', maxCount: 2 })), reversed.slice(0, 2));
    assert.equal(ids(await store.readStream(stream, { direction: 'backwards', fromRevision: 2 })), reversed.slice(2));
    assert.equal(
      ids(await store.readStream(stream, { direction: 'backwards', fromRevision: 3, maxCount: 2 })),
      reversed.slice(1, 3),
    );
  });

  test('a missing stream reads as an empty list', async ({ store }) => {
    const stream = `${freshCategory()}-1`;
    assert.equal(await store.readStream(stream), []);
    assert.equal(await store.readStream(stream, { direction: 'backwards' }), []);
    assert.equal(await store.readStream(stream, { fromRevision: 3, maxCount: 2 }), []);
  });

  test('streams whose names extend one another stay apart', async ({ store }) => {
    const category = freshCategory();
    const names = [`${category}-1`, `${category}-10`, `${category}-1-a`, `${category}-2`];
    for (const name of names) await store.appendToStream(name, [eventData(), eventData()], { expectedRevision: 'no_stream' });
    for (const name of names) {
      const recorded = await store.readStream(name);
      assert.equal(recorded.map((event) => [event.streamName, event.revision]), [[name, 0], [name, 1]]);
      assert.is((await store.readStream(name, { direction: 'backwards' })).length, 2);
    }
  });

  // Reading $all

  test('positions are ordered as events were committed, across streams', async ({ store }) => {
    const category = freshCategory();
    const positions: Position[] = [];
    for (const n of [1, 2, 1, 3]) {
      positions.push((await store.appendToStream(`${category}-${n}`, [eventData()])).position);
    }
    for (let i = 1; i < positions.length; i++) {
      assert.ok(comparePositions(positions[i - 1], positions[i]) < 0, `position ${i} follows position ${i - 1}`);
      assert.type(positions[i], 'string');
    }
    assert.ok(comparePositions(undefined, positions[0]) < 0, 'the start sorts before every position');
  });

  test('the log reads forwards from an inclusive position', async ({ store }) => {
    const category = freshCategory();
    const mine = (events: RecordedEvent[]) => events.filter((event) => event.streamName.startsWith(`${category}-`));
    const events = [eventData(), eventData(), eventData()];
    for (const [n, event] of events.entries()) await store.appendToStream(`${category}-${n}`, [event]);
    const recorded = await store.readStream(`${category}-1`);
    const second = recorded[0]?.position;
    assert.equal(ids(await store.readAll({ fromPosition: second, maxCount: 1 })), [events[1]?.id]);
    assert.equal(ids(mine(await store.readAll({ fromPosition: second }))), ids(events.slice(1)));
    const first = (await store.readStream(`${category}-0`))[0]?.position;
    assert.equal(ids(mine(await store.readAll({ direction: 'forwards', fromPosition: first }))), ids(events));
  });

  test('the log reads backwards from before a position (exclusive, as EventStoreDB), or from the end', async ({ store }) => {
    const category = freshCategory();
    const mine = (events: RecordedEvent[]) => events.filter((event) => event.streamName.startsWith(`${category}-`));
    const events = [eventData(), eventData(), eventData()];
    for (const [n, event] of events.entries()) await store.appendToStream(`${category}-${n}`, [event]);
    const third = (await store.readStream(`${category}-2`))[0]?.position;
    assert.equal(ids(await store.readAll({ direction: 'backwards', fromPosition: third, maxCount: 1 })), [
      events[1]?.id,
    ]);
    assert.equal(
      ids(mine(await store.readAll({ direction: 'backwards', fromPosition: third, maxCount: 100 }))),
      ids(events.slice(0, 2)).reverse(),
    );
    assert.equal(
      ids(mine(await store.readAll({ direction: 'backwards', maxCount: 100 }))),
      ids(events).reverse(),
    );
  });
}
