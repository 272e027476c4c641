import type { EventMetadata } from '../src/domain/eventMetadata.ts';
import type { GalleryEvent, GalleryVideoEvent } from '../src/domain/gallery/galleryEvents.ts';
import { PRODUCT_MEDIA_CATEGORY } from '../src/domain/gallery/galleryStream.ts';
import type { RecordedEvent } from '../src/ports/eventStore.ts';
import type { Projection, ReadModelTx } from '../src/ports/readModelStore.ts';
import {
  GALLERIES_TABLE,
  MEDIA_BY_KEY_TABLE,
  IMAGES_BY_FILE_TABLE,
  IMAGES_BY_ORDER_TABLE,
  IMAGES_BY_PRODUCT_TABLE,
  IMAGES_TABLE,
  VIDEOS_BY_ORDER_TABLE,
  VIDEOS_BY_PRODUCT_TABLE,
  VIDEOS_TABLE,
  type GalleryRevision,
} from './gallery/galleryViews.ts';
import { applyImageEvent } from './gallery/imageEvents.ts';
import { applyVideoEvent } from './gallery/videoEvents.ts';

export * from './gallery/galleryViews.ts';

export const GALLERY_STREAM_PREFIX = `${PRODUCT_MEDIA_CATEGORY}-`;

const VIDEO_EVENT_TYPES: ReadonlySet<string> = new Set<GalleryVideoEvent['type']>(['VideoUploaded', 'VideoReordered', 'VideoDeleted']);
const isVideoEvent = (event: GalleryEvent): event is GalleryVideoEvent => VIDEO_EVENT_TYPES.has(event.type);

/**
 * Images and videos of every product, with live-only indexes by product, by order and by file
 * name, and every binary key ever named (see gallery/galleryViews.ts). Fed by the `productMedia-<productPk>` streams.
 *
 * Idempotent by stream revision: `galleries` remembers the last revision applied per product, and
 * an event at or below it (the same event twice, a replay) changes nothing.
 */
export const galleryProjection: Projection = {
  name: 'gallery',
  // 2: focal points, and the media-by-key table (rebuilt from the log on the first start).
  version: 2,
  tables: [
    IMAGES_TABLE,
    IMAGES_BY_PRODUCT_TABLE,
    IMAGES_BY_ORDER_TABLE,
    IMAGES_BY_FILE_TABLE,
    VIDEOS_TABLE,
    VIDEOS_BY_PRODUCT_TABLE,
    VIDEOS_BY_ORDER_TABLE,
    MEDIA_BY_KEY_TABLE,
    GALLERIES_TABLE,
  ],
  streamNamePrefixes: [GALLERY_STREAM_PREFIX],
  apply(tx: ReadModelTx, recorded: RecordedEvent) {
    const productPk = Number(recorded.streamName.slice(GALLERY_STREAM_PREFIX.length));
    if (!recorded.streamName.startsWith(GALLERY_STREAM_PREFIX) || !Number.isSafeInteger(productPk)) return;
    const applied = tx.get<GalleryRevision>(GALLERIES_TABLE, productPk);
    if (applied !== undefined && recorded.revision <= applied.revision) return;

    const event = { type: recorded.type, data: recorded.data } as GalleryEvent;
    const at = { occurredAt: (recorded.metadata as EventMetadata).occurredAt, revision: recorded.revision };
    if (isVideoEvent(event)) applyVideoEvent(tx, event, at);
    else applyImageEvent(tx, event, at);
    tx.put(GALLERIES_TABLE, productPk, { revision: recorded.revision } satisfies GalleryRevision);
  },
};
