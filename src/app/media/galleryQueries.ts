import {
  IMAGES_BY_FILE_TABLE,
  IMAGES_BY_ORDER_TABLE,
  IMAGES_BY_PRODUCT_TABLE,
  IMAGES_TABLE,
  VIDEOS_BY_ORDER_TABLE,
  VIDEOS_BY_PRODUCT_TABLE,
  VIDEOS_TABLE,
  type ImageView,
  type VideoView,
} from '../../../projections/gallery.ts';
import type { ImageSource, SpecialImageType } from '../../domain/gallery/galleryVocabulary.ts';
import type { ReadModelStore } from '../../ports/readModelStore.ts';
import { mediaLister, type ListResult, type MediaFilter, type Page } from './mediaLists.ts';

export type { ListResult, MediaFilter, MediaOrdering, Page } from './mediaLists.ts';
export { MEDIA_ORDERINGS } from './mediaLists.ts';

export interface ImageFilter extends MediaFilter {
  source?: NonNullable<ImageSource>;
  /** Only the image holding this Omnitron special type (`base`: the main image). */
  specialImageType?: SpecialImageType;
}

export type VideoFilter = MediaFilter;

export interface LookupOptions {
  /** Also answer with a deleted medium (history, restores). Default: live only. */
  includeDeleted?: boolean;
}

export interface GalleryQueryOptions {
  /** Products whose decoded image (and video) lists stay cached; default 2000, 0 disables. */
  cachedProducts?: number;
}

/**
 * Reads images and videos from the `gallery` read model (projections/gallery.ts). Lists and
 * lookups answer live media only unless told otherwise. Create it once per store: it caches the
 * lists of recently read products (see revisionCache.ts). Views a list returns may be shared
 * with other callers and are frozen: copy, never change them.
 */
export function galleryQueries(readModels: ReadModelStore, options: GalleryQueryOptions = {}) {
  const cachedProducts = options.cachedProducts ?? 2000;
  const images = mediaLister<ImageView>(
    readModels,
    { views: IMAGES_TABLE, byProduct: IMAGES_BY_PRODUCT_TABLE, byOrder: IMAGES_BY_ORDER_TABLE },
    cachedProducts,
  );
  const videos = mediaLister<VideoView>(
    readModels,
    { views: VIDEOS_TABLE, byProduct: VIDEOS_BY_PRODUCT_TABLE, byOrder: VIDEOS_BY_ORDER_TABLE },
    cachedProducts,
  );

  const visible = <View extends { status: string }>(view: View | undefined, options: LookupOptions) =>
    view !== undefined && (view.status === 'live' || options.includeDeleted === true) ? view : undefined;

  return {
    /** The image `pk`; `undefined` when unknown or deleted (unless `includeDeleted`). */
    image: (pk: number, options: LookupOptions = {}): ImageView | undefined =>
      visible(readModels.get<ImageView>(IMAGES_TABLE, pk), options),

    /** The video `pk`; `undefined` when unknown or deleted (unless `includeDeleted`). */
    video: (pk: number, options: LookupOptions = {}): VideoView | undefined =>
      visible(readModels.get<VideoView>(VIDEOS_TABLE, pk), options),

    /** The live image of `productPk` named `file` in its gallery (exact match), e.g. `/i/m/image.png`. */
    imageByFile(productPk: number, file: string): ImageView | undefined {
      const imagePk = readModels.get<number>(IMAGES_BY_FILE_TABLE, [productPk, file]);
      return imagePk === undefined ? undefined : visible(readModels.get<ImageView>(IMAGES_TABLE, imagePk), {});
    },

    /** Live images, filtered and paged; default order `order`, then pk. */
    listImages(filter: ImageFilter, page: Page): ListResult<ImageView> {
      const { source, specialImageType: special } = filter;
      if (source === undefined && special === undefined) return images.list(filter, page);
      return images.list(
        filter,
        page,
        (image) => (source === undefined || image.source === source) && (special === undefined || image.specialImageTypes.includes(special)),
      );
    },

    /** Live videos, filtered and paged; default order `order`, then pk. */
    listVideos: (filter: VideoFilter, page: Page): ListResult<VideoView> => videos.list(filter, page),

    /** The live images of one product in (order, pk) order (shared and frozen, like list items). */
    galleryOf: (productPk: number): ImageView[] => images.productMedia(productPk),
  };
}

export type GalleryQueries = ReturnType<typeof galleryQueries>;
