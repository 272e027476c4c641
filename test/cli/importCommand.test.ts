import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import sharp from 'sharp';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCatalog } from '../../src/cli/main.ts';
import { captureIo } from '../support/captureIo.ts';
import { colouredJpeg, startImageServer } from '../support/imageServer.ts';
import { startTestService, TEST_USERS, type TestService } from '../support/testService.ts';

const test = suite<{ service: TestService; images: Awaited<ReturnType<typeof startImageServer>>; dir: string }>('catalog import');
const [erp] = TEST_USERS;
let skuCounter = 0;
const newSku = () => `CLI-${process.pid}-${++skuCounter}`;

test.before(async (context) => {
  const files = new Map<string, Buffer>();
  for (let seed = 1; seed <= 12; seed++) files.set(`${seed}.jpg`, await colouredJpeg(seed));
  context.images = await startImageServer(files);
  context.service = await startTestService();
  context.dir = await mkdtemp(join(tmpdir(), 'catalog-import-'));
  await writeFile(join(context.dir, 'local.jpg'), await colouredJpeg(99));
  await copyFile(new URL('../fixtures/not-an-image.txt', import.meta.url), join(context.dir, 'notes.txt'));
});
test.after(async ({ service, images, dir }) => {
  await service.stop();
  await images.close();
  await rm(dir, { recursive: true, force: true });
});

const importArgs = (file: string, service: TestService, ...extra: string[]) => ['import', file, '--url', service.service.url, '--token', erp!.key, '--user', erp!.name, ...extra];

async function gallery(service: TestService, sku: string) {
  const products = await service.request('GET', `/api/v1/products/?sku=${sku}`);
  const [product] = products.body.results;
  if (product === undefined) return undefined;
  const images = await service.request('GET', `/api/v1/product_image/?product=${product.pk}&limit=100`);
  return { product, images: images.body.results as { pk: number; order: number }[] };
}

test('creates missing products, uploads each image once with its roles and label, and a re-run adds nothing', async ({ service, images, dir }) => {
  const [lamp, chair] = [newSku(), newSku()];
  const file = join(dir, 'good.csv');
  await writeFile(
    file,
    [
      'sku,name,image,order,types,label,exclude',
      `${lamp},Lamp,${images.base}/1.jpg,0,base|thumbnail,Front,`,
      `${lamp},,${images.base}/2.jpg,1,small_image,Side,1`,
      `${lamp},,${images.base}/1.jpg,0,base,Front again,`,
      `${chair},Chair,local.jpg,,,,`,
    ].join('\n'),
  );
  const io = captureIo();
  const before = await service.mark();
  assert.is(await runCatalog(importArgs(file, service, '--concurrency', '3'), io), 0, io.stderr());
  assert.match(io.stdout(), '4 rows in');
  assert.match(io.stdout(), '3 images added, 1 already there, 0 failed');

  const lampGallery = await gallery(service, lamp);
  assert.is(lampGallery?.product.name, 'Lamp');
  assert.equal(lampGallery?.images.map((image) => image.order), [0, 1]);
  const rpc = await service.request('POST', '/api/jsonrpc', {
    body: { jsonrpc: '2.0', id: 1, method: 'product_media.list', params: [null, lamp] },
    auth: `Basic ${Buffer.from(`${erp!.name}:${erp!.key}`).toString('base64')}`,
  });
  assert.equal(
    rpc.body.result.map((image: { label: string; types: string[]; exclude: number; position: number }) => [image.label, image.types, image.exclude, image.position]),
    [
      ['Front', ['image', 'thumbnail'], 0, 0],
      // The catalog has no small_image role: ShipStream ignores unknown type codes, as OpenMage does.
      ['Side', [], 1, 1],
    ],
  );
  assert.is((await gallery(service, chair))?.images.length, 1);
  const firstRunEvents = (await service.eventsSince(before)).length;
  assert.ok(firstRunEvents > 0);

  const again = captureIo();
  const mark = await service.mark();
  const bodiesBefore = images.bodies();
  assert.is(await runCatalog(importArgs(file, service), again), 0, again.stderr());
  assert.match(again.stdout(), '0 images added, 4 already there, 0 failed');
  assert.equal(await service.eventsSince(mark), []);
  // Unchanged sources are not read again: the server answered 304s, the local file was not reread.
  assert.is(images.bodies(), bodiesBefore);

  // Without the hash cache the re-run reads every image, and still adds nothing.
  await rm(`${file}.hashes.json`);
  const cold = captureIo();
  assert.is(await runCatalog(importArgs(file, service), cold), 0, cold.stderr());
  assert.match(cold.stdout(), '0 images added, 4 already there, 0 failed');
  assert.is(images.bodies(), bodiesBefore + 3, 'the three HTTP rows (the fourth is a local file)');
});

