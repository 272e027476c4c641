import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import sharp from 'sharp';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestService, TOKEN, type TestService } from '../support/testService.ts';

interface Context {
  api: TestService;
  imagePath: string;
  videoPath: string;
  video: Buffer;
}

const fixture = (name: string) => readFile(new URL(`../fixtures/${name}`, import.meta.url));
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const pathOf = (url: string) => new URL(url).pathname;

const test = suite<Context>('GET /media/<key>: public originals from the object store');
test.before.each(async (context) => {
  context.api = await startTestService();
  const product = await context.api.request('POST', '/api/v1/products/', { body: { sku: `MEDIA-${Math.random()}` } });
  const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#a36' } }).jpeg().toBuffer();
  context.video = await fixture('minimal.mp4');
  const image = await upload(context.api, 'product_image', { image: [jpeg, 'image/jpeg', 'a.jpg'], product: String(product.body.pk) });
  const video = await upload(context.api, 'product_video', { video: [context.video, 'video/mp4', 'a.mp4'], product: String(product.body.pk) });
  assert.is(image.status, 201);
  assert.is(video.status, 201);
  context.imagePath = pathOf(image.body.image);
  context.videoPath = pathOf(video.body.video);
});
test.after.each(async ({ api }) => api.stop());

async function upload(api: TestService, resource: string, fields: Record<string, string | [Buffer, string, string]>) {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') data.append(name, value);
    else data.append(name, new Blob([value[0]], { type: value[1] }), value[2]);
  }
  const response = await fetch(`${api.service.url}/api/v1/${resource}/`, { method: 'POST', headers: { authorization: TOKEN }, body: data });
  return { status: response.status, body: (await response.json()) as any };
}

/** An anonymous request, as a storefront `<img>` or a CDN makes it. */
async function get(api: TestService, path: string, headers: Record<string, string> = {}, method = 'GET') {
  const response = await fetch(`${api.service.url}${path}`, { method, headers });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** A request whose path goes out exactly as written (fetch would resolve `..` and `%2e%2e`). */
function rawGet(api: TestService, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(api.service.url);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ hostname, port, path }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body: Buffer.concat(chunks).toString() }));
    });
    request.on('error', reject);
    request.end();
  });
}

