import { randomUUID } from 'node:crypto';
import { filter, firstValueFrom } from 'rxjs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { upcast } from '../../src/domain/upcasters.ts';
import { startTestService, type TestService } from '../support/testService.ts';

const test = suite<{ api: TestService }>('upcasting stored events');
test.before(async (context) => {
  context.api = await startTestService();
});
test.after(async ({ api }) => api.stop());

test('upcast turns an ImageRestored v1 payload into v2 with the product pk of its stream', () => {
  assert.equal(upcast('ImageRestored', 1, { streamName: 'productMedia-42', data: { imagePk: 7 } }), {
    data: { imagePk: 7, productPk: 42 },
    schemaVersion: 2,
  });
  const current = { imagePk: 7, productPk: 42 };
  assert.is(upcast('ImageRestored', 2, { streamName: 'productMedia-42', data: current }).data, current, 'current payloads pass untouched');
  assert.equal(upcast('SomethingElse', 1, { streamName: 'x', data: { a: 1 } }).data, { a: 1 });
});

test('a raw v1 event appended to the store reads back as the current version everywhere', async ({ api }) => {
  const { eventStore } = api.service;
  const stream = 'productMedia-987654';
  const metadata = (schemaVersion: number) => ({
    actor: 'legacy', api: 'cli', correlationId: 'c', causationId: 'c', occurredAt: '2023-01-05T10:05:00.000000Z', schemaVersion,
  });
  await eventStore.appendToStream(stream, [{ id: randomUUID(), type: 'ImageRestored', data: { imagePk: 5 }, metadata: metadata(1) }]);
  const [read] = await eventStore.readStream(stream);
  assert.equal(read!.data, { imagePk: 5, productPk: 987654 });
  assert.is((read!.metadata as { schemaVersion: number }).schemaVersion, 2);
  const [fromAll] = (await eventStore.readAll({ direction: 'backwards', maxCount: 1 }));
  assert.equal(fromAll!.data, { imagePk: 5, productPk: 987654 });
  const subscribed = await firstValueFrom(
    eventStore.subscribeToAll({ filter: { streamNamePrefixes: [stream] } }).pipe(filter((message) => message.kind === 'event')),
  );
  assert.equal(subscribed.kind === 'event' && subscribed.event.data, { imagePk: 5, productPk: 987654 });
  const history = await api.request('GET', '/api/v1/media_events/?after=0&product=987654');
  assert.equal(history.body.results[0].data, { imagePk: 5, productPk: 987654 });
  assert.is(history.body.results[0].metadata.schema_version, 2);
});

test.run();
