import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Position } from '../../src/ports/eventStore.ts';
import { startTestService, TOKEN, type TestService } from '../support/testService.ts';

interface Context {
  api: TestService;
  productPk: number;
  mark: Position | undefined;
}

// The body parser stops an image upload at MAX_IMAGE_BYTES, a video upload at MAX_VIDEO_BYTES.
const LIMITS = { MAX_IMAGE_BYTES: '2048', MAX_VIDEO_BYTES: '4096' };

const test = suite<Context>('multipart limits');
test.before.each(async (context) => {
  context.api = await startTestService({ env: LIMITS });
  context.productPk = (await context.api.request('POST', '/api/v1/products/', { body: { sku: `LIMITS-${Math.random()}` } })).body.pk;
  context.mark = await context.api.mark();
});
test.after.each(async ({ api }) => api.stop());

async function post(api: TestService, path: string, body: FormData | Buffer, contentType?: string) {
  const headers: Record<string, string> = { authorization: TOKEN, ...(contentType ? { 'content-type': contentType } : {}) };
  const response = await fetch(`${api.service.url}${path}`, { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as any };
}

const file = (bytes: Buffer | Uint8Array, type = 'image/jpeg') => new Blob([bytes], { type });

/** Nothing of a refused request remains: no spooled file, no event, no object. */
async function assertNothingKept({ api, mark }: Context, label: string) {
  assert.equal(await readdir(join(api.dataDir, 'tmp', 'uploads')), [], `${label}: spool is empty`);
  assert.equal(await api.eventsSince(mark), [], `${label}: no events`);
  const objects: string[] = [];
  for await (const object of api.service.objectStore.list('')) objects.push(object.key);
  assert.equal(objects, [], `${label}: no objects`);
}

test('a file over its route\'s limit is a 413 naming the limit, and is not kept', async (context) => {
  const { api, productPk } = context;
  for (const [path, field, limit] of [['/api/v1/product_image/', 'image', 2048], ['/api/v1/product_video/', 'video', 4096]] as const) {
    const data = new FormData();
    data.append('product', String(productPk));
    data.append(field, file(Buffer.alloc(64 * 1024, 7)), 'big.bin');
    const refused = await post(api, path, data);
    assert.equal([refused.status, refused.body], [413, { detail: `Files are limited to ${limit} bytes here.` }], path);
    await assertNothingKept(context, path);
  }
});

test('the parser stops an image upload at MAX_IMAGE_BYTES; a video of that size reaches the video route', async (context) => {
  const { api, productPk } = context;
  const upload = async (path: string, field: string) => {
    const data = new FormData();
    data.append('product', String(productPk));
    data.append(field, file(Buffer.alloc(3000, 1), 'video/mp4'), 'big.bin');
    return post(api, path, data);
  };
  const image = await upload('/api/v1/product_image/', 'image');
  assert.equal([image.status, image.body], [413, { detail: 'Files are limited to 2048 bytes here.' }]);
  const video = await upload('/api/v1/product_video/', 'video');
  assert.is(video.status, 400, 'judged by its content, not refused for its size');
  assert.ok('video' in video.body, JSON.stringify(video.body));
  await assertNothingKept(context, 'route limits');
});

const TOO_MANY_FILES = { detail: 'Too many files: a request may carry at most 1.' };

test('more files than allowed is a 413 that names the limit', async (context) => {
  for (const count of [2, 3, 8]) {
    const data = new FormData();
    data.append('product', String(context.productPk));
    for (let index = 0; index < count; index += 1) data.append(index % 2 ? 'image' : `other${index}`, file(Buffer.from(`file ${index}`)), `${index}.jpg`);
    const refused = await post(context.api, '/api/v1/product_image/', data);
    assert.equal([refused.status, refused.body], [413, TOO_MANY_FILES], `${count} files`);
    await assertNothingKept(context, `${count} files`);
  }
});

test('more fields than allowed is a 413 that names the limit, also when files follow', async (context) => {
  for (const filesAfter of [0, 3]) {
    const data = new FormData();
    data.append('product', String(context.productPk));
    for (let index = 0; index < 40; index += 1) data.append(`extra${index}`, 'x');
    for (let index = 0; index < filesAfter; index += 1) data.append('image', file(Buffer.from('late')), 'late.jpg');
    const refused = await post(context.api, '/api/v1/product_image/', data);
    assert.equal([refused.status, refused.body], [413, { detail: 'Too many form fields: a request may carry at most 32.' }], `${filesAfter} files after`);
    await assertNothingKept(context, 'many fields');
  }
});

test('a body sent without credentials is never parsed, and no malformed form stops the service', async (context) => {
  const { api } = context;
  const threeFiles = () => {
    const data = new FormData();
    for (const name of ['a', 'b', 'c']) data.append(name, file(Buffer.from(name)), `${name}.png`);
    return data;
  };
  const anonymous = async (path: string) => {
    const response = await fetch(`${api.service.url}${path}`, { method: 'POST', body: threeFiles() });
    return { status: response.status, body: await response.json() };
  };
  assert.equal(await anonymous('/health'), { status: 405, body: { detail: 'Method "POST" not allowed.' } });
  assert.equal(await anonymous('/no/such/path'), { status: 404, body: { detail: 'Not found.' } });
  assert.equal((await anonymous('/api/v1/product_image/')).status, 401);
  // The login is the one endpoint that reads the body of a client without credentials.
  assert.equal(await anonymous('/api/v1/auth/login/'), { status: 413, body: { detail: 'Files are not accepted here.' } });
  const stillUp = await api.request('GET', `/api/v1/products/${context.productPk}/`);
  assert.is(stillUp.status, 200);
  await assertNothingKept(context, 'anonymous bodies');
});

test('a malformed multipart body is a 400 parse error', async (context) => {
  const truncated = Buffer.from('--XYZ\r\nContent-Disposition: form-data; name="image"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\nnot finished');
  const cases: [string, Buffer, string][] = [
    ['truncated', truncated, 'multipart/form-data; boundary=XYZ'],
    ['no boundary', truncated, 'multipart/form-data'],
    ['garbage', Buffer.from('this is not multipart at all'), 'multipart/form-data; boundary=XYZ'],
  ];
  for (const [label, body, contentType] of cases) {
    const refused = await post(context.api, '/api/v1/product_image/', body, contentType);
    assert.is(refused.status, 400, label);
    assert.match(refused.body.detail, /^Multipart form parse error - ./, label);
    assert.equal(Object.keys(refused.body), ['detail'], label);
    await assertNothingKept(context, label);
  }
});

test('the service still accepts uploads after refusing some', async (context) => {
  const data = new FormData();
  data.append('image', file(Buffer.alloc(64 * 1024)), 'big.jpg');
  assert.is((await post(context.api, '/api/v1/product_image/', data)).status, 413);
  const small = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123' } }).jpeg().toBuffer();
  const ok = new FormData();
  ok.append('product', String(context.productPk));
  ok.append('image', file(small), 'small.jpg');
  assert.is((await post(context.api, '/api/v1/product_image/', ok)).status, 201);
  assert.equal(await readdir(join(context.api.dataDir, 'tmp', 'uploads')), []);
});

test.run();
