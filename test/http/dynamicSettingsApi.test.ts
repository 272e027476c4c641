import sharp from 'sharp';
import { buffer } from 'node:stream/consumers';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestService, type TestService } from '../support/testService.ts';

const test = suite<{ api: TestService }>('dynamic_settings REST API');
test.before.each(async (context) => {
  context.api = await startTestService();
});
test.after.each(async ({ api }) => api.stop());

test('lists MAX_IMAGE_DIMENSIONS with its 2000x2000 default', async ({ api }) => {
  const list = await api.request('GET', '/api/v1/dynamic_settings/');
  assert.is(list.status, 200);
  assert.equal(list.body.results, [{ key: 'MAX_IMAGE_DIMENSIONS', value: { WIDTH: 2000, HEIGHT: 2000 }, modified_date: null }]);
});

test('POST changes a setting as the seed shows, records SettingChanged, and uploads follow it', async ({ api }) => {
  const changed = await api.request('POST', '/api/v1/dynamic_settings/', { body: { key: 'MAX_IMAGE_DIMENSIONS', value: { WIDTH: 60, HEIGHT: 60 } } });
  assert.is(changed.status, 201);
  assert.equal(changed.body.value, { WIDTH: 60, HEIGHT: 60 });
  const [event] = await api.service.eventStore.readStream('settings');
  assert.equal([event?.type, event?.data], ['SettingChanged', { key: 'MAX_IMAGE_DIMENSIONS', value: { WIDTH: 60, HEIGHT: 60 }, previousValue: { WIDTH: 2000, HEIGHT: 2000 } }]);
  const detail = await api.request('GET', '/api/v1/dynamic_settings/MAX_IMAGE_DIMENSIONS/');
  assert.equal(detail.body.value, { WIDTH: 60, HEIGHT: 60 });

  const product = await api.request('POST', '/api/v1/products/', { body: { sku: 'DIM' } });
  const jpeg = await sharp({ create: { width: 120, height: 80, channels: 3, background: '#258' } }).jpeg().toBuffer();
  const form = new FormData();
  form.append('image', new Blob([jpeg], { type: 'image/jpeg' }), 'big.jpg');
  form.append('product', String(product.body.pk));
  const uploaded = await fetch(`${api.service.url}/api/v1/product_image/`, { method: 'POST', headers: { authorization: 'Token erp-key-0123456789abcdef' }, body: form });
  const image = (await uploaded.json()) as { image: string };
  const key = new URL(image.image).pathname.replace(/^\/media\//, '');
  const stored = await api.service.objectStore.get(key);
  const { width, height } = await sharp(await buffer(stored.body)).metadata();
  assert.equal([width, height], [60, 40], 'downscaled to fit 60x60, aspect kept');
});

test('invalid keys and values are DRF 400s and change nothing', async ({ api }) => {
  const unknown = await api.request('POST', '/api/v1/dynamic_settings/', { body: { key: 'FOO', value: 1 } });
  assert.equal([unknown.status, unknown.body], [400, { key: ['"FOO" is not a valid choice.'] }]);
  const noValue = await api.request('POST', '/api/v1/dynamic_settings/', { body: { key: 'MAX_IMAGE_DIMENSIONS' } });
  assert.equal([noValue.status, noValue.body], [400, { value: ['This field is required.'] }]);
  const badValue = await api.request('POST', '/api/v1/dynamic_settings/', { body: { key: 'MAX_IMAGE_DIMENSIONS', value: { WIDTH: -1, HEIGHT: 'x' } } });
  // Nested per key, as DRF's nested serializers report (issue 20, item 10).
  assert.equal([badValue.status, badValue.body], [
    400,
    { value: { WIDTH: ['Ensure this value is greater than or equal to 1.'], HEIGHT: ['A valid integer is required.'] } },
  ]);
  const notADict = await api.request('POST', '/api/v1/dynamic_settings/', { body: { key: 'MAX_IMAGE_DIMENSIONS', value: 5 } });
  assert.equal([notADict.status, notADict.body], [400, { value: { non_field_errors: ['Invalid data. Expected a dictionary, but got int.'] } }]);
  assert.equal(await api.service.eventStore.readStream('settings'), []);
  assert.is((await api.request('GET', '/api/v1/dynamic_settings/NOPE/')).status, 404);
});

test.run();
