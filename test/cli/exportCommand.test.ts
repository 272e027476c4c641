import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCatalog } from '../../src/cli/main.ts';
import { captureIo } from '../support/captureIo.ts';
import { colouredJpeg } from '../support/imageServer.ts';
import { startTestService, TEST_USERS, type TestService } from '../support/testService.ts';

const test = suite('catalog export');
const [erp] = TEST_USERS;

async function shipStreamList(api: TestService, sku: string) {
  const response = await api.request('POST', '/api/jsonrpc', {
    body: { jsonrpc: '2.0', id: 1, method: 'product_media.list', params: [null, sku] },
    auth: `Basic ${Buffer.from(`${erp!.name}:${erp!.key}`).toString('base64')}`,
  });
  return (response.body.result as { label: string; types: string[]; exclude: number; position: number }[]).map(({ label, types, exclude, position }) => ({ label, types, exclude, position }));
}

test('writes JSONL and media that catalog import reads back into another deployment, galleries alike', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'catalog-export-'));
  const source = await startTestService();
  let target: TestService | undefined;
  try {
    for (let seed = 1; seed <= 3; seed++) await writeFile(join(dir, `${seed}.jpg`), await colouredJpeg(seed));
    await writeFile(
      join(dir, 'in.csv'),
      ['sku,name,image,order,types,label,exclude', 'EXP-1,Lamp,1.jpg,0,base,Front,0', 'EXP-1,,2.jpg,1,thumbnail,Back,1', 'EXP-2,Chair,3.jpg,0,,,'].join('\n'),
    );
    const load = captureIo();
    assert.is(await runCatalog(['import', join(dir, 'in.csv'), '--url', source.service.url, '--token', erp!.key, '--user', erp!.name], load), 0, load.stderr());
    const before = { lamp: await shipStreamList(source, 'EXP-1'), chair: await shipStreamList(source, 'EXP-2') };
    await source.stop({ keepData: true });

    const out = join(dir, 'export');
    const io = captureIo({ DATA_DIR: source.dataDir });
    assert.is(await runCatalog(['export', out], io), 0, io.stderr());
    assert.match(io.stdout(), `exported 2 products, 3 images, 0 videos (`);
    // Rows come in pk order; the import creates its products concurrently, so compare by SKU.
    const bySku = (a: { sku: string; order?: number }, b: { sku: string; order?: number }) => a.sku.localeCompare(b.sku) || (a.order ?? 0) - (b.order ?? 0);
    const products = (await readFile(join(out, 'products.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line)).sort(bySku);
    assert.equal(products.map(({ sku, name, media_enabled }) => [sku, name, media_enabled]), [['EXP-1', 'Lamp', true], ['EXP-2', 'Chair', true]]);
    const rows = (await readFile(join(out, 'images.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line)).sort(bySku);
    assert.equal(rows.map(({ sku, order, types, label, exclude }) => [sku, order, types, label, exclude]), [
      ['EXP-1', 0, ['image'], 'Front', false],
      ['EXP-1', 1, ['thumbnail'], 'Back', true],
      ['EXP-2', 0, [], '', false],
    ]);
    assert.match(rows[0].image, /^media\/products\/\d{4}\/\d\d\/\d\d\/\d+\/[0-9a-f-]{36}\.jpg$/);
    assert.ok((await readFile(join(out, rows[0].image))).length > 0);

    target = await startTestService();
    const again = captureIo();
    assert.is(await runCatalog(['import', join(out, 'images.jsonl'), '--url', target.service.url, '--token', erp!.key, '--user', erp!.name], again), 0, again.stderr());
    assert.match(again.stdout(), '3 images added, 0 already there, 0 failed');
    assert.equal({ lamp: await shipStreamList(target, 'EXP-1'), chair: await shipStreamList(target, 'EXP-2') }, before);
  } finally {
    await target?.stop();
    await rm(source.dataDir, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