test('an image changed at the same URL since the last run is added on the re-run', async ({ service, images, dir }) => {
  const sku = newSku();
  const file = join(dir, 'changing.csv');
  await writeFile(file, `sku,image\n${sku},${images.base}/changing.jpg\n`);
  images.files.set('changing.jpg', await colouredJpeg(200));
  assert.is(await runCatalog(importArgs(file, service), captureIo()), 0);
  images.files.set('changing.jpg', await colouredJpeg(201));
  const io = captureIo();
  assert.is(await runCatalog(importArgs(file, service), io), 0);
  assert.match(io.stdout(), '1 images added, 0 already there, 0 failed');
  assert.is((await gallery(service, sku))?.images.length, 2);
});

test('reports each bad row in the errors file with its reason, imports the others and exits 1', async ({ service, images, dir }) => {
  const sku = newSku();
  const file = join(dir, 'mixed.csv');
  await writeFile(
    file,
    [
      'sku,image,order',
      `,${images.base}/3.jpg,`,
      `${sku},${images.base}/missing.jpg,`,
      `${sku},nowhere.jpg,`,
      `${sku},notes.txt,`,
      `${sku},${images.base}/3.jpg,x`,
      `${sku},${images.base}/4.jpg,`,
    ].join('\n'),
  );
  const io = captureIo();
  assert.is(await runCatalog(importArgs(file, service), io), 1);
  assert.match(io.stdout(), '6 rows in');
  assert.match(io.stdout(), '1 images added, 0 already there, 5 failed');
  assert.match(io.stdout(), `Failed rows and reasons: ${file}.errors.csv`);
  const errors = (await readFile(`${file}.errors.csv`, 'utf8')).trim().split('\n');
  assert.equal(errors, [
    'sku,name,image,order,types,label,exclude,line,error',
    `,,${images.base}/3.jpg,,,,,2,sku: This field is required.`,
    `${sku},,${images.base}/missing.jpg,,,,,3,image: ${images.base}/missing.jpg answered HTTP 404.`,
    `${sku},,nowhere.jpg,,,,,4,"image: ""nowhere.jpg"" cannot be read (ENOENT)."`,
    `${sku},,notes.txt,,,,,5,"image: The file is not a JPEG, PNG or GIF image."`,
    `${sku},,${images.base}/3.jpg,x,,,,6,order: A valid non-negative integer is required.`,
  ]);
  assert.is((await gallery(service, sku))?.images.length, 1);

  // Fixed and imported again: the errors file goes away with the last failure.
  await writeFile(file, `sku,image\n${sku},${images.base}/3.jpg\n${sku},${images.base}/4.jpg\n`);
  assert.is(await runCatalog(importArgs(file, service), captureIo()), 0);
  await readFile(`${file}.errors.csv`).then(
    () => assert.unreachable('the stale errors file is still there'),
    (error: NodeJS.ErrnoException) => assert.is(error.code, 'ENOENT'),
  );
  assert.is((await gallery(service, sku))?.images.length, 2);
});

test('JPEG and PNG bytes go as they are (REST multipart), a GIF through ShipStream create; each file name carries the content hash', async ({ service, dir }) => {
  const sku = newSku();
  const solid = sharp({ create: { width: 40, height: 30, channels: 3, background: '#4a7' } });
  const sources = { 'photo.png': await solid.clone().png().toBuffer(), 'anim.gif': await solid.clone().gif().toBuffer(), 'photo.jpg': await colouredJpeg(77) };
  for (const [name, content] of Object.entries(sources)) await writeFile(join(dir, name), content);
  const file = join(dir, 'formats.csv');
  await writeFile(file, ['sku,image,order,types,label,exclude', `${sku},photo.jpg,0,base,Jpeg label,`, `${sku},photo.png,1,thumbnail,,1`, `${sku},anim.gif,2,,Gif,`].join('\n'));
  const mark = await service.mark();
  const io = captureIo();
  assert.is(await runCatalog(importArgs(file, service), io), 0, io.stderr());
  assert.match(io.stdout(), '3 images added, 0 already there, 0 failed');
  const uploads = (await service.eventsSince(mark)).filter((event) => event.type === 'ImageUploaded');
  assert.equal(uploads.map((event) => (event.metadata as { api: string }).api).sort(), ['rest', 'rest', 'rpc']);
  const listed = await service.request('POST', '/api/jsonrpc', {
    body: { jsonrpc: '2.0', id: 1, method: 'product_media.list', params: [null, sku] },
    auth: `Basic ${Buffer.from(`${erp!.name}:${erp!.key}`).toString('base64')}`,
  });
  const stem = (content: Buffer) => createHash('sha256').update(content).digest('hex').slice(0, 40);
  assert.equal(
    listed.body.result.map((image: { file: string; label: string; types: string[]; exclude: number; position: number }) => [image.file.split('/').pop(), image.label, image.types, image.exclude, image.position]),
    [
      [`${stem(sources['photo.jpg'])}.jpg`, 'Jpeg label', ['image'], 0, 0],
      [`${stem(sources['photo.png'])}.png`, '', ['thumbnail'], 1, 1],
      [`${stem(sources['anim.gif'])}.gif`, 'Gif', [], 0, 2],
    ],
  );
  const again = captureIo();
  assert.is(await runCatalog(importArgs(file, service), again), 0, again.stderr());
  assert.match(again.stdout(), '0 images added, 3 already there, 0 failed');
});

