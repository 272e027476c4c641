import { request as httpRequest } from 'node:http';
import sharp from 'sharp';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { callOk, imageBase64, imageData, login, registerProduct } from '../support/rpcClient.ts';
import { startTestService, TOKEN, type TestService } from '../support/testService.ts';

interface Context {
  api: TestService;
  session: string;
  png: string;
}

// Issue 20, item 16: gallery file names are unique across the catalog and never reused, and
// Magento's media URL of a file serves the image.
const test = suite<Context>('gallery file names across the catalog, and /media/catalog/product<file>');
test.before(async (context) => {
  context.api = await startTestService();
  context.session = await login(context.api);
  context.png = await imageBase64('png', 16, 12, '#c33');
});
test.after(async ({ api }) => api.stop());

const pks = new Map<string, number>();
const newProduct = async (api: TestService) => {
  const sku = `CFN-${Math.random().toString(36).slice(2)}`;
  pks.set(sku, await registerProduct(api, sku));
  return sku;
};
const get = (api: TestService, path: string, headers: Record<string, string> = {}, method = 'GET') => fetch(`${api.service.url}${path}`, { method, headers });

/** A GET of `path` exactly as written (fetch would resolve `..` and `.` before sending). */
function rawGet(api: TestService, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const { hostname, port } = new URL(api.service.url);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ hostname, port, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') }));
    });
    request.on('error', reject);
    request.end();
  });
}

test('a second product creating `image` gets image_1; a removed name is never handed out again', async ({ api, session, png }) => {
  const [first, second, third] = [await newProduct(api), await newProduct(api), await newProduct(api)];
  assert.equal(await callOk(api, session, 'product_media.create', [first, imageData(png, 'image/png')]), ['/i/m/image.png']);
  assert.equal(await callOk(api, session, 'product_media.create', [second, imageData(png, 'image/png')]), ['/i/m/image_1.png']);
  assert.equal(await callOk(api, session, 'product_media.create', [second, imageData(png, 'image/png')]), ['/i/m/image_2.png']);
  await callOk(api, session, 'product_media.remove', [first, '/i/m/image.png']);
  await callOk(api, session, 'product_media.remove', [second, '/i/m/image_2.png']);
  assert.equal(await callOk(api, session, 'product_media.create', [first, imageData(png, 'image/png')]), ['/i/m/image_3.png'], 'the freed names stay taken');
  assert.equal(await callOk(api, session, 'product_media.create', [third, imageData(png, 'image/png')]), ['/i/m/image_4.png']);
  // Another extension is another name.
  assert.equal(await callOk(api, session, 'product_media.create', [third, imageData(png, 'image/jpeg')]), ['/i/m/image.jpg']);
  const reservations = (await api.eventsSince()).filter((event) => event.type === 'GalleryFileReserved').map((event) => [event.streamName, event.data]);
  assert.equal(reservations.slice(0, 2), [
    ['galleryFile-%2Fi%2Fm%2Fimage.png', { file: '/i/m/image.png', productPk: pks.get(first) }],
    ['galleryFile-%2Fi%2Fm%2Fimage_1.png', { file: '/i/m/image_1.png', productPk: pks.get(second) }],
  ]);
});

test('a refused image takes no name', async ({ api, session, png }) => {
  const sku = await newProduct(api);
  const refused = await callOk(api, session, 'product_media.create', [sku, imageData(Buffer.from('not an image').toString('base64'), 'image/png', { name: 'refused' })]).catch((error: Error) => error.message);
  assert.match(String(refused), /-32104/);
  assert.equal(await callOk(api, session, 'product_media.create', [sku, imageData(png, 'image/png', { name: 'refused' })]), ['/r/e/refused.png']);
});

