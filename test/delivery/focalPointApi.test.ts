import sharp from 'sharp';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestService, type TestService } from '../support/testService.ts';
import { uploadImage } from './deliverySupport.ts';

interface Context {
  api: TestService;
  pk: number;
  product: number;
}

const test = suite<Context>('PATCH /api/v1/product_image/<pk>/ focal_point');
test.before.each(async (context) => {
  context.api = await startTestService();
  const jpeg = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#642' } }).jpeg().toBuffer();
  const image = await uploadImage(context.api, jpeg);
  context.pk = image.pk;
  context.product = image.product;
});
test.after.each(async ({ api }) => api.stop());

test('sets, shows and clears the focal point, recording ImageFocalPointSet', async ({ api, pk, product }) => {
  const mark = await api.mark();
  const set = await api.request('PATCH', `/api/v1/product_image/${pk}/`, { body: { focal_point: { x: 0.3, y: '0.6' } } });
  assert.equal([set.status, set.body.focal_point], [200, { x: 0.3, y: 0.6 }]);
  assert.equal((await api.request('GET', `/api/v1/product_image/${pk}/`)).body.focal_point, { x: 0.3, y: 0.6 });
  assert.equal((await api.request('GET', `/api/v1/product_image/?product=${product}`)).body.results[0].focal_point, { x: 0.3, y: 0.6 });
  const cleared = await api.request('PATCH', `/api/v1/product_image/${pk}/`, { body: { focal_point: null } });
  assert.equal([cleared.status, cleared.body.focal_point], [200, null]);
  const events = (await api.eventsSince(mark)).map((event) => [event.type, event.data]);
  assert.equal(events, [
    ['ImageFocalPointSet', { imagePk: pk, focalPoint: { x: 0.3, y: 0.6 }, previousFocalPoint: null }],
    ['ImageFocalPointSet', { imagePk: pk, focalPoint: null, previousFocalPoint: { x: 0.3, y: 0.6 } }],
  ]);
  const history = await api.request('GET', `/api/v1/products/${product}/media_history/?changed=focal_point`);
  assert.equal(history.body.results.map((entry: { changes: unknown }) => entry.changes), [
    { focal_point: [null, { x: 0.3, y: 0.6 }] },
    { focal_point: [{ x: 0.3, y: 0.6 }, null] },
  ]);
});

test('order and focal point change in one append', async ({ api, pk }) => {
  const mark = await api.mark();
  const both = await api.request('PATCH', `/api/v1/product_image/${pk}/`, { body: { order: 5, focal_point: { x: 1, y: 0 } } });
  assert.equal([both.status, both.body.order, both.body.focal_point], [200, 5, { x: 1, y: 0 }]);
  const events = await api.eventsSince(mark);
  assert.equal(events.map((event) => event.type), ['ImageReordered', 'ImageFocalPointSet']);
  const correlation = (index: number) => (events[index]!.metadata as { correlationId: string }).correlationId;
  assert.is(correlation(0), correlation(1));
});

test('bad focal points are DRF 400s nested per key, and change nothing', async ({ api, pk }) => {
  const mark = await api.mark();
  const cases: Array<[unknown, unknown]> = [
    [{ x: 2 }, { focal_point: { x: ['Ensure this value is less than or equal to 1.'], y: ['This field is required.'] } }],
    [{ x: -0.5, y: 'middle' }, { focal_point: { x: ['Ensure this value is greater than or equal to 0.'], y: ['A valid number is required.'] } }],
    ['center', { focal_point: { non_field_errors: ['Invalid data. Expected a dictionary, but got str.'] } }],
    [[0.5, 0.5], { focal_point: { non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] } }],
  ];
  for (const [focalPoint, body] of cases) {
    const refused = await api.request('PATCH', `/api/v1/product_image/${pk}/`, { body: { order: 3, focal_point: focalPoint } });
    assert.equal([refused.status, refused.body], [400, body], JSON.stringify(focalPoint));
  }
  assert.equal(await api.eventsSince(mark), []);
});

test('a stale If-Match is a 412', async ({ api, pk }) => {
  const etag = (await api.request('GET', `/api/v1/product_image/${pk}/`)).headers.get('etag')!;
  await api.request('PATCH', `/api/v1/product_image/${pk}/`, { body: { order: 2 } });
  const stale = await api.request('PATCH', `/api/v1/product_image/${pk}/`, { body: { focal_point: { x: 0.5, y: 0.5 } }, headers: { 'if-match': etag } });
  assert.is(stale.status, 412);
});

test.run();
