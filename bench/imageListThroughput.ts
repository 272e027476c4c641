import { makePhotoJpeg } from '../test/support/imageFixtures.ts';
import type { BenchmarkResult } from './benchmarkResult.ts';
import { listAgainstBareKoa } from './listAgainstBareKoa.ts';
import { BENCH_AUTHORIZATION, type ChildServer } from './serviceChild.ts';
import { isEntryPoint, runStandalone } from './standalone.ts';

export const LISTED_IMAGES = 10;

/** A product (SKU `sku`) with {@link LISTED_IMAGES} images uploaded through the REST API; returns its pk. */
export async function seedListedProduct(service: ChildServer, sku: string): Promise<number> {
  const json = { authorization: BENCH_AUTHORIZATION, 'content-type': 'application/json' };
  const product = await fetch(`${service.url}/api/v1/products/`, { method: 'POST', headers: json, body: JSON.stringify({ sku }) });
  if (product.status !== 201) throw new Error(`creating the product answered ${product.status}: ${await product.text()}`);
  const { pk } = (await product.json()) as { pk: number };
  const jpeg = await makePhotoJpeg({ width: 400, height: 300 });
  for (let order = 0; order < LISTED_IMAGES; order++) {
    const form = new FormData();
    form.append('product', String(pk));
    form.append('order', String(order));
    form.append('image', new Blob([jpeg], { type: 'image/jpeg' }), `photo-${order}.jpg`);
    const upload = await fetch(`${service.url}/api/v1/product_image/`, { method: 'POST', headers: { authorization: BENCH_AUTHORIZATION }, body: form });
    if (upload.status !== 201) throw new Error(`uploading image ${order} answered ${upload.status}: ${await upload.text()}`);
  }
  return pk;
}

/**
 * Issue 4, listing: `GET /api/v1/product_image/?product=<pk>&limit=100` for a product with 10
 * images, against a bare Koa app answering the same bytes. Throughput target ≥ 0.6×, p99 at half
 * the bare maximum ≤ 1.5×.
 */
export function imageListThroughput(): Promise<BenchmarkResult[]> {
  return listAgainstBareKoa({
    label: 'imageListThroughput',
    name: `Image list, ${LISTED_IMAGES} images, 20 connections`,
    subjectLabel: 'whole service (`node --import tsx src/main.ts`, LMDB, LOG_LEVEL=info): `GET /api/v1/product_image/?product=<pk>&limit=100`',
    p99Target: 1.5,
    async seed(service) {
      const pk = await seedListedProduct(service, 'BENCH-LIST-1');
      return {
        method: 'GET',
        path: `/api/v1/product_image/?product=${pk}&limit=100`,
        headers: { authorization: BENCH_AUTHORIZATION },
        check(body) {
          const { count } = JSON.parse(body) as { count: number };
          if (count !== LISTED_IMAGES) throw new Error(`the list has ${count} images, not ${LISTED_IMAGES}`);
        },
      };
    },
  });
}

if (isEntryPoint(import.meta.url)) runStandalone(imageListThroughput);
