import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { collectGarbage } from '../../src/cli/gc/collectGarbage.ts';
import { runCatalog } from '../../src/cli/main.ts';
import { captureIo } from '../support/captureIo.ts';
import { colouredJpeg } from '../support/imageServer.ts';
import { callOk, imageData, login, registerProduct } from '../support/rpcClient.ts';
import { startTestService, TEST_USERS, type TestService } from '../support/testService.ts';

const test = suite('catalog gc');
const MINUTE = 60_000;

async function upload(api: TestService, productPk: number, seed: number): Promise<{ pk: number; key: string }> {
  const data = new FormData();
  data.append('product', String(productPk));
  data.append('image', new Blob([await colouredJpeg(seed)], { type: 'image/jpeg' }), 'image.jpg');
  const response = await fetch(`${api.service.url}/api/v1/product_image/`, { method: 'POST', headers: { authorization: `Token ${TEST_USERS[0]!.key}` }, body: data });
  const body = (await response.json()) as { pk: number; image: string };
  if (response.status !== 201) throw new Error(JSON.stringify(body));
  return { pk: body.pk, key: new URL(body.image).pathname.replace(/^\/media\//, '') };
}

/** Orphans of every kind, a deleted (restorable) image, a live one; answers their keys. */
async function seedCatalog(api: TestService) {
  const productPk = await registerProduct(api, `GC-${process.pid}-${Math.random()}`);
  const live = await upload(api, productPk, 1);
  const deleted = await upload(api, productPk, 2);
  assert.is((await api.request('DELETE', `/api/v1/product_image/${deleted.pk}/`)).status, 204);
  // Content replaced through ShipStream: the old binary is left behind.
  const sku = (await api.request('GET', `/api/v1/products/${productPk}/`)).body.sku;
  const session = await login(api);
  const [file] = await callOk(api, session, 'product_media.list', [sku]).then((list: { file: string }[]) => list.map((image) => image.file));
  await callOk(api, session, 'product_media.update', [sku, file, imageData((await colouredJpeg(3)).toString('base64'))]);
  const replacedKey = live.key;
  const current = (await api.request('GET', `/api/v1/product_image/${live.pk}/`)).body.image as string;
  const liveKey = new URL(current).pathname.replace(/^\/media\//, '');
  // A write cut before its event, and a rendition of it.
  const cut = await api.service.objectStore.put({ key: `products/2026/01/01/${productPk}/cut-write.jpg`, body: await colouredJpeg(4), contentType: 'image/jpeg' });
  const cutRendition = await api.service.objectStore.put({ key: `renditions/${cut.key}/64xauto-inside-q80.webp`, body: Buffer.from('rendition'), contentType: 'image/webp' });
  // Something of someone else in the bucket: never the collector's.
  await api.service.objectStore.put({ key: 'exports/catalog.jsonl', body: Buffer.from('{}'), contentType: 'application/json' });
  return { productPk, liveKey, deleted, replacedKey, orphans: [cut.key, cutRendition.key, replacedKey].sort() };
}

test('deletes orphans older than the grace period, keeps live and restorable binaries, while uploads race it', async () => {
  const api = await startTestService();
  try {
    const seeded = await seedCatalog(api);
    const { eventStore, objectStore } = api.service;
    // Everything written so far is "old": the collector's clock stands a grace period after it.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const oldEnough = Date.now();
    const clock = () => oldEnough + 10 * MINUTE;

    // Uploads run while the collector runs again and again.
    const uploads = Array.from({ length: 12 }, (_, index) => upload(api, seeded.productPk, 10 + index));
    let running = true;
    const settled = Promise.allSettled(uploads).then((results) => {
      running = false;
      return results;
    });
    const runs: string[][] = [];
    let startedWhileUploading = 0;
    // Again and again while uploads run, and at least three times whatever the machine's speed.
    do {
      if (running) startedWhileUploading++;
      const result = await collectGarbage({ eventStore, objectStore, minAgeMs: 10 * MINUTE, dryRun: false, now: clock });
      runs.push(result.collected.map((object) => object.key));
    } while (running || runs.length < 3);
    const uploaded = (await settled).map((result) => {
      if (result.status === 'rejected') throw result.reason;
      return result.value;
    });

    assert.ok(startedWhileUploading >= 1, 'the collector ran while uploads were under way');
    assert.equal(runs[0]!.sort(), seeded.orphans);
    assert.equal(runs.slice(1).flat(), [], 'later runs find nothing more');
    for (const key of [seeded.liveKey, seeded.deleted.key, ...uploaded.map((image) => image.key)]) {
      assert.ok(await objectStore.stat(key), `${key} is still there`);
    }
    assert.ok(await objectStore.stat('exports/catalog.jsonl'));
    for (const key of seeded.orphans) assert.is(await objectStore.stat(key), null, `${key} is gone`);

    // The deleted image comes back with its binary.
    assert.is((await api.request('POST', `/api/v1/product_image/${seeded.deleted.pk}/restore/`)).status, 200);
    const media = await fetch(`${api.service.url}/media/${seeded.deleted.key}`);
    assert.is(media.status, 200);
    await media.arrayBuffer();
  } finally {
    await api.stop();
  }
});

test('from the command line on a stopped DATA_DIR: --dry-run lists, then gc deletes and counts the bytes', async () => {
  const api = await startTestService();
  const seeded = await seedCatalog(api);
  const sizes = await Promise.all(seeded.orphans.map(async (key) => (await api.service.objectStore.stat(key))!.size));
  await api.stop({ keepData: true });
  const env = { DATA_DIR: api.dataDir };
  try {
    const young = captureIo(env);
    assert.is(await runCatalog(['gc'], young), 0, young.stderr());
    assert.match(young.stdout(), 'deleted 0 (0 B, 0 bytes); 3 unreferenced kept (younger than the grace period)');

    const dry = captureIo(env);
    assert.is(await runCatalog(['gc', '--dry-run', '--min-age', '0'], dry), 0, dry.stderr());
    const total = sizes.reduce((sum, size) => sum + size, 0);
    assert.equal(
      dry.stdout().trim().split('\n').slice(0, 3).sort(),
      seeded.orphans.map((key, index) => `would delete ${key} (${sizes[index]} bytes)`).sort(),
    );
    assert.match(dry.stdout(), `would delete 3 (`);
    assert.match(dry.stdout(), `, ${total} bytes); 0 unreferenced kept`);

    const real = captureIo(env);
    assert.is(await runCatalog(['gc', '--min-age', '0'], real), 0, real.stderr());
    assert.match(real.stdout(), `deleted 3 (`);
    const again = captureIo(env);
    assert.is(await runCatalog(['gc', '--min-age', '0'], again), 0);
    assert.match(again.stdout(), 'deleted 0 (0 B, 0 bytes)');

    const bad = captureIo(env);
    assert.is(await runCatalog(['gc', '--min-age', 'soon'], bad), 2);
    assert.match(bad.stderr(), "option '--min-age <duration>' argument 'soon' is invalid. Must be a duration such as 90s, 30m, 24h, 7d or 1h30m.");
  } finally {
    const restarted = await startTestService({ dataDir: api.dataDir });
    assert.is((await restarted.request('POST', `/api/v1/product_image/${seeded.deleted.pk}/restore/`)).status, 200);
    await restarted.stop();
  }
});

test.run();
