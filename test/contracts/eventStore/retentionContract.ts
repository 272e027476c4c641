import * as assert from 'uvu/assert';
import { AppError } from '../../../src/errors/appError.ts';
import type { EventStore } from '../../../src/ports/eventStore.ts';
import { eventData, freshCategory, ids, rejectsWithConflict, type EventStoreContractTest } from './contractSupport.ts';

/** Waits until `streamName` reads as empty: its events expired (at most `timeoutMs`). */
async function untilExpired(store: EventStore, streamName: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await store.readStream(streamName)).length > 0) {
    if (Date.now() > deadline) assert.unreachable(`${streamName} still reads after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Retention: a stream's max age (EventStoreDB's `$maxAge` metadata). Real time passes: max ages are whole seconds. */
export function retentionContract(test: EventStoreContractTest): void {
  test('events older than a stream\'s max age no longer read from it; the stream keeps its revisions', async ({ store }) => {
    const category = freshCategory();
    const aging = `${category}-1`;
    const kept = `${category}-2`;
    await store.setStreamMaxAge(aging, 2); // before the stream exists
    const old = [eventData(), eventData()];
    await store.appendToStream(aging, old, { expectedRevision: 'no_stream' });
    await store.appendToStream(kept, [eventData()], { expectedRevision: 'no_stream' });
    assert.equal(ids(await store.readStream(aging)), ids(old), 'young events read');

    await untilExpired(store, aging);
    assert.equal(await store.readStream(aging, { direction: 'backwards', maxCount: 1 }), []);
    assert.equal(await store.readStream(aging, { fromRevision: 1 }), []);
    assert.is((await store.readStream(kept)).length, 1, 'a stream without a max age keeps its events');

    await rejectsWithConflict(() => store.appendToStream(aging, [eventData()], { expectedRevision: 'no_stream' }), aging, 'no_stream', '1');
    const fresh = eventData();
    const appended = await store.appendToStream(aging, [fresh], { expectedRevision: 1 });
    assert.is(appended.nextExpectedRevision, 2);
    const [only, ...none] = await store.readStream(aging);
    assert.equal([only?.id, only?.revision, none], [fresh.id, 2, []]);
    assert.equal(ids(await store.readStream(aging, { maxCount: 1 })), [fresh.id], 'expired events do not count against maxCount');
    assert.equal(ids(await store.readStream(aging, { direction: 'backwards', maxCount: 1 })), [fresh.id]);
  });

  test('a max age applies to the events appended before it was set', async ({ store }) => {
    const stream = `${freshCategory()}-1`;
    await store.appendToStream(stream, [eventData()], { expectedRevision: 'no_stream' });
    await store.setStreamMaxAge(stream, 1);
    await untilExpired(store, stream);
  });

  test('a max age must be a positive whole number of seconds', async ({ store }) => {
    const stream = `${freshCategory()}-1`;
    for (const maxAge of [0, -1, 1.5, Number.NaN]) {
      try {
        await store.setStreamMaxAge(stream, maxAge);
        assert.unreachable(`max age ${maxAge} accepted`);
      } catch (error) {
        assert.instance(error, AppError);
        assert.equal([(error as AppError).code, (error as AppError).message], ['INVALID_ARGUMENT', 'maxAgeSeconds must be a positive integer.']);
      }
    }
  });
}
