import { IMAGES_TABLE, MEDIA_BY_KEY_TABLE, VIDEOS_TABLE, type ImageView, type MediaKeyRow, type VideoView } from '../../projections/gallery.ts';
import type { FocalPoint } from '../domain/gallery/galleryVocabulary.ts';
import type { ReadModelStore } from '../ports/readModelStore.ts';

/** What a media URL's key names, as the read model knows it now. */
export interface MediaEntry {
  kind: 'image' | 'video';
  pk: number;
  productPk: number;
  /**
   * `live`: the current binary of a live image or video, public. `deleted`: of a deleted one
   * (kept for restores). `replaced`: an earlier binary of an image whose content was replaced.
   * Only `live` binaries are served without credentials.
   */
  state: 'live' | 'deleted' | 'replaced';
  /** The current binary's content type (an image's renditions keep its format by default). */
  contentType: string;
  /** The image's focal point, for `cover` renditions. */
  focalPoint?: FocalPoint;
}

/** Finds the image or video an object key belongs to (two point reads in the gallery read model). */
export function mediaLookup(readModels: ReadModelStore): (key: string) => MediaEntry | undefined {
  return (key) => {
    const row = readModels.get<MediaKeyRow>(MEDIA_BY_KEY_TABLE, key);
    if (row === undefined) return undefined;
    const view = readModels.get<ImageView | VideoView>(row.kind === 'image' ? IMAGES_TABLE : VIDEOS_TABLE, row.pk);
    if (view === undefined) return undefined;
    const state = view.key !== key ? 'replaced' : view.status === 'live' ? 'live' : 'deleted';
    const focalPoint = 'focalPoint' in view && view.focalPoint ? view.focalPoint : undefined;
    return { kind: row.kind, pk: row.pk, productPk: view.productPk, state, contentType: view.contentType, ...(focalPoint ? { focalPoint } : {}) };
  };
}

export type MediaLookup = ReturnType<typeof mediaLookup>;
