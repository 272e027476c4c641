import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestService, type TestService } from '../support/testService.ts';

const test = suite<{ api: TestService }>('products REST API');
test.before.each(async (context) => {
  context.api = await startTestService();
});
test.after.each(async ({ api }) => api.stop());

const ISO_MICROS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

test('POST registers a product and answers 201 with its representation', async ({ api }) => {
  const response = await api.request('POST', '/api/v1/products/', { body: { sku: 'SKU-1', name: 'Lamp' } });
  assert.is(response.status, 201);
  assert.equal(Object.keys(response.body), ['pk', 'sku', 'name', 'media_enabled', 'created_date', 'modified_date']);
  assert.is(response.body.sku, 'SKU-1');
  assert.is(response.body.name, 'Lamp');
  assert.is(response.body.media_enabled, true);
  assert.ok(Number.isInteger(response.body.pk) && response.body.pk > 0);
  assert.match(response.body.created_date, ISO_MICROS);
  assert.is(response.headers.get('etag'), 'W/"0"');
});

test('POST appends SkuClaimed and ProductRegistered with audit metadata', async ({ api }) => {
  const mark = await api.mark();
  const response = await api.request('POST', '/api/v1/products/', {
    body: { sku: 'SKU-2', media_enabled: false },
    headers: { 'x-correlation-id': 'erp-batch-42' },
  });
  const events = (await api.eventsSince(mark)).filter((event) => !event.streamName.startsWith('pkSequence-'));
  assert.equal(events.map((event) => [event.streamName, event.type]), [
    ['productSku-SKU-2', 'SkuClaimed'],
    [`product-${response.body.pk}`, 'ProductRegistered'],
  ]);
  assert.equal(events[1]!.data, { productPk: response.body.pk, sku: 'SKU-2', name: '', mediaEnabled: false });
  const metadata = events[1]!.metadata as Record<string, unknown>;
  assert.is(metadata.actor, 'erp');
  assert.is(metadata.api, 'rest');
  assert.is(metadata.correlationId, 'erp-batch-42');
  assert.is(metadata.causationId, response.headers.get('x-request-id'));
  assert.match(String(metadata.occurredAt), ISO_MICROS);
  assert.is(response.headers.get('x-correlation-id'), 'erp-batch-42');
});

test('POST with an explicit pk uses it, and a taken pk is a 400', async ({ api }) => {
  const first = await api.request('POST', '/api/v1/products/', { body: { pk: 16201, sku: 'A' } });
  assert.is(first.status, 201);
  assert.is(first.body.pk, 16201);
  const again = await api.request('POST', '/api/v1/products/', { body: { pk: 16201, sku: 'B' } });
  assert.is(again.status, 400);
  assert.equal(again.body, { pk: ['product with this pk already exists.'] });
  // The refused registration left the SKU free.
  const b = await api.request('POST', '/api/v1/products/', { body: { sku: 'B' } });
  assert.is(b.status, 201);
});

test('allocated pks skip a pk a client took explicitly', async ({ api }) => {
  await api.request('POST', '/api/v1/products/', { body: { pk: 1, sku: 'explicit' } });
  const allocated = await api.request('POST', '/api/v1/products/', { body: { sku: 'allocated' } });
  assert.is(allocated.status, 201);
  assert.is.not(allocated.body.pk, 1);
});

test('a duplicate SKU is a 400 in DRF shape and changes nothing', async ({ api }) => {
  await api.request('POST', '/api/v1/products/', { body: { sku: 'DUP' } });
  const mark = await api.mark();
  const response = await api.request('POST', '/api/v1/products/', { body: { sku: 'DUP', name: 'other' } });
  assert.is(response.status, 400);
  assert.equal(response.body, { sku: ['product with this sku already exists.'] });
  const events = await api.eventsSince(mark);
  assert.ok(events.every((event) => event.type === 'PkAllocated'), 'only a pk was spent');
  const list = await api.request('GET', '/api/v1/products/?sku=DUP');
  assert.is(list.body.count, 1);
});

