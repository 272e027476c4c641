import sharp from 'sharp';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestService, TOKEN, type TestService } from '../support/testService.ts';
import { fetchMedia, jobCounter, meanDifference, pathOf, positionCodedJpeg, sha256, uploadImage } from './deliverySupport.ts';

interface Context {
  api: TestService;
  jobs: ReturnType<typeof jobCounter>['counts'];
  photo: Buffer;
  path: string;
  pk: number;
}

/**
 * Renditions through the whole service, registered once per object-store engine: `env` gives
 * the engine's settings (none: files under DATA_DIR).
 */
export function renditionSuite(name: string, env: () => Record<string, string>): void {
  const test = suite<Context>(`renditions on ${name}`);
  test.before(async (context) => {
    context.photo = await positionCodedJpeg();
  });
  test.before.each(async (context) => {
    const counter = jobCounter();
    context.jobs = counter.counts;
    context.api = await startTestService({ env: env(), imageJobs: counter.imageJobs });
    const image = await uploadImage(context.api, context.photo);
    context.path = pathOf(image.image);
    context.pk = image.pk;
  });
  test.after.each(async ({ api }) => api?.stop());

  test('?w=320&format=webp is a 320-wide WebP, served like an original', async ({ api, path }) => {
    const webp = await fetchMedia(api, `${path}?w=320&format=webp`);
    assert.is(webp.status, 200);
    assert.is(webp.headers.get('content-type'), 'image/webp');
    const meta = await sharp(webp.bytes).metadata();
    assert.equal([meta.format, meta.width, meta.height], ['webp', 320, 213]);
    assert.is(meta.exif, undefined, 'no metadata');
    assert.is(webp.headers.get('content-length'), String(webp.bytes.length));
    assert.is(webp.headers.get('etag'), `"${sha256(webp.bytes)}"`);
    assert.is(webp.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.is(webp.headers.get('vary'), null);
    assert.is(webp.headers.get('access-control-allow-origin'), '*');
    assert.is(webp.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(webp.headers.get('last-modified'));
    const again = await fetchMedia(api, `${path}?w=320&format=webp`, { 'if-none-match': webp.headers.get('etag')! });
    assert.is(again.status, 304);
    const part = await fetchMedia(api, `${path}?w=320&format=webp`, { range: 'bytes=0-9' });
    assert.is(part.status, 206);
    assert.ok(part.bytes.equals(webp.bytes.subarray(0, 10)));
  });

  test('a rendition is made once and then read from the object store', async ({ api, path, jobs }) => {
    const first = await fetchMedia(api, `${path}?w=640`);
    assert.is(jobs.rendition, 1);
    assert.equal([(await sharp(first.bytes).metadata()).format, first.headers.get('content-type')], ['jpeg', 'image/jpeg'], 'the original format by default');
    // Answered first, stored right after (a rendition can be made again: the write is not waited for).
    const stored: string[] = [];
    for (let attempt = 0; attempt < 100 && stored.length === 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      for await (const object of api.service.objectStore.list('renditions/')) stored.push(object.key);
    }
    assert.equal(stored, [`renditions/${path.slice('/media/'.length)}/640xauto-inside-q82.jpg`]);
    assert.is((await api.service.objectStore.stat(stored[0]!))!.sha256, sha256(first.bytes), 'the bytes answered are the bytes stored');
    api.service.delivery.cache.clear();
    const second = await fetchMedia(api, `${path}?w=640`);
    assert.is(jobs.rendition, 1, 'no second render');
    assert.ok(second.bytes.equals(first.bytes));
    assert.is(second.headers.get('etag'), first.headers.get('etag'));
  });

  test('50 concurrent first requests of one rendition run one sharp job and get identical bytes', async ({ api, path, jobs }) => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => fetchMedia(api, `${path}?w=480&format=webp`)));
    assert.ok(answers.every((answer) => answer.status === 200));
    assert.is(jobs.rendition, 1);
    assert.is(new Set(answers.map((answer) => sha256(answer.bytes))).size, 1);
  });

  test('format=auto picks AVIF, then WebP, then the original format from Accept, and varies on it', async ({ api, path }) => {
    const cases: Array<[string, string]> = [
      ['image/avif,image/webp,image/apng,*/*;q=0.8', 'image/avif'],
      ['image/webp,*/*', 'image/webp'],
      ['image/avif;q=0,image/webp', 'image/webp'],
      ['*/*', 'image/jpeg'],
      ['', 'image/jpeg'],
    ];
    for (const [accept, type] of cases) {
      const answer = await fetchMedia(api, `${path}?w=320&format=auto`, accept === '' ? {} : { accept });
      assert.is(answer.headers.get('content-type'), type, accept);
      assert.is(answer.headers.get('vary'), 'Accept');
      assert.is((await sharp(answer.bytes).metadata()).width, 320);
    }
    const avif = await fetchMedia(api, `${path}?w=320&format=auto`, { accept: 'image/avif' });
    assert.is((await sharp(avif.bytes).metadata()).format, 'heif');
  });

  test('fit=cover 320×320 is exact and centred on the focal point', async ({ api, path, pk, photo }) => {
    const set = await api.request('PATCH', `/api/v1/product_image/${pk}/`, { body: { focal_point: { x: 0.6, y: 0.3 } } });
    assert.equal([set.status, set.body.focal_point], [200, { x: 0.6, y: 0.3 }]);
    const cover = await fetchMedia(api, `${path}?w=320&h=320&fit=cover&format=png`);
    assert.equal([cover.status, (await sharp(cover.bytes).metadata()).width, (await sharp(cover.bytes).metadata()).height], [200, 320, 320]);
    assert.is(cover.headers.get('cache-control'), 'public, max-age=3600, stale-while-revalidate=86400');
    // 1500×1000 covers 320×320 at 480×320; the focal point's x (0.6 × 480 = 288) is the crop's centre: left 128.
    const expected = await sharp(photo).resize({ width: 480, height: 320, fit: 'fill' }).extract({ left: 128, top: 0, width: 320, height: 320 }).png().toBuffer();
    assert.ok((await meanDifference(cover.bytes, expected)) < 2, 'the crop sharp makes directly');
    const centred = await sharp(photo).resize({ width: 320, height: 320, fit: 'cover', position: 'centre' }).png().toBuffer();
    assert.ok((await meanDifference(cover.bytes, centred)) > 8, 'not a centred crop');
    // A new focal point is a new crop under the same URL.
    await api.request('PATCH', `/api/v1/product_image/${pk}/`, { body: { focal_point: { x: 0, y: 0 } } });
    const moved = await fetchMedia(api, `${path}?w=320&h=320&fit=cover&format=png`);
    const left = await sharp(photo).resize({ width: 480, height: 320, fit: 'fill' }).extract({ left: 0, top: 0, width: 320, height: 320 }).png().toBuffer();
    assert.ok((await meanDifference(moved.bytes, left)) < 2);
    assert.is.not(moved.headers.get('etag'), cover.headers.get('etag'));
  });

  test('contain letterboxes, presets name boxes, and nothing is enlarged', async ({ api, path }) => {
    const contained = await sharp((await fetchMedia(api, `${path}?w=320&h=320&fit=contain&format=png`)).bytes).metadata();
    assert.equal([contained.width, contained.height, contained.hasAlpha], [320, 320, true]);
    const thumbnail = await sharp((await fetchMedia(api, `${path}?preset=thumbnail`)).bytes).metadata();
    assert.equal([thumbnail.width, thumbnail.height], [160, 160]);
    const card = await sharp((await fetchMedia(api, `${path}?preset=card&format=webp`)).bytes).metadata();
    assert.equal([card.format, card.width, card.height], ['webp', 480, 320]);
    const wide = await sharp((await fetchMedia(api, `${path}?w=2000`)).bytes).metadata();
    assert.equal([wide.width, wide.height], [1500, 1000], 'never upscaled');
    const coverLarge = await sharp((await fetchMedia(api, `${path}?w=2000&h=2000&fit=cover`)).bytes).metadata();
    assert.equal([coverLarge.width, coverLarge.height], [1000, 1000], 'the largest square the image covers');
  });

  test('a width outside RENDITION_SIZES, and every hostile parameter, is a JSON 400 without a sharp job', async ({ api, path, jobs }) => {
    const outside = await fetchMedia(api, `${path}?w=321`);
    assert.equal([outside.status, outside.json()], [400, { w: ['Must be one of 64, 96, 128, 160, 240, 320, 480, 640, 800, 960, 1200, 1600, 2000.'] }]);
    assert.is(outside.headers.get('content-type'), 'application/json');
    const hostile = [
      'w=0', 'w=-1', 'w=1e9', 'w=320&w=640', 'w=0320', 'w=320.0', 'w=', 'h=abc', 'format=../', 'format=gif', 'format=heic', 'fit=<script>',
      'fit=cover', 'preset=nope', 'preset=card&w=320', 'colour=red', 'w=320%00', '%00', `w=320&x=${'a'.repeat(600)}`, 'expires=1',
      'signature=abc', 'w=320&format=WEBP', 'W=320',
    ];
    for (const query of hostile) {
      const answer = await fetchMedia(api, `${path}?${query}`);
      assert.is(answer.status, 400, query);
      assert.type(answer.json(), 'object');
    }
    assert.is(jobs.rendition, 0);
  });

  test('a video has no renditions', async ({ api }) => {
    const product = await api.request('POST', '/api/v1/products/', { body: { sku: `VIDEO-${Math.random()}` } });
    const data = new FormData();
    data.append('product', String(product.body.pk));
    const { readFile } = await import('node:fs/promises');
    data.append('video', new Blob([await readFile(new URL('../fixtures/minimal.mp4', import.meta.url))], { type: 'video/mp4' }), 'a.mp4');
    const video = (await (await fetch(`${api.service.url}/api/v1/product_video/`, { method: 'POST', headers: { authorization: TOKEN }, body: data })).json()) as { video: string };
    const refused = await fetchMedia(api, `${pathOf(video.video)}?w=320`);
    assert.equal([refused.status, refused.json()], [400, { detail: 'Renditions are made of images only.' }]);
    assert.is((await fetchMedia(api, pathOf(video.video))).status, 200);
  });

  test.run();
}