test('GET and HEAD /media/catalog/product<file> serve the live image, public, with ETag, Range and 304', async ({ api, session, png }) => {
  const sku = await newProduct(api);
  const [file] = await callOk(api, session, 'product_media.create', [sku, imageData(png, 'image/png', { name: 'served' })]);
  assert.is(file, '/s/e/served.png');
  const byKey = await callOk(api, session, 'product_media.info', [sku, file]);
  const keyBytes = Buffer.from(await (await fetch(byKey.url.replace('https://omnitron.example.com', api.service.url))).arrayBuffer());

  const response = await get(api, `/media/catalog/product${file}`);
  assert.is(response.status, 200);
  assert.is(response.headers.get('content-type'), 'image/png');
  assert.is(response.headers.get('cache-control'), 'public, max-age=300, stale-while-revalidate=86400');
  assert.is(response.headers.get('accept-ranges'), 'bytes');
  const etag = response.headers.get('etag');
  assert.ok(etag);
  const bytes = Buffer.from(await response.arrayBuffer());
  assert.ok(bytes.equals(keyBytes), 'the same binary as the key URL');

  const head = await get(api, `/media/catalog/product${file}`, {}, 'HEAD');
  assert.equal([head.status, head.headers.get('content-length'), head.headers.get('etag')], [200, String(bytes.length), etag]);
  const range = await get(api, `/media/catalog/product${file}`, { range: 'bytes=0-7' });
  assert.equal([range.status, range.headers.get('content-range')], [206, `bytes 0-7/${bytes.length}`]);
  assert.ok(Buffer.from(await range.arrayBuffer()).equals(bytes.subarray(0, 8)));
  const notModified = await get(api, `/media/catalog/product${file}`, { 'if-none-match': etag! });
  assert.is(notModified.status, 304);
  const rendition = await get(api, `/media/catalog/product${file}?w=64&format=webp`);
  assert.equal([rendition.status, (await sharp(Buffer.from(await rendition.arrayBuffer())).metadata()).format], [200, 'webp']);

  // update replaces the binary under the same name: the URL follows it.
  const jpeg = await imageBase64('jpeg', 20, 10);
  await callOk(api, session, 'product_media.update', [sku, file, { file: { content: jpeg, mime: 'image/png' } }]);
  const replaced = await get(api, `/media/catalog/product${file}`);
  assert.equal([replaced.status, replaced.headers.get('content-type')], [200, 'image/jpeg']);
  assert.is.not(replaced.headers.get('etag'), etag);
  await replaced.arrayBuffer();
});

test('removed images, unknown names and other paths are 404 JSON, also with a token; nothing escapes the catalog', async ({ api, session, png }) => {
  const sku = await newProduct(api);
  const [file] = await callOk(api, session, 'product_media.create', [sku, imageData(png, 'image/png', { name: 'gone' })]);
  const [kept] = await callOk(api, session, 'product_media.create', [sku, imageData(png, 'image/png', { name: 'kept' })]);
  await callOk(api, session, 'product_media.remove', [sku, file]);
  const keyOfKept = new URL((await callOk(api, session, 'product_media.info', [sku, kept])).url).pathname;
  const paths = [
    `/media/catalog/product${file}`,
    '/media/catalog/product/n/o/nothing.png',
    '/media/catalog/product/k/e/../e/kept.png',
    '/media/catalog/product/k/e/%6Bept.png',
    `/media/catalog/product/k/e${kept.slice(4)}/`,
    '/media/catalog/product//k/e/kept.png',
    '/media/catalog/product/ke/kept.png',
    '/media/catalog/product',
    '/media/catalog/product/',
    `/media/catalog/product${keyOfKept}`,
    `/media/catalog/product/../..${keyOfKept}`,
  ];
  for (const path of paths) {
    for (const headers of [{}, { authorization: TOKEN }] as Record<string, string>[]) {
      const response = await rawGet(api, path, headers);
      assert.equal(response, { status: 404, body: { detail: 'Not found.' } }, path);
    }
  }
  assert.is((await get(api, `/media/catalog/product${kept}`)).status, 200, 'the other image of the product still serves');
  const post = await fetch(`${api.service.url}/media/catalog/product${kept}`, { method: 'POST' });
  assert.equal([post.status, post.headers.get('allow')], [405, 'GET, HEAD, OPTIONS']);
});

test.run();
