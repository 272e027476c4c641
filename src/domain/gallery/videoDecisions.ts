import { requireOrder } from '../fieldRules.ts';
import type { VideoDeleted, VideoReordered, VideoUploaded } from './galleryEvents.ts';
import { galleryFor, requireFreshVideoPk, requireLiveVideo, requireMediaEnabled } from './galleryRules.ts';
import type { GalleryState } from './galleryState.ts';
import type { ProductFacts, StoredVideo } from './galleryVocabulary.ts';
import { placedOrder, type RequestedOrder } from './orderAfterLast.ts';

/** Decisions about videos: the same rules as images, without roles, names or restore. */

export function decideUploadVideo(
  state: GalleryState,
  product: ProductFacts,
  videoPk: number,
  blob: StoredVideo,
  requested: RequestedOrder,
): VideoUploaded[] {
  requireMediaEnabled(product, 'videos');
  const gallery = galleryFor(state, product);
  requireFreshVideoPk(gallery, videoPk);
  const order = placedOrder(requested, gallery.videos.filter((video) => video.status === 'live').map((video) => video.order));
  requireOrder(order);
  const { key, contentType, bytes, sha256 } = blob;
  return [{ type: 'VideoUploaded', data: { videoPk, productPk: gallery.productPk, key, contentType, bytes, sha256, order } }];
}

export function decideReorderVideo(state: GalleryState, videoPk: number, order: number): VideoReordered[] {
  const video = requireLiveVideo(state, videoPk);
  requireOrder(order);
  if (order === video.order) return [];
  return [{ type: 'VideoReordered', data: { videoPk, order, previousOrder: video.order } }];
}

export function decideDeleteVideo(state: GalleryState, videoPk: number): VideoDeleted[] {
  const video = requireLiveVideo(state, videoPk);
  return [{ type: 'VideoDeleted', data: { videoPk, key: video.key } }];
}