test('JSONL rows go in the same way, and a product without media fails its rows', async ({ service, images, dir }) => {
  const [sku, closed] = [newSku(), newSku()];
  assert.is((await service.request('POST', '/api/v1/products/', { body: { sku: closed, media_enabled: false } })).status, 201);
  const file = join(dir, 'rows.jsonl');
  await writeFile(file, [JSON.stringify({ sku, image: `${images.base}/5.jpg`, types: ['base'] }), JSON.stringify({ sku: closed, image: `${images.base}/6.jpg` })].join('\n'));
  const io = captureIo();
  assert.is(await runCatalog(importArgs(file, service), io), 1);
  assert.match(await readFile(`${file}.errors.csv`, 'utf8'), `,2,Product ${closed} does not take media (media_enabled is false).`);
  assert.is((await gallery(service, sku))?.images.length, 1);
});

test('Ctrl-C stops taking rows and exits 130; the re-run imports the rest, nothing twice', async ({ service, images, dir }) => {
  const sku = newSku();
  const file = join(dir, 'long.csv');
  await writeFile(file, ['sku,image', ...Array.from({ length: 6 }, (_, index) => `${sku},${images.base}/${index + 7}.jpg`)].join('\n'));
  const io = captureIo();
  const run = runCatalog(importArgs(file, service, '--concurrency', '1'), io);
  // Pressed while the first row is under way.
  setImmediate(() => io.interrupt());
  assert.is(await run, 130);
  assert.match(io.stdout(), 'not processed');
  assert.match(io.stdout(), 'Interrupted: run the same command again to resume.');
  const partial = (await gallery(service, sku))?.images.length ?? 0;
  assert.ok(partial < 6, `${partial} images after the interrupt`);

  const rerun = captureIo();
  assert.is(await runCatalog(importArgs(file, service), rerun), 0);
  assert.match(rerun.stdout(), `${6 - partial} images added, ${partial} already there, 0 failed`);
  assert.is((await gallery(service, sku))?.images.length, 6);
});

test('a refused token stops the import at once with exit 2', async ({ service, images, dir }) => {
  const file = join(dir, 'refused.csv');
  await writeFile(file, `sku,image\n${newSku()},${images.base}/1.jpg\n`);
  const io = captureIo();
  assert.is(await runCatalog(['import', file, '--url', service.service.url, '--token', 'wrong-key'], io), 2);
  assert.match(io.stderr(), 'catalog: The service refused the token (HTTP 401');
});

test('bad arguments and an unreadable file exit 2 with a message', async ({ service, dir }) => {
  const missing = captureIo();
  assert.is(await runCatalog(['import', join(dir, 'absent.csv'), '--url', service.service.url, '--token', 'k'], missing), 2);
  assert.match(missing.stderr(), `catalog: ${join(dir, 'absent.csv')} cannot be read: ENOENT`);
  const badUrl = captureIo();
  assert.is(await runCatalog(['import', 'x.csv', '--url', 'ftp://x', '--token', 'k'], badUrl), 2);
  assert.match(badUrl.stderr(), 'catalog: --url: "ftp://x" is not an http(s) URL.');
  const badConcurrency = captureIo();
  assert.is(await runCatalog(['import', 'x.csv', '--url', 'http://x', '--token', 'k', '--concurrency', '0'], badConcurrency), 2);
  assert.match(badConcurrency.stderr(), "option '--concurrency <n>' argument '0' is invalid. Must be a positive integer.");
});

test.run();
