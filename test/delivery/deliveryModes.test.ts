import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startS3rver, type S3rverFixture } from '../support/s3rverFixture.ts';
import { startTestService, type TestService } from '../support/testService.ts';
import { fetchMedia, jobCounter, pathOf, positionCodedJpeg, sha256, uploadImage } from './deliverySupport.ts';

const test = suite<{ s3: S3rverFixture; photo: Buffer }>('delivery modes: eager presets, presigned redirects, no cache');
test.before(async (context) => {
  context.s3 = await startS3rver();
  context.photo = await positionCodedJpeg(600, 400);
});
test.after(async ({ s3 }) => s3?.stop());

const s3Env = (s3: S3rverFixture, bucket: string) => ({
  MINIO_ENDPOINT: s3.endpoint,
  MINIO_ACCESS_KEY: s3.accessKey,
  MINIO_SECRET_KEY: s3.secretKey,
  MINIO_REGION: s3.region,
  MINIO_BUCKET: bucket,
});

async function renditionKeys(api: TestService): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of api.service.objectStore.list('renditions/')) keys.push(object.key.slice(object.key.lastIndexOf('/') + 1));
  return keys.sort();
}

test('RENDITION_EAGER=1 makes every preset right after the upload, and requests then render nothing', async ({ photo }) => {
  const counter = jobCounter();
  const api = await startTestService({ env: { RENDITION_EAGER: '1', RENDITION_PRESETS: 'thumb=64x64:cover,small=96,tiny=64:inside:avif' }, imageJobs: counter.imageJobs });
  try {
    const image = await uploadImage(api, photo);
    let keys: string[] = [];
    const deadline = Date.now() + 10_000;
    while (keys.length < 5 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      keys = await renditionKeys(api);
    }
    assert.equal(keys, [
      '64x64-cover-salient-q82.jpg', '64x64-cover-salient-q80.webp', '64xauto-inside-q55.avif', '96xauto-inside-q82.jpg', '96xauto-inside-q80.webp',
    ].sort());
    const rendered = counter.counts.rendition;
    for (const query of ['preset=thumb', 'preset=thumb&format=webp', 'preset=small', 'preset=tiny']) {
      assert.is((await fetchMedia(api, `${pathOf(image.image)}?${query}`)).status, 200, query);
    }
    assert.is(counter.counts.rendition, rendered, 'served from storage');
  } finally {
    await api.stop();
  }
});

test('MEDIA_REDIRECT=presigned answers 302 to a short-lived URL of the bucket, for originals and renditions', async ({ s3, photo }) => {
  const api = await startTestService({ env: { ...s3Env(s3, 'presigned-media'), MEDIA_REDIRECT: 'presigned', MEDIA_PRESIGN_SECONDS: '120' } });
  try {
    const image = await uploadImage(api, photo);
    const original = await fetch(`${api.service.url}${pathOf(image.image)}`, { redirect: 'manual' });
    assert.is(original.status, 302);
    const location = original.headers.get('location')!;
    assert.ok(location.startsWith(`${s3.endpoint}/presigned-media/products/`), location);
    assert.match(location, /X-Amz-Expires=120/);
    const fromBucket = Buffer.from(await (await fetch(location)).arrayBuffer());
    const key = pathOf(image.image).slice('/media/'.length);
    assert.is(sha256(fromBucket), (await api.service.objectStore.stat(key))!.sha256);
    const rendition = await fetch(`${api.service.url}${pathOf(image.image)}?w=64&format=webp`, { redirect: 'manual' });
    assert.is(rendition.status, 302);
    assert.match(rendition.headers.get('location')!, /\/presigned-media\/renditions\/products\/.*64xauto-inside-q80\.webp\?/);
  } finally {
    await api.stop();
  }
});

test('with MEDIA_CACHE_BYTES=0 every answer streams from the store', async ({ s3, photo }) => {
  const api = await startTestService({ env: { ...s3Env(s3, 'uncached-media'), MEDIA_CACHE_BYTES: '0' } });
  try {
    const image = await uploadImage(api, photo);
    const first = await fetchMedia(api, pathOf(image.image));
    const second = await fetchMedia(api, pathOf(image.image));
    assert.equal([first.status, second.status], [200, 200]);
    assert.ok(first.bytes.equals(second.bytes));
    assert.is(api.service.delivery.cache.bytes, 0);
  } finally {
    await api.stop();
  }
});

test.run();
