import {
  GALLERIES_TABLE,
  galleryProjection,
  IMAGES_TABLE,
  VIDEOS_TABLE,
  type GalleryRevision,
  type ImageView,
  type VideoView,
} from '../../../projections/gallery.ts';
import type { MemoryReadModel } from '../../projections/memoryReadModel.ts';
import type { ReadYourWrites } from '../readYourWrites.ts';
import type { GalleryWrite } from './galleryDecision.ts';
import type { GalleryQueries } from './galleryQueries.ts';
import { comparator } from './mediaLists.ts';

/**
 * What a gallery write answers from: the read model once it includes the write, or, while the
 * read model lags, the product's stream folded up to the write (the same views either way).
 */
export interface GalleryAnswer {
  /** The live image `pk`. */
  image(pk: number): ImageView | undefined;
  /** The live video `pk`. */
  video(pk: number): VideoView | undefined;
  /** The product's live images in (order, pk) order. */
  images(productPk: number): readonly ImageView[];
  /** The gallery revision (the ETag of every medium in it). */
  revisionOf(productPk: number): number | undefined;
}

const BY_ORDER = comparator(['order']);

/** Read-your-writes for gallery writes (REST and JSON-RPC alike). */
export function galleryAfterWrite(deps: { queries: GalleryQueries; revisionOf: (productPk: number) => number | undefined; readYourWrites: ReadYourWrites }) {
  const current: GalleryAnswer = {
    image: (pk) => deps.queries.image(pk),
    video: (pk) => deps.queries.video(pk),
    images: (productPk) => deps.queries.galleryOf(productPk),
    revisionOf: deps.revisionOf,
  };
  return {
    /** The read model as it is now. */
    current,
    /**
     * Waits until the read model includes the write and answers from it; while it lags, answers
     * from the product's stream instead: a write that was appended is durable and never fails here.
     */
    async settle(write: Pick<GalleryWrite, 'position' | 'streamName' | 'revision'>): Promise<GalleryAnswer> {
      if (await deps.readYourWrites.reached(write)) return current;
      return foldedAnswer(await deps.readYourWrites.fold(galleryProjection, write));
    },
  };
}

/** A gallery answer from one product's stream folded in memory. */
function foldedAnswer(folded: MemoryReadModel): GalleryAnswer {
  const live = <View extends { status: string }>(view: View | undefined) => (view?.status === 'live' ? view : undefined);
  return {
    image: (pk) => live(folded.get<ImageView>(IMAGES_TABLE, pk)),
    video: (pk) => live(folded.get<VideoView>(VIDEOS_TABLE, pk)),
    images: (productPk) =>
      folded
        .values<ImageView>(IMAGES_TABLE)
        .filter((view) => view.productPk === productPk && view.status === 'live')
        .sort(BY_ORDER),
    revisionOf: (productPk) => folded.get<GalleryRevision>(GALLERIES_TABLE, productPk)?.revision,
  };
}
