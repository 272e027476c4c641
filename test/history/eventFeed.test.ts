import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { foldGallery } from '../../src/app/history/galleryAt.ts';
import type { Position, RecordedEvent } from '../../src/ports/eventStore.ts';
import { sharedFrames, streamEvents } from '../../src/http/rest/eventStreamResponse.ts';
import { representImage } from '../../src/http/rest/productImageRoutes.ts';
import { startTestService, TOKEN, type TestService } from '../support/testService.ts';
import { imageList, scriptedDay, type Day } from './historySupport.ts';
import { readSse, type SseEvent } from './sseClient.ts';

const test = suite<{ api: TestService; day: Day }>('the downstream event feed');
test.before(async (context) => {
  context.api = await startTestService({ env: { FEED_HEARTBEAT_MS: '50' } });
  context.day = await scriptedDay(context.api);
});
test.after(async ({ api }) => api.stop());

/** Every page of the feed from `after`, following `next`. */
async function replay(api: TestService, query = '') {
  const entries: any[] = [];
  let path: string | null = `/api/v1/media_events/?after=0&limit=3${query}`;
  while (path !== null) {
    const response = await api.request('GET', path);
    assert.is(response.status, 200, response.text);
    entries.push(...response.body.results);
    path = response.body.next === null ? null : new URL(response.body.next).pathname + new URL(response.body.next).search;
    if (response.body.next !== null) assert.match(response.body.next, /^https:\/\/omnitron\.example\.com\/api\/v1\/media_events\/\?/);
  }
  return entries;
}

test('the feed replayed from position 0 rebuilds the same galleries in a separate consumer', async ({ api, day }) => {
  const entries = await replay(api);
  const positions = entries.map((entry) => entry.position);
  assert.equal(positions, [...positions].sort(), 'commit order');
  assert.is(new Set(positions).size, positions.length, 'no duplicates');
  assert.ok(entries.every((entry) => entry.stream.startsWith('productMedia-')));
  // The consumer: a fold of nothing but the feed's entries, with the same gallery fold.
  const asRecorded = (entry: any): RecordedEvent => ({
    streamName: entry.stream, revision: entry.revision, id: entry.position, type: entry.type, data: entry.data,
    metadata: { occurredAt: entry.metadata.occurred_at }, position: entry.position, created: entry.metadata.occurred_at,
  });
  const rebuilt = foldGallery(entries.filter((entry) => entry.product === day.productPk).map(asRecorded));
  const live = rebuilt.images.filter((image) => image.status === 'live').sort((a, b) => a.order - b.order || a.pk - b.pk);
  const base = new URL((await imageList(api, day.productPk))[0].image);
  const mediaBase = base.href.slice(0, base.href.indexOf('/products/'));
  assert.equal(live.map((image) => representImage(image, (key) => `${mediaBase}/${key}`)), await imageList(api, day.productPk));
});

test('feed entries carry position, stream, revision, type, data, metadata, product and sku', async ({ api, day }) => {
  const [first] = await replay(api, `&sku=${day.sku}`);
  assert.equal(Object.keys(first), ['position', 'stream', 'revision', 'type', 'data', 'metadata', 'product', 'sku']);
  assert.equal([first.type, first.product, first.sku, first.revision], ['ImageUploaded', day.productPk, day.sku, 0]);
  assert.equal(first.metadata.actor, 'erp');
  assert.equal([first.metadata.api, first.metadata.correlation_id, first.metadata.schema_version], ['rest', 'corr-upload-a', 1]);
  const deletions = await replay(api, `&product=${day.productPk}&type=ImageDeleted`);
  assert.equal(deletions.map((entry) => entry.type), ['ImageDeleted']);
});

test('bad cursors and filters are DRF 400s; the feed needs credentials', async ({ api }) => {
  const cases: Array<[string, unknown]> = [
    ['/api/v1/media_events/?after=not-a-position', { after: ['Invalid cursor.'] }],
    ['/api/v1/media_events/?after=123', { after: ['Invalid cursor.'] }],
    ['/api/v1/media_events/?type=Nope', { type: ['Select a valid choice. Nope is not one of the available choices.'] }],
    ['/api/v1/media_events/?sku=NO-SUCH-SKU', { sku: ['Select a valid choice. NO-SUCH-SKU is not one of the available choices.'] }],
    ['/api/v1/media_events/?product=x', { product: ['Enter a whole number.'] }],
    ['/api/v1/media_events/stream?after=zz', { after: ['Invalid cursor.'] }],
  ];
  for (const [path, body] of cases) {
    const response = await api.request('GET', path);
    assert.equal([response.status, response.body], [400, body], path);
  }
  const lastEventId = await api.request('GET', '/api/v1/media_events/stream', { headers: { 'last-event-id': 'nope' } });
  assert.equal([lastEventId.status, lastEventId.body], [400, { 'Last-Event-ID': ['Invalid cursor.'] }]);
  assert.is((await api.request('GET', '/api/v1/media_events/', { auth: null })).status, 401);
  assert.is((await api.request('GET', '/api/v1/media_events/stream', { auth: null })).status, 401);
});

