import * as assert from 'uvu/assert';
import { AppError, ConcurrencyError } from '../../../src/errors/appError.ts';
import type { ExpectedRevision } from '../../../src/ports/eventStore.ts';
import {
  eventData,
  freshCategory,
  ids,
  rejectsWithConflict,
  type EventStoreContractTest,
} from './contractSupport.ts';

/** Appending: expected revisions, atomic multi-event appends, idempotent retries. */
export function appendContract(test: EventStoreContractTest): void {
  test('an append with no_stream creates the stream at revision 0', async ({ store }) => {
    const stream = `${freshCategory()}-1`;
    const result = await store.appendToStream(stream, [eventData()], { expectedRevision: 'no_stream' });
    assert.is(result.nextExpectedRevision, 0);
    const [recorded] = await store.readStream(stream);
    assert.is(recorded?.revision, 0);
    assert.is(recorded?.position, result.position);
  });

  test('an append with no_stream is refused when the stream exists', async ({ store }) => {
    const stream = `${freshCategory()}-1`;
    await store.appendToStream(stream, [eventData()], { expectedRevision: 'no_stream' });
    await rejectsWithConflict(
      () => store.appendToStream(stream, [eventData()], { expectedRevision: 'no_stream' }),
      stream,
      'no_stream',
      '0',
    );
  });

  test('an append with the current revision continues the stream', async ({ store }) => {
    const stream = `${freshCategory()}-1`;
    const first = await store.appendToStream(stream, [eventData()], { expectedRevision: 'no_stream' });
    const second = await store.appendToStream(stream, [eventData(), eventData()], {
      expectedRevision: first.nextExpectedRevision,
    });
    assert.is(second.nextExpectedRevision, 2);
    assert.equal(
      (await store.readStream(stream)).map((event) => event.revision),
      [0, 1, 2],
    );
  });

  test('an append with a revision the stream moved past is refused', async ({ store }) => {
    const stream = `${freshCategory()}-1`;
    await store.appendToStream(stream, [eventData(), eventData()], { expectedRevision: 'no_stream' });
    await rejectsWithConflict(
      () => store.appendToStream(stream, [eventData()], { expectedRevision: 0 }),
      stream,
      '0',
      '1',
    );
    await rejectsWithConflict(
      () => store.appendToStream(stream, [eventData()], { expectedRevision: 5 }),
      stream,
      '5',
      '1',
    );
    assert.is((await store.readStream(stream)).length, 2, 'a refused append writes nothing');
  });

  test('an append with an exact revision is refused on a missing stream', async ({ store }) => {
    const stream = `${freshCategory()}-1`;
    await rejectsWithConflict(
      () => store.appendToStream(stream, [eventData()], { expectedRevision: 0 }),
      stream,
      '0',
      'no_stream',
    );
    assert.equal(await store.readStream(stream), []);
  });

  test('an append with stream_exists needs an existing stream', async ({ store }) => {
    const stream = `${freshCategory()}-1`;
    await rejectsWithConflict(
      () => store.appendToStream(stream, [eventData()], { expectedRevision: 'stream_exists' }),
      stream,
      'stream_exists',
      'no_stream',
    );
    await store.appendToStream(stream, [eventData()], { expectedRevision: 'no_stream' });
    const result = await store.appendToStream(stream, [eventData()], { expectedRevision: 'stream_exists' });
    assert.is(result.nextExpectedRevision, 1);
  });

  test('an append with any (the default) succeeds whatever the stream holds', async ({ store }) => {
    const stream = `${freshCategory()}-1`;
    assert.is((await store.appendToStream(stream, [eventData()], { expectedRevision: 'any' })).nextExpectedRevision, 0);
    assert.is((await store.appendToStream(stream, [eventData()], { expectedRevision: 'any' })).nextExpectedRevision, 1);
    assert.is((await store.appendToStream(stream, [eventData()])).nextExpectedRevision, 2);
  });

  test('an append of several events is one contiguous run in the stream and in the log', async ({ store }) => {
    const stream = `${freshCategory()}-1`;
    const events = [eventData('First'), eventData('Second'), eventData('Third')];
    const result = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
    const recorded = await store.readStream(stream);
    assert.equal(ids(recorded), ids(events));
    assert.equal(recorded.map((event) => event.revision), [0, 1, 2]);
    assert.is(result.position, recorded[2]?.position, 'the result points at the last event');
    const fromLog = await store.readAll({ fromPosition: recorded[0]?.position, maxCount: 3 });
    assert.equal(ids(fromLog), ids(events), 'no other event comes between them in the log');
  });

  test('an empty append checks the expected revision and answers the current revision', async ({ store }) => {
    const stream = `${freshCategory()}-1`;
    await store.appendToStream(stream, [eventData(), eventData()], { expectedRevision: 'no_stream' });
    assert.is((await store.appendToStream(stream, [], { expectedRevision: 1 })).nextExpectedRevision, 1);
    assert.is((await store.appendToStream(stream, [], { expectedRevision: 'any' })).nextExpectedRevision, 1);
    await rejectsWithConflict(() => store.appendToStream(stream, [], { expectedRevision: 0 }), stream, '0', '1');
    assert.is((await store.readStream(stream)).length, 2);
  });

  test('concurrent appends with the same expected revision: exactly one wins', async ({ store }) => {
    const stream = `${freshCategory()}-1`;
    await store.appendToStream(stream, [eventData()], { expectedRevision: 'no_stream' });
    const contenders = Array.from({ length: 10 }, () => [eventData('Contender')]);
    const outcomes = await Promise.allSettled(
      contenders.map((events) => store.appendToStream(stream, events, { expectedRevision: 0 })),
    );
    const winners = outcomes.flatMap((outcome, index) => (outcome.status === 'fulfilled' ? [index] : []));
    assert.is(winners.length, 1, 'one append wins');
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') assert.instance(outcome.reason, ConcurrencyError);
    }
    const recorded = await store.readStream(stream);
    assert.equal(ids(recorded.slice(1)), ids(contenders[winners[0] as number] ?? []));
  });

  // Idempotent retries

  test('appending the same events again at the same expected revision returns the original result', async ({
    store,
  }) => {
    const stream = `${freshCategory()}-1`;
    const first = [eventData()];
    const original = await store.appendToStream(stream, first, { expectedRevision: 'no_stream' });
    assert.equal(await store.appendToStream(stream, first, { expectedRevision: 'no_stream' }), original);

    const next = [eventData(), eventData()];
    const continued = await store.appendToStream(stream, next, { expectedRevision: 0 });
    await store.appendToStream(stream, [eventData()], { expectedRevision: 2 });
    assert.equal(await store.appendToStream(stream, next, { expectedRevision: 0 }), continued);
    assert.equal(await store.appendToStream(stream, first, { expectedRevision: 'no_stream' }), original);

    assert.equal(ids(await store.readStream(stream)).length, 4, 'no event is stored twice');
  });

  test('the same events at a different expected revision are refused', async ({ store }) => {
    const stream = `${freshCategory()}-1`;
    const first = [eventData()];
    await store.appendToStream(stream, first, { expectedRevision: 'no_stream' });
    await store.appendToStream(stream, [eventData()], { expectedRevision: 0 });
    await rejectsWithConflict(
      () => store.appendToStream(stream, first, { expectedRevision: 0 }),
      stream,
      '0',
      '1',
    );
    assert.is((await store.readStream(stream)).length, 2);
  });

  test('an append that matches only the start of what follows the expected revision is refused', async ({
    store,
  }) => {
    const stream = `${freshCategory()}-1`;
    const [a, b] = [eventData(), eventData()];
    await store.appendToStream(stream, [a, b], { expectedRevision: 'no_stream' });
    await rejectsWithConflict(
      () => store.appendToStream(stream, [a, eventData()], { expectedRevision: 'no_stream' }),
      stream,
      'no_stream',
      '1',
    );
  });

  test('a retried append with any returns the original result', async ({ store }) => {
    const stream = `${freshCategory()}-1`;
    await store.appendToStream(stream, [eventData()]);
    const events = [eventData(), eventData()];
    const original = await store.appendToStream(stream, events, { expectedRevision: 'any' });
    assert.equal(await store.appendToStream(stream, events, { expectedRevision: 'any' }), original);
    assert.is((await store.readStream(stream)).length, 3);
  });

  test('an expected revision other than any, no_stream, stream_exists or a revision is refused before anything is written', async ({ store }) => {
    const stream = `${freshCategory()}-1`;
    for (const expectedRevision of [-1, -2, 1.5, Number.NaN, 2 ** 53, 'sometimes', '0']) {
      const refusal: unknown = await store
        .appendToStream(stream, [eventData()], { expectedRevision: expectedRevision as ExpectedRevision })
        .then(() => `${String(expectedRevision)} was accepted`, (error: unknown) => error);
      assert.instance(refusal, AppError, String(refusal));
      assert.is((refusal as AppError).code, 'INVALID_ARGUMENT');
      assert.is((refusal as AppError).message, `Not an expected revision: ${String(expectedRevision)}.`);
    }
    assert.equal(await store.readStream(stream), []);
  });
}
