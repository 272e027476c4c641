import type { GalleryVideoEvent, VideoUploaded } from '../../src/domain/gallery/galleryEvents.ts';
import type { ReadModelTx } from '../../src/ports/readModelStore.ts';
import {
  MEDIA_BY_KEY_TABLE,
  VIDEOS_BY_ORDER_TABLE,
  VIDEOS_BY_PRODUCT_TABLE,
  VIDEOS_TABLE,
  type Change,
  type MediaKeyRow,
  type VideoView,
} from './galleryViews.ts';

/** Folds one video event into the video views and their live-only indexes. */
export function applyVideoEvent(tx: ReadModelTx, event: GalleryVideoEvent, at: Change): void {
  switch (event.type) {
    case 'VideoUploaded':
      tx.put(MEDIA_BY_KEY_TABLE, event.data.key, { kind: 'video', pk: event.data.videoPk } satisfies MediaKeyRow);
      return saveVideo(tx, tx.get<VideoView>(VIDEOS_TABLE, event.data.videoPk), uploadedView(event.data, at));
    case 'VideoReordered':
      return updateVideo(tx, event.data.videoPk, at, { order: event.data.order });
    case 'VideoDeleted':
      return updateVideo(tx, event.data.videoPk, at, { status: 'deleted' });
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

function updateVideo(tx: ReadModelTx, videoPk: number, at: Change, change: Partial<VideoView>): void {
  const before = tx.get<VideoView>(VIDEOS_TABLE, videoPk);
  if (before === undefined) return;
  saveVideo(tx, before, { ...before, ...change, modifiedAt: at.occurredAt, revision: at.revision });
}

/** Writes `after` and moves its index rows (a live video is indexed under its order, a deleted one nowhere). */
function saveVideo(tx: ReadModelTx, before: VideoView | undefined, after: VideoView): void {
  const wasLive = before?.status === 'live';
  const isLive = after.status === 'live';
  if (before !== undefined && wasLive && (!isLive || before.order !== after.order)) {
    tx.remove(VIDEOS_BY_PRODUCT_TABLE, [before.productPk, before.order, before.pk]);
    tx.remove(VIDEOS_BY_ORDER_TABLE, [before.order, before.pk]);
  }
  tx.put(VIDEOS_TABLE, after.pk, after);
  if (!isLive) return;
  tx.put(VIDEOS_BY_PRODUCT_TABLE, [after.productPk, after.order, after.pk], after);
  if (before?.status !== 'live' || before.order !== after.order) tx.put(VIDEOS_BY_ORDER_TABLE, [after.order, after.pk], after.productPk);
}

function uploadedView(data: VideoUploaded['data'], at: Change): VideoView {
  return {
    pk: data.videoPk,
    productPk: data.productPk,
    key: data.key,
    contentType: data.contentType,
    bytes: data.bytes,
    sha256: data.sha256,
    order: data.order,
    status: 'live',
    createdAt: at.occurredAt,
    modifiedAt: at.occurredAt,
    revision: at.revision,
  };
}