test('an SSE client killed mid-stream resumes with Last-Event-ID without gaps or duplicates', async ({ api }) => {
  const all = await replay(api);
  const url = `${api.service.url}/api/v1/media_events/stream`;
  const headers = { authorization: TOKEN };
  const first = await readSse(url, { headers, until: (events) => events.length === 4 });
  assert.is(first.status, 200);
  const received: SseEvent[] = [...first.events];
  // Kill again after two more, then resume once more and read until everything arrived.
  const second = await readSse(url, { headers: { ...headers, 'last-event-id': received.at(-1)!.id }, until: (events) => events.length === 2 });
  received.push(...second.events);
  const third = await readSse(url, { headers: { ...headers, 'last-event-id': received.at(-1)!.id }, until: (events) => received.length + events.length === all.length });
  received.push(...third.events);
  assert.equal(received.map((event) => event.id), all.map((entry) => entry.position));
  assert.equal(received.map((event) => event.event), all.map(() => 'message'), 'unnamed frames: onmessage gets them');
  assert.equal(received.map((event) => event.data.type), all.map((entry) => entry.type));
  assert.equal(received.map((event) => event.data), all);
  const byQuery = await readSse(`${url}?after=${all[all.length - 2].position}`, { headers, until: (events) => events.length === 1 });
  assert.equal(byQuery.events.map((event) => event.id), [all.at(-1).position]);
});

test('the stream goes live after history, filters by sku and sends heartbeats', async ({ api, day }) => {
  const all = await replay(api);
  let heartbeats = 0;
  const reading = readSse(`${api.service.url}/api/v1/media_events/stream?sku=${day.sku}&type=ImageReordered`, {
    headers: { authorization: TOKEN, 'last-event-id': all.at(-1).position },
    onComment: (text) => (heartbeats += text === 'heartbeat' ? 1 : 0),
    until: (events) => events.length === 1,
  });
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.is((await api.request('PATCH', `/api/v1/product_image/${day.pks.a}/`, { body: { order: 9 } })).status, 200);
  const { events } = await reading;
  assert.equal([events[0]!.data.type, events[0]!.data.data.order, events[0]!.data.sku], ['ImageReordered', 9, day.sku]);
  assert.ok(heartbeats >= 1, 'a heartbeat arrived while idle');
});

test('a consumer that falls too far behind is disconnected instead of growing the buffer', async ({ api }) => {
  const eventStore = api.service.eventStore;
  const stream = `productMedia-${900000 + Math.floor(Math.random() * 1000)}`;
  const metadata = { actor: 'bulk', api: 'cli', correlationId: 'x'.repeat(500), causationId: 'c', occurredAt: '2024-01-01T00:00:00.000000Z', schemaVersion: 1 };
  const events = Array.from({ length: 30 }, (_, i) => ({ id: randomUUID(), type: 'VideoReordered', data: { videoPk: 1, order: i + 1, previousOrder: i }, metadata }));
  await eventStore.appendToStream(stream, events);
  const res = fakeResponse();
  streamEvents(res as unknown as ServerResponse, { eventStore, frameOf: sharedFrames(() => undefined) }, { after: undefined as Position | undefined, filter: {} }, {
    heartbeatMs: 60_000,
    maxBufferedBytes: 5_000,
    retryMs: 1000,
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.ok(res.ended, 'the slow consumer was dropped');
  assert.ok(res.writableLength < 5_000 + 2_000, `buffer stayed bounded (${res.writableLength} bytes)`);
});

/** A response whose client never reads: every byte written stays buffered. */
function fakeResponse() {
  const res = Object.assign(new EventEmitter(), {
    ended: false,
    writableLength: 0,
    writeHead: () => res,
    write: (text: string) => {
      res.writableLength += Buffer.byteLength(text);
      return false;
    },
    end: () => {
      res.ended = true;
    },
  });
  return res;
}

test.run();
