import type { GalleryEvent } from '../src/domain/gallery/galleryEvents.ts';
import { productMediaStream } from '../src/domain/gallery/galleryStream.ts';
import { productSkuStream, productStream } from '../src/domain/product/productStreams.ts';
import type { EventData, EventStore } from '../src/ports/eventStore.ts';
import { benchId, benchMetadata, imageUploadedEvent } from './sampleEvents.ts';

/** Images in each seeded gallery; the rest of its history moves them around. */
const IMAGES = 5;
const APPEND_CHUNK = 500;

/** A seeded product: where its history is and which image a benchmark changes. */
export interface SeededGallery {
  productPk: number;
  /** The image the benchmark PATCHes, and its order after the seed. */
  imagePk: number;
  order: number;
  /** Events in `productMedia-<productPk>`. */
  events: number;
}

/**
 * Writes a product as the service would have recorded it (SKU claim, registration) and a gallery
 * stream of exactly `events` events: IMAGES uploads, then reorders of one image after another,
 * as an ERP that re-syncs positions every night leaves them. Every event is valid for the gallery
 * decider (orders and previous orders agree), so the service folds and decides on it as on its own.
 */
export async function seedGallery(store: EventStore, productPk: number, events: number): Promise<SeededGallery> {
  const sku = `LONG-${productPk}`;
  const metadata = benchMetadata(productPk);
  await store.appendToStream(productSkuStream(sku), [{ id: benchId(0x5c, productPk), type: 'SkuClaimed', data: { sku, productPk }, metadata }]);
  await store.appendToStream(productStream(productPk), [
    { id: benchId(0x9e, productPk), type: 'ProductRegistered', data: { productPk, sku, name: `Desk lamp ${productPk}`, mediaEnabled: true }, metadata },
  ]);

  const imagePks = Array.from({ length: IMAGES }, (_, index) => productPk * 100 + index);
  const orders = imagePks.map((_, index) => index);
  const history: EventData[] = [];
  for (let n = 0; n < events; n++) {
    const id = benchId(productPk, n);
    const eventMetadata = benchMetadata(n);
    if (n < IMAGES) {
      const upload = imageUploadedEvent(productPk, imagePks[n]!, id);
      // One main image, as a real gallery has: the first upload holds the role.
      history.push({ ...upload, data: { ...upload.data, order: orders[n]!, roles: n === 0 ? ['image'] : [] }, metadata: eventMetadata });
      continue;
    }
    const index = n % IMAGES;
    const previousOrder = orders[index]!;
    orders[index] = previousOrder + IMAGES;
    const reordered: GalleryEvent = { type: 'ImageReordered', data: { imagePk: imagePks[index]!, order: orders[index]!, previousOrder } };
    history.push({ id, type: reordered.type, data: reordered.data, metadata: eventMetadata });
  }
  for (let from = 0; from < history.length; from += APPEND_CHUNK) {
    await store.appendToStream(productMediaStream(productPk), history.slice(from, from + APPEND_CHUNK));
  }
  return { productPk, imagePk: imagePks[0]!, order: orders[0]!, events };
}
