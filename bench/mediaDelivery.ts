import { makePhotoJpeg } from '../test/support/imageFixtures.ts';
import type { BenchmarkResult } from './benchmarkResult.ts';
import { listAgainstBareKoa } from './listAgainstBareKoa.ts';
import { BENCH_AUTHORIZATION, type ChildServer } from './serviceChild.ts';
import { isEntryPoint, runStandalone } from './standalone.ts';

/** The photo of the delivery benchmarks, as an upload of a product photo. */
export const DELIVERY_PHOTO = { width: 1500, height: 1000, quality: 90 };

/** Uploads one photo through the REST API and answers the path of its public URL. */
export async function seedDeliveryImage(service: ChildServer, sku: string, jpeg?: Buffer): Promise<string> {
  const json = { authorization: BENCH_AUTHORIZATION, 'content-type': 'application/json' };
  const product = await fetch(`${service.url}/api/v1/products/`, { method: 'POST', headers: json, body: JSON.stringify({ sku }) });
  if (product.status !== 201) throw new Error(`creating the product answered ${product.status}: ${await product.text()}`);
  const { pk } = (await product.json()) as { pk: number };
  const form = new FormData();
  form.append('product', String(pk));
  form.append('image', new Blob([jpeg ?? (await makePhotoJpeg(DELIVERY_PHOTO))], { type: 'image/jpeg' }), 'photo.jpg');
  const upload = await fetch(`${service.url}/api/v1/product_image/`, { method: 'POST', headers: { authorization: BENCH_AUTHORIZATION }, body: form });
  if (upload.status !== 201) throw new Error(`uploading the photo answered ${upload.status}: ${await upload.text()}`);
  return new URL(((await upload.json()) as { image: string }).image).pathname;
}

function expectImage(contentType: string) {
  return (body: string) => {
    if (body.length < 1000) throw new Error(`expected a ${contentType}, got ${body.length} bytes`);
  };
}

/**
 * Issue 17: anonymous GETs of a stored original (1500×1000 JPEG, target ≥ 0.8×) and of a stored
 * 320-wide WebP rendition (≥ 0.75×), each against a bare `node:http` server answering the same
 * bytes from memory, 10 connections.
 */
export async function mediaDelivery(): Promise<BenchmarkResult[]> {
  const original = await listAgainstBareKoa({
    label: 'mediaOriginal',
    name: `Anonymous GET of a stored original, ${DELIVERY_PHOTO.width}×${DELIVERY_PHOTO.height} JPEG, 10 connections`,
    subjectLabel: 'whole service: `GET /media/<key>` without credentials',
    baseline: 'http',
    target: 0.8,
    connections: 10,
    async seed(service) {
      const path = await seedDeliveryImage(service, 'BENCH-MEDIA-ORIGINAL');
      return { method: 'GET', path, headers: {}, check: expectImage('image/jpeg') };
    },
  });
  const rendition = await listAgainstBareKoa({
    label: 'mediaRendition',
    name: 'Anonymous GET of a stored 320-wide WebP rendition, 10 connections',
    subjectLabel: 'whole service: `GET /media/<key>?w=320&format=webp` without credentials (made by an earlier request)',
    baseline: 'http',
    target: 0.75,
    connections: 10,
    async seed(service) {
      const path = `${await seedDeliveryImage(service, 'BENCH-MEDIA-RENDITION')}?w=320&format=webp`;
      const first = await fetch(`${service.url}${path}`);
      if (first.status !== 200) throw new Error(`the first rendition request answered ${first.status}`);
      return { method: 'GET', path, headers: {}, check: expectImage('image/webp') };
    },
  });
  return [...original, ...rendition];
}

if (isEntryPoint(import.meta.url)) runStandalone(mediaDelivery);
