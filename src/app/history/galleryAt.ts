import { galleryProjection, IMAGES_TABLE, VIDEOS_TABLE, type ImageView, type VideoView } from '../../../projections/gallery.ts';
import type { EventMetadata } from '../../domain/eventMetadata.ts';
import { productMediaStream } from '../../domain/gallery/galleryStream.ts';
import type { EventStore, RecordedEvent } from '../../ports/eventStore.ts';
import { memoryReadModel } from '../../projections/memoryReadModel.ts';

/** A moment of a gallery: a time (events that occurred at or before it) or a stream revision. */
export type GalleryMoment = { asOf: string } | { atRevision: number };

/** A gallery as it was: every image and video view (live and deleted) and the revision reached. */
export interface PastGallery {
  images: ImageView[];
  videos: VideoView[];
  /** Revision of `productMedia-<pk>` folded in; -1 when nothing had happened yet. */
  revision: number;
}

/**
 * Time travel. Reads the product's own stream forwards up to the moment and folds it with the
 * gallery projection itself into a throw-away in-memory read model, so a past view is built by
 * exactly the code that builds the current one (and represented by the same functions). The cost
 * grows with that product's events only: the global log is never scanned.
 */
export async function galleryAt(eventStore: EventStore, productPk: number, moment: GalleryMoment): Promise<PastGallery> {
  const events = await eventStore.readStream(productMediaStream(productPk));
  return foldGallery(eventsUntil(events, moment));
}

/** The prefix of a stream's events that had happened at `moment`. */
export function eventsUntil(events: readonly RecordedEvent[], moment: GalleryMoment): RecordedEvent[] {
  const happened =
    'asOf' in moment
      ? (event: RecordedEvent) => occurredAt(event) <= moment.asOf
      : (event: RecordedEvent) => event.revision <= moment.atRevision;
  let end = 0;
  while (end < events.length && happened(events[end]!)) end++;
  return events.slice(0, end);
}

/** Folds gallery events (of one or many products) with the gallery projection into memory. */
export function foldGallery(events: Iterable<RecordedEvent>): PastGallery {
  const tx = memoryReadModel();
  let revision = -1;
  for (const event of events) {
    galleryProjection.apply(tx, event);
    revision = event.revision;
  }
  return { images: tx.values<ImageView>(IMAGES_TABLE), videos: tx.values<VideoView>(VIDEOS_TABLE), revision };
}

// ISO-8601 UTC with a fixed number of digits: text order is time order.
const occurredAt = (event: RecordedEvent) => (event.metadata as EventMetadata).occurredAt;
