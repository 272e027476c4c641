import { performance } from 'node:perf_hooks';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JobLoad } from '../../src/adapters/sharp/jobLimiter.ts';
import { gifOfTinyFrames } from '../support/craftedImages.ts';
import { readFixture } from '../support/imageFixtures.ts';
import { call, imageData, login, registerProduct } from '../support/rpcClient.ts';
import { startTestService, TEST_USERS, waitUntil } from '../support/testService.ts';

const FRAME_BOMB = gifOfTinyFrames(1000, 1000, 64).toString('base64');
const INVALID_IMAGE_FAULT = { code: -32104, message: 'Invalid image.' };

const readFixtureBase64 = async (name: string): Promise<string> => (await readFixture(name)).toString('base64');

async function restUpload(url: string, productPk: number, image: Buffer, key = TEST_USERS[0]!.key) {
  const body = new FormData();
  body.append('product', String(productPk));
  body.append('image', new Blob([image], { type: 'image/jpeg' }), 'image.jpg');
  const response = await fetch(`${url}/api/v1/product_image/`, { method: 'POST', headers: { authorization: `Token ${key}` }, body });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

const busy = suite('bounded image work: a full queue');

busy('REST answers 503 with Retry-After, JSON-RPC fault 7, /media renditions 503, while the bombs time out as invalid images', async () => {
  let load: JobLoad = { running: 0, queued: 0 };
  // One slot, one place in the queue, and the frame bomb let through every header limit: each
  // bomb then holds its slot until the 1 s job timeout stops it.
  const api = await startTestService({
    env: { IMAGE_QUEUE_MAX: '1', IMAGE_JOB_TIMEOUT_MS: '2000', MAX_INPUT_PIXELS: '2000000000', MAX_ANIMATION_PIXELS: '2000000000' },
    imageJobs: { concurrency: 1, onLoad: (current) => (load = current) },
  });
  try {
    const sku = 'BUSY-1';
    const productPk = await registerProduct(api, sku);
    const stored = await restUpload(api.service.url, productPk, await readFixture('tiny.jpg'));
    assert.is(stored.status, 201);
    const session = await login(api);
    const bombs = [0, 1].map(() => call(api, session, 'product_media.create', [sku, imageData(FRAME_BOMB, 'image/gif')]));
    await waitUntil(() => load.running === 1 && load.queued === 1);

    const rest = await restUpload(api.service.url, productPk, await readFixture('tiny.jpg'));
    assert.equal([rest.status, rest.body], [503, { detail: 'Image processing is busy; retry in 1 second.' }]);
    assert.is(rest.headers.get('retry-after'), '1');

    const rpc = await call(api, session, 'product_media.create', [sku, imageData(await readFixtureBase64('tiny.jpg'))]);
    assert.equal(rpc, { jsonrpc: 2.0, id: 7, error: { code: -32007, message: 'Image processing is busy; retry in 1 second.' }, result: null });

    const rendition = await fetch(`${api.service.url}${new URL(stored.body.image).pathname}?w=64`);
    assert.equal([rendition.status, await rendition.json()], [503, { detail: 'Image processing is busy; retry in 1 second.' }]);
    assert.is(rendition.headers.get('retry-after'), '1');

    for (const answer of await Promise.all(bombs)) assert.equal(answer.error, INVALID_IMAGE_FAULT);
    assert.is((await restUpload(api.service.url, productPk, await readFixture('tiny.jpg'))).status, 201, 'served again once the queue drained');
  } finally {
    await api.stop();
  }
});

busy.run();

const bombs = suite('bounded image work: frame bombs');

bombs('a normal upload during 8 concurrent frame-bomb creates through JSON-RPC is answered within 2 s; every bomb is refused', async () => {
  const jobs: Array<[string, string]> = [];
  const api = await startTestService({ imageJobs: { onJobStart: (kind, owner) => jobs.push([kind, owner]) } });
  try {
    const sku = 'FRAME-BOMBS';
    await registerProduct(api, sku);
    const session = await login(api);
    const normal = await readFixtureBase64('tiny.jpg');
    const bombCreates = Array.from({ length: 8 }, () => call(api, session, 'product_media.create', [sku, imageData(FRAME_BOMB, 'image/gif')]));
    const started = performance.now();
    const created = await call(api, session, 'product_media.create', [sku, imageData(normal, 'image/jpeg', { name: 'normal' })]);
    const normalMs = performance.now() - started;
    const refusals = await Promise.all(bombCreates);
    console.log(`    the normal 64×48 JPEG was answered in ${normalMs.toFixed(0)} ms during 8 frame-bomb creates`);
    assert.equal(created.error, null);
    assert.equal(created.result, ['/n/o/normal.jpg']);
    assert.ok(normalMs <= 2000, `the normal upload took ${normalMs.toFixed(0)} ms`);
    for (const refusal of refusals) assert.equal(refusal.error, INVALID_IMAGE_FAULT);
    assert.equal(jobs, [['upload', 'erp']], 'the bombs took no job: refused from their header');
  } finally {
    await api.stop();
  }
});

bombs('each job belongs to its user: REST and JSON-RPC uploads to their user, anonymous renditions to nobody\'s', async () => {
  const jobs: Array<[string, string]> = [];
  const api = await startTestService({ imageJobs: { onJobStart: (kind, owner) => jobs.push([kind, owner]) } });
  try {
    const productPk = await registerProduct(api, 'OWNERS');
    const stored = await restUpload(api.service.url, productPk, await readFixture('tiny.jpg'), TEST_USERS[1]!.key);
    await call(api, await login(api), 'product_media.create', ['OWNERS', imageData(await readFixtureBase64('tiny.jpg'))]);
    const rendition = await fetch(`${api.service.url}${new URL(stored.body.image).pathname}?w=64`);
    assert.is(rendition.status, 200);
    assert.equal(jobs, [
      ['upload', 'backoffice'],
      ['upload', 'erp'],
      ['rendition', '(anonymous)'],
    ]);
  } finally {
    await api.stop();
  }
});

bombs.run();
