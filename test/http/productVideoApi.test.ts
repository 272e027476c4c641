import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestService, type TestService } from '../support/testService.ts';

const fixture = (name: string) => readFile(new URL(`../fixtures/${name}`, import.meta.url));
const test = suite<{ api: TestService; productPk: number }>('product_video REST API');
test.before.each(async (context) => {
  context.api = await startTestService();
  context.productPk = (await context.api.request('POST', '/api/v1/products/', { body: { sku: 'VIDEO-1' } })).body.pk;
});
test.after.each(async ({ api }) => api.stop());

async function upload(api: TestService, fields: Record<string, string | Buffer>, fileName = 'clip.mp4') {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') data.append(name, value);
    else data.append(name, new Blob([value], { type: 'video/mp4' }), fileName);
  }
  const response = await fetch(`${api.service.url}/api/v1/product_video/`, {
    method: 'POST',
    headers: { authorization: 'Token erp-key-0123456789abcdef' },
    body: data,
  });
  return { status: response.status, body: (await response.json()) as any };
}

test('POST uploads an MP4 and answers the seed representation', async ({ api, productPk }) => {
  const created = await upload(api, { video: await fixture('minimal.mp4'), product: String(productPk) });
  assert.is(created.status, 201);
  assert.equal(Object.keys(created.body), ['pk', 'product', 'video', 'order', 'modified_date', 'created_date']);
  assert.match(created.body.video, /^https:\/\/omnitron\.example\.com\/media\/product_videos\/\d{4}\/\d\d\/\d\d\/[0-9a-f-]{36}\.mp4$/);
  const events = await api.service.eventStore.readStream(`productMedia-${productPk}`);
  assert.equal(events.map((event) => event.type), ['VideoUploaded']);
});

test('a video is judged by its content, not its name', async ({ api, productPk }) => {
  const message = { video: ['Upload a valid video. The file you uploaded was either not an MP4 video or a corrupted one.'] };
  for (const name of ['not-mp4.mov', 'truncated.mp4', 'tiny.jpg']) {
    const refused = await upload(api, { video: await fixture(name), product: String(productPk) }, 'renamed.mp4');
    assert.equal([refused.status, refused.body], [400, message], name);
  }
  const missing = await upload(api, { product: String(productPk) });
  assert.equal(missing.body, { video: ['No file was submitted.'] });
  const list = await api.request('GET', `/api/v1/product_video/?product=${productPk}`);
  assert.is(list.body.count, 0, 'nothing was stored');
  const spool = await readdir(join(api.dataDir, 'tmp', 'uploads'));
  assert.equal(spool, [], 'no temp files left behind');
});

test('videos list in order, reorder, and delete', async ({ api, productPk }) => {
  const mp4 = await fixture('minimal.mp4');
  const a = await upload(api, { video: mp4, product: String(productPk), order: '1' });
  const b = await upload(api, { video: mp4, product: String(productPk), order: '0' });
  let list = await api.request('GET', `/api/v1/product_video/?limit=100&product=${productPk}`);
  assert.equal(list.body.results.map((video: { pk: number }) => video.pk), [b.body.pk, a.body.pk]);
  const patched = await api.request('PATCH', `/api/v1/product_video/${b.body.pk}/`, { body: { pk: b.body.pk, order: 2 } });
  assert.is(patched.body.order, 2);
  const negative = await api.request('PATCH', `/api/v1/product_video/${b.body.pk}/`, { body: { order: -3 } });
  assert.equal(negative.body, { order: ['Ensure this value is greater than or equal to 0.'] });
  assert.is((await api.request('DELETE', `/api/v1/product_video/${a.body.pk}/`)).status, 204);
  list = await api.request('GET', `/api/v1/product_video/?product=${productPk}`);
  assert.equal(list.body.results.map((video: { pk: number }) => video.pk), [b.body.pk]);
  const events = await api.service.eventStore.readStream(`productMedia-${productPk}`);
  assert.equal(events.map((event) => event.type), ['VideoUploaded', 'VideoUploaded', 'VideoReordered', 'VideoDeleted']);
});

test.run();
