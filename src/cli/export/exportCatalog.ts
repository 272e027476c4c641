import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { galleryProjection } from '../../../projections/gallery.ts';
import { IMAGES_TABLE, VIDEOS_TABLE, type ImageView, type VideoView } from '../../../projections/gallery/galleryViews.ts';
import { PRODUCTS_TABLE, productsProjection, type ProductView } from '../../../projections/products.ts';
import { memoryReadModel } from '../../projections/memoryReadModel.ts';
import type { EventStore } from '../../ports/eventStore.ts';
import type { ObjectStore } from '../../ports/objectStore.ts';
import { eventsAfter } from '../catalogStores.ts';
import { exportedPath, imageRow, productLine, videoLine } from './exportRows.ts';

export interface ExportResult {
  products: number;
  images: number;
  videos: number;
  bytes: number;
}

/**
 * Writes the catalog as files: `products.jsonl`, `images.jsonl` (rows `catalog import` reads
 * back), `videos.jsonl`, and every live binary under `media/<key>`, each checked against the
 * SHA-256 its event recorded. The read models are folded afresh from the events in memory.
 */
export async function exportCatalog(
  deps: { eventStore: EventStore; objectStore: ObjectStore },
  dir: string,
  onBinary?: (done: number, total: number) => void,
): Promise<ExportResult> {
  const model = memoryReadModel();
  for await (const event of eventsAfter(deps.eventStore)) {
    for (const projection of [productsProjection, galleryProjection]) {
      if (projection.streamNamePrefixes.some((prefix) => event.streamName.startsWith(prefix))) projection.apply(model, event);
    }
  }
  const products = model.values<ProductView>(PRODUCTS_TABLE).sort((a, b) => a.pk - b.pk);
  const skuOf = new Map(products.map((product) => [product.pk, product.sku]));
  const images = model.values<ImageView>(IMAGES_TABLE).filter((image) => image.status === 'live').sort((a, b) => a.productPk - b.productPk || a.order - b.order || a.pk - b.pk);
  const videos = model.values<VideoView>(VIDEOS_TABLE).filter((video) => video.status === 'live').sort((a, b) => a.productPk - b.productPk || a.order - b.order);

  await mkdir(dir, { recursive: true });
  const jsonl = (rows: unknown[]) => rows.map((row) => `${JSON.stringify(row)}\n`).join('');
  const binaries = [...images, ...videos];
  let bytes = 0;
  for (const [index, media] of binaries.entries()) {
    bytes += await copyBinary(deps.objectStore, media.key, media.sha256, join(dir, exportedPath(media.key)));
    onBinary?.(index + 1, binaries.length);
  }
  // The lists last: an export cut short has no list naming a binary it lacks.
  await writeFile(join(dir, 'products.jsonl'), jsonl(products.map(productLine)));
  await writeFile(join(dir, 'images.jsonl'), jsonl(images.map((image) => imageRow(image, skuOf.get(image.productPk) ?? String(image.productPk)))));
  await writeFile(join(dir, 'videos.jsonl'), jsonl(videos.map((video) => videoLine(video, skuOf.get(video.productPk) ?? String(video.productPk)))));
  return { products: products.length, images: images.length, videos: videos.length, bytes };
}

/** Copies one binary to `path` (through a temporary file), checking its hash. @returns its size. */
async function copyBinary(objectStore: ObjectStore, key: string, sha256: string, path: string): Promise<number> {
  await mkdir(dirname(path), { recursive: true });
  const { body, info } = await objectStore.get(key);
  const hash = createHash('sha256');
  body.on('data', (chunk: Buffer) => hash.update(chunk));
  const temporary = `${path}.partial`;
  await pipeline(body, createWriteStream(temporary));
  const actual = hash.digest('hex');
  if (actual !== sha256) throw new Error(`${key} hashes to ${actual}, its event recorded ${sha256}: run "catalog verify".`);
  await rename(temporary, path);
  return info.size;
}
