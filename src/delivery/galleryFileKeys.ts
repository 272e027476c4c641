import { IMAGES_TABLE, type ImageView } from '../../projections/gallery.ts';
import { IMAGES_BY_GALLERY_FILE_TABLE } from '../../projections/galleryFiles.ts';
import type { ReadModelStore } from '../ports/readModelStore.ts';

/**
 * A ShipStream gallery file name as Magento's media URLs spell it after `/media/catalog/product`:
 * two dispersion directories of one character, then the name (`/i/m/image_1.png`). Anything
 * else (`..`, escapes, deeper paths) names no image; nothing of it ever reaches a file system.
 */
export const GALLERY_FILE_PATH = /^\/[A-Za-z0-9_.-]\/[A-Za-z0-9_.-]\/[A-Za-z0-9_.-]{1,255}$/;

/** The key of the current binary of the live image named `file` in the catalog, if any. */
export type GalleryFileKey = (file: string) => string | undefined;

/** Two point reads: the catalog-wide name index (projections/galleryFiles.ts), then the image. */
export function galleryFileKeys(readModels: ReadModelStore): GalleryFileKey {
  return (file) => {
    if (!GALLERY_FILE_PATH.test(file)) return undefined;
    const imagePk = readModels.get<number>(IMAGES_BY_GALLERY_FILE_TABLE, file);
    if (imagePk === undefined) return undefined;
    const view = readModels.get<ImageView>(IMAGES_TABLE, imagePk);
    return view !== undefined && view.status === 'live' && view.file === file ? view.key : undefined;
  };
}