test('concurrent registrations of one SKU: exactly one wins', async ({ api }) => {
  const responses = await Promise.all(
    Array.from({ length: 10 }, (_, index) => api.request('POST', '/api/v1/products/', { body: { sku: 'RACE', name: `n${index}` } })),
  );
  assert.equal(responses.map((response) => response.status).sort(), [201, ...Array(9).fill(400)]);
  const list = await api.request('GET', '/api/v1/products/?sku=RACE');
  assert.is(list.body.count, 1);
});

test('GET lists a DRF page with filters and absolute links on the public base URL', async ({ api }) => {
  for (const sku of ['p1', 'p2', 'p3', 'p4', 'p5']) await api.request('POST', '/api/v1/products/', { body: { sku } });
  const page1 = await api.request('GET', '/api/v1/products/?limit=2', { headers: { host: 'evil.example' } });
  assert.is(page1.status, 200);
  assert.is(page1.body.count, 5);
  assert.equal(page1.body.results.map((product: { sku: string }) => product.sku), ['p1', 'p2']);
  assert.is(page1.body.previous, null);
  assert.is(page1.body.next, 'https://omnitron.example.com/api/v1/products/?limit=2&page=2');
  const page3 = await api.request('GET', '/api/v1/products/?limit=2&page=3');
  assert.equal(page3.body.results.map((product: { sku: string }) => product.sku), ['p5']);
  assert.is(page3.body.next, null);
  assert.is(page3.body.previous, 'https://omnitron.example.com/api/v1/products/?limit=2&page=2');
  const beyond = await api.request('GET', '/api/v1/products/?limit=2&page=4');
  assert.is(beyond.status, 404);
  assert.equal(beyond.body, { detail: 'Invalid page.' });
  // DRF's last_page_strings, and Python's int() of a signed or padded number.
  const last = await api.request('GET', '/api/v1/products/?limit=2&page=last');
  assert.equal([last.status, last.body], [200, page3.body]);
  const huge = await api.request('GET', `/api/v1/products/?limit=${'9'.repeat(20)}`);
  assert.equal([huge.status, huge.body.results.length], [200, 5], 'a huge limit is the most, not the default');
  const hugePage = await api.request('GET', `/api/v1/products/?page=${'9'.repeat(20)}`);
  assert.equal([hugePage.status, hugePage.body], [404, { detail: 'Invalid page.' }]);
  const signed = await api.request('GET', '/api/v1/products/?limit=%2B2&page=%203%20');
  assert.equal(signed.body.results.map((product: { sku: string }) => product.sku), ['p5']);
  const noneLast = await api.request('GET', '/api/v1/products/?sku=nothing&page=last');
  assert.equal([noneLast.status, noneLast.body.count, noneLast.body.results], [200, 0, []]);

  const pks = page1.body.results.map((product: { pk: number }) => product.pk);
  const byPk = await api.request('GET', `/api/v1/products/?pk__in=${pks.join(',')},99999`);
  assert.equal(byPk.body.results.map((product: { sku: string }) => product.sku), ['p1', 'p2']);
  const bySku = await api.request('GET', '/api/v1/products/?sku=p4');
  assert.equal(bySku.body.results.map((product: { sku: string }) => product.sku), ['p4']);
  const badPkIn = await api.request('GET', '/api/v1/products/?pk__in=1,x');
  assert.is(badPkIn.status, 400);
  assert.equal(badPkIn.body, { pk__in: ['Enter a whole number.'] });
});

test('GET detail answers the product or DRF 404', async ({ api }) => {
  const created = await api.request('POST', '/api/v1/products/', { body: { sku: 'D', name: 'Desk' } });
  const detail = await api.request('GET', `/api/v1/products/${created.body.pk}/`);
  assert.equal(detail.body, created.body);
  for (const path of ['/api/v1/products/424242/', '/api/v1/products/abc/', '/api/v1/products/99999999999999/']) {
    const missing = await api.request('GET', path);
    assert.is(missing.status, 404, path);
    assert.equal(missing.body, { detail: 'Not found.' });
  }
});

