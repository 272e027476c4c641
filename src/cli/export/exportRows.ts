import type { ImageView, VideoView } from '../../../projections/gallery/galleryViews.ts';
import type { ProductView } from '../../../projections/products.ts';

/** Where an exported binary goes, relative to the export folder. */
export function exportedPath(key: string): string {
  return `media/${key}`;
}

/** A product line of `products.jsonl`. */
export function productLine(product: ProductView) {
  return { sku: product.sku, name: product.name, media_enabled: product.mediaEnabled, pk: product.pk };
}

/** An image as a row `catalog import` reads back (`images.jsonl`), its binary under `media/`. */
export function imageRow(image: ImageView, sku: string) {
  return {
    sku,
    image: exportedPath(image.key),
    order: image.order,
    types: [...image.roles],
    label: image.label,
    exclude: image.exclude,
    sha256: image.sha256,
  };
}

/** A video line of `videos.jsonl` (the import takes images only; videos are kept for completeness). */
export function videoLine(video: VideoView, sku: string) {
  return { sku, video: exportedPath(video.key), order: video.order, sha256: video.sha256, bytes: video.bytes };
}
