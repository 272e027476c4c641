import { fileNameOfKey } from '../src/app/media/mediaKeys.ts';
import type { BenchmarkResult } from './benchmarkResult.ts';
import { listAgainstBareKoa } from './listAgainstBareKoa.ts';
import { seedDeliveryImage, DELIVERY_PHOTO } from './mediaDelivery.ts';
import { isEntryPoint, runStandalone } from './standalone.ts';

/**
 * Issue 20, item 16: anonymous GETs of a stored original by Magento's URL of its gallery file
 * (`/media/catalog/product/<c>/<c>/<name>`: two more point reads than by key, to find the live
 * image of that name) against a bare `node:http` server answering the same bytes from memory,
 * 10 connections. Compare with `mediaOriginal` (by key) of the same run.
 */
export async function mediaByGalleryFile(): Promise<BenchmarkResult[]> {
  return listAgainstBareKoa({
    label: 'mediaByGalleryFile',
    name: `Anonymous GET of a stored original by gallery file name, ${DELIVERY_PHOTO.width}×${DELIVERY_PHOTO.height} JPEG, 10 connections`,
    subjectLabel: 'whole service: `GET /media/catalog/product<file>` without credentials',
    baseline: 'http',
    target: 0.75,
    connections: 10,
    async seed(service) {
      const keyPath = await seedDeliveryImage(service, 'BENCH-MEDIA-BY-FILE');
      // A REST upload's gallery file name is derived from its key (`/7/a/7ab3….jpg`).
      const path = `/media/catalog/product${fileNameOfKey(keyPath.replace(/^\/media\//, ''))}`;
      const first = await fetch(`${service.url}${path}`);
      if (first.status !== 200) throw new Error(`${path} answered ${first.status}`);
      await first.arrayBuffer();
      return {
        method: 'GET',
        path,
        headers: {},
        check: (body: string) => {
          if (body.length < 1000) throw new Error(`expected a JPEG, got ${body.length} bytes`);
        },
      };
    },
  });
}

if (isEntryPoint(import.meta.url)) runStandalone(mediaByGalleryFile);