test('PATCH changes name and media_enabled, keeps the rest, and moves modified_date', async ({ api }) => {
  const created = await api.request('POST', '/api/v1/products/', { body: { sku: 'P', name: 'Old' } });
  const patched = await api.request('PATCH', `/api/v1/products/${created.body.pk}/`, {
    body: { name: 'New', media_enabled: false, pk: 777, created_date: 'ignored' },
  });
  assert.is(patched.status, 200);
  assert.is(patched.body.pk, created.body.pk);
  assert.is(patched.body.sku, 'P');
  assert.is(patched.body.name, 'New');
  assert.is(patched.body.media_enabled, false);
  assert.is(patched.body.created_date, created.body.created_date);
  assert.ok(patched.body.modified_date > created.body.modified_date);
  assert.is(patched.headers.get('etag'), 'W/"2"');
});

test('PATCH with a stale If-Match is a 412 and changes nothing; a fresh one succeeds', async ({ api }) => {
  const created = await api.request('POST', '/api/v1/products/', { body: { sku: 'E', name: 'v0' } });
  const path = `/api/v1/products/${created.body.pk}/`;
  const etag = created.headers.get('etag')!;
  const first = await api.request('PATCH', path, { body: { name: 'v1' }, headers: { 'if-match': etag } });
  assert.is(first.status, 200);
  const stale = await api.request('PATCH', path, { body: { name: 'v2' }, headers: { 'if-match': etag } });
  assert.is(stale.status, 412);
  assert.equal(stale.body, { detail: 'Precondition failed: the resource was modified since it was read.' });
  const garbage = await api.request('PATCH', path, { body: { name: 'v2' }, headers: { 'if-match': 'nonsense' } });
  assert.is(garbage.status, 412);
  const detail = await api.request('GET', path);
  assert.is(detail.body.name, 'v1');
  const fresh = await api.request('PATCH', path, { body: { name: 'v3' }, headers: { 'if-match': first.headers.get('etag')! } });
  assert.is(fresh.status, 200);
  assert.is(fresh.body.name, 'v3');
});

test('concurrent PATCHes without If-Match all succeed in some serial order', async ({ api }) => {
  const created = await api.request('POST', '/api/v1/products/', { body: { sku: 'C', name: 'start' } });
  const path = `/api/v1/products/${created.body.pk}/`;
  const responses = await Promise.all(
    Array.from({ length: 20 }, (_, index) => api.request('PATCH', path, { body: { name: `name-${index}` } })),
  );
  assert.ok(responses.every((response) => response.status === 200));
  const events = await api.service.eventStore.readStream(`product-${created.body.pk}`);
  assert.is(events.length, 21);
  const detail = await api.request('GET', path);
  assert.is(detail.body.name, (events[20]!.data as { name: string }).name);
});

test('a write is visible to the very next read (read-your-writes)', async ({ api }) => {
  for (let index = 0; index < 10; index++) {
    const created = await api.request('POST', '/api/v1/products/', { body: { sku: `ryw-${index}` } });
    const detail = await api.request('GET', `/api/v1/products/${created.body.pk}/`);
    assert.is(detail.status, 200);
  }
});

test('a stale SKU claim left by a crashed registration is taken over', async ({ api }) => {
  // A claim from long ago whose product was never registered (crash between the two appends).
  await api.service.eventStore.appendToStream('productSku-ORPHAN', [
    {
      id: '3f1d8a36-0000-4000-8000-000000000001',
      type: 'SkuClaimed',
      data: { sku: 'ORPHAN', productPk: 999999 },
      metadata: { actor: 'erp', api: 'rest', correlationId: 'c', causationId: 'c', occurredAt: '2000-01-01T00:00:00.000000Z', schemaVersion: 1 },
    },
  ]);
  const response = await api.request('POST', '/api/v1/products/', { body: { sku: 'ORPHAN' } });
  assert.is(response.status, 201);
  const claims = await api.service.eventStore.readStream('productSku-ORPHAN');
  assert.equal(claims.map((event) => event.type), ['SkuClaimed', 'SkuReleased', 'SkuClaimed']);
});

test.run();
