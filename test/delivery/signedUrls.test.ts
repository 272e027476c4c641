import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestService, TOKEN, type TestService } from '../support/testService.ts';
import { fetchMedia, pathOf, uploadImage } from './deliverySupport.ts';
import sharp from 'sharp';

interface Context {
  api: TestService;
  url: URL;
}

const SECRET = 'media-signing-secret-0123456789abcdef';
const test = suite<Context>('MEDIA_ACCESS=signed: private catalogs');
test.before.each(async (context) => {
  context.api = await startTestService({ env: { MEDIA_ACCESS: 'signed', MEDIA_SIGNING_KEY: SECRET, MEDIA_URL_TTL_SECONDS: '600' } });
  const jpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#357' } }).jpeg().toBuffer();
  context.url = new URL((await uploadImage(context.api, jpeg)).image);
});
test.after.each(async ({ api }) => api.stop());

test('every URL the APIs hand out is signed, and a signed URL serves the image and its renditions', async ({ api, url }) => {
  assert.match(url.search, /^\?expires=\d+&signature=[A-Za-z0-9_-]{43}$/);
  const signed = await fetchMedia(api, pathOf(url.href));
  assert.is(signed.status, 200);
  assert.match(signed.headers.get('cache-control') ?? '', /^private, max-age=\d+$/);
  const rendition = await fetchMedia(api, `${pathOf(url.href)}&w=160&format=webp`);
  assert.equal([rendition.status, rendition.headers.get('content-type')], [200, 'image/webp']);
  const list = await api.request('GET', '/api/v1/product_image/?limit=1&ordering=-pk');
  assert.match(list.body.results[0].image, /\?expires=\d+&signature=/);
});

test('an unsigned, tampered or expired URL is a 403', async ({ api, url }) => {
  const unsigned = await fetchMedia(api, url.pathname);
  assert.equal([unsigned.status, unsigned.json()], [403, { detail: 'This URL needs a valid signature.' }]);
  const tampered = await fetchMedia(api, `${url.pathname}?expires=${url.searchParams.get('expires')}&signature=${'A'.repeat(43)}`);
  assert.equal([tampered.status, tampered.json()], [403, { detail: 'Invalid signature.' }]);
  const longer = await fetchMedia(api, `${url.pathname}?expires=${Number(url.searchParams.get('expires')) + 100_000}&signature=${url.searchParams.get('signature')}`);
  assert.equal([longer.status, longer.json()], [403, { detail: 'Invalid signature.' }], 'a signature is bound to its expiry');
  const { mediaSigner } = await import('../../src/delivery/mediaSignature.ts');
  const past = new URLSearchParams(mediaSigner(SECRET, 60).query(url.pathname.slice('/media/'.length), Date.now() - 3 * 3600 * 1000));
  const expired = await fetchMedia(api, `${url.pathname}?${past}`);
  assert.equal([expired.status, expired.json()], [403, { detail: 'This URL has expired.' }]);
  const unknown = await fetchMedia(api, '/media/products/2024/01/01/1/00000000-0000-0000-0000-000000000000.jpg');
  assert.is(unknown.status, 403, 'nothing tells an unsigned client which keys exist');
});

test('an API token needs no signature', async ({ api, url }) => {
  const withToken = await fetchMedia(api, url.pathname, { authorization: TOKEN });
  assert.is(withToken.status, 200);
});

test.run();