test('the URL of the representation serves the stored image and video', async ({ api, imagePath, videoPath, video }) => {
  assert.match(imagePath, /^\/media\/products\/\d{4}\/\d\d\/\d\d\/\d+\/[0-9a-f-]{36}\.jpg$/);
  const image = await get(api, imagePath);
  assert.is(image.status, 200);
  assert.is(image.headers.get('content-type'), 'image/jpeg');
  assert.is((await sharp(image.bytes).metadata()).format, 'jpeg');
  const info = await api.service.objectStore.stat(imagePath.slice('/media/'.length));
  assert.is(image.headers.get('content-length'), String(info!.size));
  assert.is(image.headers.get('etag'), `"${sha256(image.bytes)}"`);
  assert.is(image.headers.get('etag'), `"${info!.sha256}"`);
  assert.is(image.headers.get('last-modified'), new Date(info!.lastModified).toUTCString());
  assert.is(image.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.is(image.headers.get('x-content-type-options'), 'nosniff');
  assert.is(image.headers.get('accept-ranges'), 'bytes');
  assert.is(image.headers.get('access-control-allow-origin'), '*');
  assert.is(image.headers.get('vary'), null);

  const clip = await get(api, videoPath);
  assert.is(clip.status, 200);
  assert.is(clip.headers.get('content-type'), 'video/mp4');
  assert.is(clip.headers.get('content-length'), String(video.length));
  assert.ok(clip.bytes.equals(video), 'the video is stored as uploaded');
  assert.is(clip.headers.get('etag'), `"${sha256(video)}"`);
});

test('If-None-Match with the ETag answers 304 without a body', async ({ api, imagePath }) => {
  const { headers } = await get(api, imagePath);
  const etag = headers.get('etag')!;
  for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
    const cached = await get(api, imagePath, { 'if-none-match': ifNoneMatch });
    assert.is(cached.status, 304, ifNoneMatch);
    assert.is(cached.bytes.length, 0);
    assert.is(cached.headers.get('etag'), etag);
    assert.is(cached.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  }
  assert.is((await get(api, imagePath, { 'if-none-match': '"other"' })).status, 200);
  assert.is((await get(api, imagePath, { 'if-modified-since': headers.get('last-modified')! })).status, 304);
});

test('a single byte range answers 206 with Content-Range', async ({ api, videoPath, video }) => {
  const size = video.length;
  const cases: [string, number, number][] = [
    ['bytes=0-0', 0, 0],
    ['bytes=4-11', 4, 11],
    ['bytes=100-', 100, size - 1],
    ['bytes=-16', size - 16, size - 1],
    ['bytes=10-99999', 10, size - 1],
    ['bytes=-99999', 0, size - 1],
  ];
  for (const [range, start, end] of cases) {
    const part = await get(api, videoPath, { range });
    assert.is(part.status, 206, range);
    assert.is(part.headers.get('content-range'), `bytes ${start}-${end}/${size}`, range);
    assert.is(part.headers.get('content-length'), String(end - start + 1), range);
    assert.is(part.headers.get('content-type'), 'video/mp4');
    assert.ok(part.bytes.equals(video.subarray(start, end + 1)), range);
  }
});

test('an unsatisfiable range answers 416 with bytes */size', async ({ api, videoPath, video }) => {
  for (const range of [`bytes=${video.length}-`, `bytes=${video.length + 5}-${video.length + 9}`, 'bytes=-0']) {
    const refused = await get(api, videoPath, { range });
    assert.is(refused.status, 416, range);
    assert.is(refused.headers.get('content-range'), `bytes */${video.length}`);
    assert.equal(JSON.parse(refused.bytes.toString()), { detail: 'Requested range not satisfiable.' });
  }
});

test('several ranges, a malformed range or a stale If-Range get the whole object', async ({ api, videoPath, video }) => {
  const cases: Record<string, string>[] = [{ range: 'bytes=0-1,5-9' }, { range: 'bytes=9-2' }, { range: 'items=0-1' }, { range: 'bytes=0-1', 'if-range': '"stale"' }];
  for (const headers of cases) {
    const whole = await get(api, videoPath, headers);
    assert.is(whole.status, 200, JSON.stringify(headers));
    assert.ok(whole.bytes.equals(video));
  }
  const etag = (await get(api, videoPath)).headers.get('etag')!;
  assert.is((await get(api, videoPath, { range: 'bytes=0-1', 'if-range': etag })).status, 206);
});

test('HEAD answers the headers of GET without a body', async ({ api, videoPath, video }) => {
  const head = await get(api, videoPath, {}, 'HEAD');
  assert.is(head.status, 200);
  assert.is(head.bytes.length, 0);
  assert.is(head.headers.get('content-length'), String(video.length));
  assert.is(head.headers.get('content-type'), 'video/mp4');
  assert.is(head.headers.get('etag'), `"${sha256(video)}"`);
  const part = await get(api, videoPath, { range: 'bytes=-10' }, 'HEAD');
  assert.is(part.status, 206);
  assert.is(part.headers.get('content-range'), `bytes ${video.length - 10}-${video.length - 1}/${video.length}`);
});

test('a deleted image is gone for everyone but API users, and back when restored', async ({ api, imagePath }) => {
  const list = await api.request('GET', `/api/v1/product_image/?limit=1&ordering=-pk`);
  const image = list.body.results.find((item: { image: string }) => pathOf(item.image) === imagePath);
  assert.is((await get(api, imagePath)).status, 200, 'served (and remembered) while live');
  assert.is((await api.request('DELETE', `/api/v1/product_image/${image.pk}/`)).status, 204);
  const anonymous = await get(api, imagePath);
  assert.equal([anonymous.status, JSON.parse(anonymous.bytes.toString())], [404, { detail: 'Not found.' }]);
  assert.is((await get(api, `${imagePath}?w=64`)).status, 404, 'its renditions are gone too');
  assert.is((await get(api, imagePath, { authorization: 'Token wrong-key-0123456789' })).status, 404, 'a wrong token sees nothing');
  const reviewer = await get(api, imagePath, { authorization: TOKEN });
  assert.is(reviewer.status, 200, 'an API user may still look at it before restoring');
  assert.is(reviewer.headers.get('cache-control'), 'private, no-store');
  assert.is((await get(api, `${imagePath}?w=64`, { authorization: TOKEN })).status, 200);
  assert.is((await api.request('POST', `/api/v1/product_image/${image.pk}/restore/`)).status, 200);
  const restored = await get(api, imagePath);
  assert.is(restored.status, 200, 'the same URL serves again');
  assert.is(restored.headers.get('cache-control'), 'public, max-age=31536000, immutable');
});

test('a video URL from the representation is public and its ranges are served', async ({ api, videoPath, video }) => {
  const part = await get(api, videoPath, { range: 'bytes=0-99' });
  assert.is(part.status, 206);
  assert.ok(part.bytes.equals(video.subarray(0, 100)));
  assert.is(part.headers.get('cache-control'), 'public, max-age=31536000, immutable');
});

test('an unknown or invalid key, or any other spelling of the path, is a JSON 404', async ({ api, imagePath }) => {
  const unknown = await get(api, '/media/products/2024/01/01/1/00000000-0000-0000-0000-000000000000.jpg');
  assert.equal([unknown.status, JSON.parse(unknown.bytes.toString())], [404, { detail: 'Not found.' }]);
  const paths = [
    '/media',
    '/media/products',
    '/media/products/',
    imagePath.replace('/media/', '/MEDIA/'),
    imagePath.replace('/media/', '/Media/'),
    imagePath.toUpperCase(),
    `/media/renditions/${imagePath.slice('/media/'.length)}/64xauto-inside.jpg`,
    '/media/../../etc/passwd',
    '/media/%2e%2e/%2e%2e/etc/passwd',
    '/media/products/%2E%2E/%2E%2E/%2E%2E/etc/passwd',
    '/media/..%2f..%2fetc%2fpasswd',
    '/media/.hidden',
    '/media/products//x.jpg',
    '/media/products/a%00.jpg',
    `${imagePath}/`,
    `${imagePath.replace('/media/', '/media//')}`,
    '/media/',
    `/media/${'a'.repeat(1100)}`,
  ];
  for (const path of paths) {
    const refused = await rawGet(api, path);
    assert.equal([refused.status, JSON.parse(refused.body)], [404, { detail: 'Not found.' }], path);
  }
});

test('only GET and HEAD are allowed; a CORS preflight is answered without credentials', async ({ api, imagePath }) => {
  for (const method of ['DELETE', 'POST', 'PUT', 'PATCH']) {
    const refused = await api.request(method, imagePath, { auth: null });
    assert.equal([refused.status, refused.body], [405, { detail: `Method "${method}" not allowed.` }]);
    assert.is(refused.headers.get('allow'), 'GET, HEAD, OPTIONS');
  }
  const preflight = await get(api, imagePath, { origin: 'https://shop.example.com', 'access-control-request-method': 'GET' }, 'OPTIONS');
  assert.is(preflight.status, 204);
  assert.is(preflight.headers.get('access-control-allow-origin'), '*');
  assert.is(preflight.headers.get('access-control-allow-methods'), 'GET, HEAD, OPTIONS');
});

test('the JSON-RPC url of an image loads without credentials', async ({ api, imagePath }) => {
  const list = await api.request('GET', '/api/v1/product_image/?limit=1&ordering=-pk');
  const sku = (await api.request('GET', `/api/v1/products/${list.body.results[0].product}/`)).body.sku;
  const rpc = await api.request('POST', '/api/jsonrpc', {
    auth: `Basic ${Buffer.from('erp:erp-key-0123456789abcdef').toString('base64')}`,
    body: { jsonrpc: '2.0', id: 1, method: 'product_media.list', params: [null, sku] },
  });
  const url = rpc.body.result.find((item: { url: string }) => pathOf(item.url) === imagePath).url;
  const anonymous = await fetch(url.replace(/^https?:\/\/[^/]+/, api.service.url));
  assert.is(anonymous.status, 200);
  assert.is(anonymous.headers.get('content-type'), 'image/jpeg');
});

test.run();
