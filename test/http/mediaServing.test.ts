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

const test = suite<Context>('GET /media/<key>: binaries from the object store');
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

async function get(api: TestService, path: string, headers: Record<string, string> = {}, method = 'GET') {
  const response = await fetch(`${api.service.url}${path}`, { method, headers: { authorization: TOKEN, ...headers } });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** A request whose path goes out exactly as written (fetch would resolve `..` and `%2e%2e`). */
function rawGet(api: TestService, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(api.service.url);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ hostname, port, path, headers: { authorization: TOKEN } }, (response) => {
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
  assert.is(image.headers.get('cache-control'), 'private, max-age=31536000, immutable');
  assert.is(image.headers.get('x-content-type-options'), 'nosniff');
  assert.is(image.headers.get('accept-ranges'), 'bytes');

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
    assert.is(cached.headers.get('cache-control'), 'private, max-age=31536000, immutable');
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

test('media needs the API token', async ({ api, imagePath }) => {
  for (const path of [imagePath, '/media/products/no-such.jpg']) {
    const anonymous = await api.request('GET', path, { auth: null });
    assert.equal([anonymous.status, anonymous.body], [401, { detail: 'Authentication credentials were not provided.' }]);
    assert.is(anonymous.headers.get('www-authenticate'), 'Token');
  }
  const wrong = await api.request('GET', imagePath, { auth: 'Token nope' });
  assert.equal([wrong.status, wrong.body], [401, { detail: 'Invalid token.' }]);
});

test('an unknown or invalid key is DRF\'s 404', async ({ api, imagePath }) => {
  const unknown = await api.request('GET', '/media/products/2024/01/01/1/00000000-0000-0000-0000-000000000000.jpg');
  assert.equal([unknown.status, unknown.body], [404, { detail: 'Not found.' }]);
  const paths = [
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

test('only GET and HEAD are allowed', async ({ api, imagePath }) => {
  const refused = await api.request('DELETE', imagePath);
  assert.equal([refused.status, refused.body], [405, { detail: 'Method "DELETE" not allowed.' }]);
});

test.run();
