import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChildServer, BENCH_API_USERS, BENCH_AUTHORIZATION } from './serviceChild.ts';
import { runHttpLoad } from './httpLoad.ts';
import { makePhotoJpeg } from '../test/support/imageFixtures.ts';
const dir = mkdtempSync(join(tmpdir(), 'probe-'));
const variants = (process.env.VARIANTS ?? 'none').split(',');
const results: Record<string, number[]> = {};
const main = new URL('../src/main.ts', import.meta.url).pathname;
let path = '';
for (let round = 0; round < 2; round++) for (const variant of variants) {
  const s = await startChildServer(main, { DATA_DIR: join(dir, 'data'), API_USERS: BENCH_API_USERS, LOG_LEVEL: 'info', PROBE_SKIP: variant }, '/ready', join(dir, 'log'));
  if (!path) {
    const json = { authorization: BENCH_AUTHORIZATION, 'content-type': 'application/json' };
    const p = await (await fetch(`${s.url}/api/v1/products/`, { method: 'POST', headers: json, body: JSON.stringify({ sku: 'P1' }) })).json() as any;
    const jpeg = await makePhotoJpeg({ width: 400, height: 300 });
    for (let o = 0; o < 10; o++) { const f = new FormData(); f.append('product', String(p.pk)); f.append('order', String(o)); f.append('image', new Blob([jpeg], { type: 'image/jpeg' }), 'a.jpg'); await fetch(`${s.url}/api/v1/product_image/`, { method: 'POST', headers: { authorization: BENCH_AUTHORIZATION }, body: f }); }
    path = `/api/v1/product_image/?product=${p.pk}&limit=100`;
  }
  await runHttpLoad({ url: s.url + path, connections: 20, durationSeconds: 2, headers: { authorization: BENCH_AUTHORIZATION } });
  const r = await runHttpLoad({ url: s.url + path, connections: 20, durationSeconds: 4, headers: { authorization: BENCH_AUTHORIZATION } });
  (results[variant] ??= []).push(Math.round(r.requestsPerSecond));
  await s.stop();
}
console.log(results);
