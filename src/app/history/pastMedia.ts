import type { ImageView, VideoView } from '../../../projections/gallery.ts';
import type { EventStore } from '../../ports/eventStore.ts';
import type { ImageFilter, ListResult, Page, VideoFilter } from '../media/galleryQueries.ts';
import { comparator, pageOf, selectedProducts } from '../media/mediaLists.ts';
import { galleryAt, type GalleryMoment } from './galleryAt.ts';

/**
 * The image and video queries of galleryQueries.ts, answered for a past moment from the
 * products' own streams (see galleryAt.ts). Lists need a product filter: a past catalog-wide
 * list would have to fold every gallery, which is what the read model is for.
 */
export function pastMedia(eventStore: EventStore) {
  async function list<View extends ImageView | VideoView>(
    filter: ImageFilter | VideoFilter,
    moment: GalleryMoment,
    page: Page,
    pick: (gallery: Awaited<ReturnType<typeof galleryAt>>) => View[],
    keep: (view: View) => boolean = () => true,
  ): Promise<ListResult<View>> {
    const products = selectedProducts(filter) ?? [];
    const galleries = await Promise.all(products.map((productPk) => galleryAt(eventStore, productPk, moment)));
    const live = galleries.flatMap(pick).filter((view) => view.status === 'live' && keep(view));
    live.sort(comparator(filter.ordering ?? ['order']));
    return pageOf(live, page);
  }

  return {
    /** Live images of the filter's products at `moment`, filtered, ordered and paged like the current list. */
    listImages: (filter: ImageFilter, moment: GalleryMoment, page: Page) =>
      list(filter, moment, page, (gallery) => gallery.images, (image) =>
        (filter.source === undefined || image.source === filter.source) &&
        (filter.specialImageType === undefined || image.specialImageTypes.includes(filter.specialImageType)),
      ),

    /** Live videos of the filter's products at `moment`. */
    listVideos: (filter: VideoFilter, moment: GalleryMoment, page: Page) => list(filter, moment, page, (gallery) => gallery.videos),

    /** Image `pk` of `productPk` as it was at `moment`; `undefined` if it was not live then. */
    async image(productPk: number, pk: number, moment: GalleryMoment): Promise<ImageView | undefined> {
      const { images } = await galleryAt(eventStore, productPk, moment);
      return images.find((image) => image.pk === pk && image.status === 'live');
    },

    /** Video `pk` of `productPk` as it was at `moment`; `undefined` if it was not live then. */
    async video(productPk: number, pk: number, moment: GalleryMoment): Promise<VideoView | undefined> {
      const { videos } = await galleryAt(eventStore, productPk, moment);
      return videos.find((video) => video.pk === pk && video.status === 'live');
    },
  };
}

export type PastMedia = ReturnType<typeof pastMedia>;
