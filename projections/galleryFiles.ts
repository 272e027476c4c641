import type { ImageUploaded } from '../src/domain/gallery/galleryEvents.ts';
import type { GalleryFileReserved } from '../src/domain/galleryFile/galleryFileEvents.ts';
import { GALLERY_FILE_CATEGORY } from '../src/domain/galleryFile/galleryFileStream.ts';
import { GALLERY_STREAM_PREFIX } from './gallery.ts';
import type { RecordedEvent } from '../src/ports/eventStore.ts';
import type { Projection, ReadModelTx } from '../src/ports/readModelStore.ts';

/** Gallery file name (`/i/m/image.png`) → pk of the image that took it; 0 while only reserved. */
export const IMAGES_BY_GALLERY_FILE_TABLE = 'imagesByGalleryFile';

/** The row of a name reserved (`GalleryFileReserved`) whose image is not recorded (yet, or ever). */
export const RESERVED_ONLY = 0;

/**
 * Every gallery file name ever reserved or given to an image of any product, with that image's
 * pk: the catalog-wide index behind `GET /media/catalog/product<file>` and behind the names
 * `create` skips (names are never reused, so a removed image keeps its row). Fed by
 * `GalleryFileReserved` (`galleryFile-<file>`) and `ImageUploaded` (`productMedia-<productPk>`);
 * an image keeps its name for life (restores and content replacements included). Idempotent:
 * the same event twice writes the same row.
 */
export const galleryFilesProjection: Projection = {
  name: 'galleryFiles',
  version: 1,
  tables: [IMAGES_BY_GALLERY_FILE_TABLE],
  streamNamePrefixes: [GALLERY_STREAM_PREFIX, `${GALLERY_FILE_CATEGORY}-`],
  apply(tx: ReadModelTx, recorded: RecordedEvent) {
    if (recorded.type === 'GalleryFileReserved') {
      const { file } = recorded.data as GalleryFileReserved['data'];
      if (tx.get<number>(IMAGES_BY_GALLERY_FILE_TABLE, file) === undefined) tx.put(IMAGES_BY_GALLERY_FILE_TABLE, file, RESERVED_ONLY);
      return;
    }
    if (recorded.type !== 'ImageUploaded' || !recorded.streamName.startsWith(GALLERY_STREAM_PREFIX)) return;
    const { file, imagePk } = recorded.data as ImageUploaded['data'];
    // Names from before the catalog-wide rule may repeat across products: the latest image keeps the row.
    tx.put(IMAGES_BY_GALLERY_FILE_TABLE, file, imagePk);
  },
};
