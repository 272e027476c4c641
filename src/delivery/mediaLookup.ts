import {
  GALLERIES_TABLE,
  IMAGES_TABLE,
  MEDIA_BY_KEY_TABLE,
  VIDEOS_TABLE,
  type GalleryRevision,
  type ImageView,
  type MediaKeyRow,
  type VideoView,
} from '../../projections/gallery.ts';
import type { FocalPoint } from '../domain/gallery/galleryVocabulary.ts';
import type { ReadModelStore } from '../ports/readModelStore.ts';

/** What a media URL's key names, as the read model knows it now. */
export interface MediaEntry {
  /** The object key the entry was found by. */
  key: string;
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
  /** An image's size as stored (oriented), so renditions are planned without reading its header. */
  width?: number;
  height?: number;
}

/** Keys whose answer is remembered; beyond this the oldest are forgotten. */
const CACHED_KEYS = 10_000;

/**
 * Finds the image or video an object key belongs to (two point reads in the gallery read model).
 * Answers are remembered per key with the revision of their product's gallery stream: while the
 * read-model store commits nothing they are current as they are, and after a commit one small
 * read (the product's revision) tells whether they still are. Every change to a medium is an
 * event of that stream, and reads and commits run on one thread.
 */
export function mediaLookup(readModels: ReadModelStore): (key: string) => MediaEntry | undefined {
  const remembered = new Map<string, { entry: MediaEntry; revision: number | undefined; checkedAt: number }>();
  const revisionOf = (productPk: number) => readModels.get<GalleryRevision>(GALLERIES_TABLE, productPk)?.revision;
  return (key) => {
    const changes = readModels.changes();
    const known = remembered.get(key);
    if (known !== undefined && (known.checkedAt === changes || known.revision === revisionOf(known.entry.productPk))) {
      known.checkedAt = changes;
      return known.entry;
    }
    const entry = read(readModels, key);
    if (entry === undefined) {
      remembered.delete(key);
      return undefined;
    }
    remembered.delete(key);
    remembered.set(key, { entry, revision: revisionOf(entry.productPk), checkedAt: changes });
    if (remembered.size > CACHED_KEYS) remembered.delete(remembered.keys().next().value!);
    return entry;
  };
}

function read(readModels: ReadModelStore, key: string): MediaEntry | undefined {
  const row = readModels.get<MediaKeyRow>(MEDIA_BY_KEY_TABLE, key);
  if (row === undefined) return undefined;
  const view = readModels.get<ImageView | VideoView>(row.kind === 'image' ? IMAGES_TABLE : VIDEOS_TABLE, row.pk);
  if (view === undefined) return undefined;
  const state = view.key !== key ? 'replaced' : view.status === 'live' ? 'live' : 'deleted';
  if (row.kind === 'video' || !('width' in view)) return { key, kind: row.kind, pk: row.pk, productPk: view.productPk, state, contentType: view.contentType };
  // A replaced binary's size is not kept: its renditions read their header.
  const size = state === 'replaced' ? {} : { width: view.width, height: view.height };
  const focalPoint = view.focalPoint ? { focalPoint: view.focalPoint } : {};
  return { key, kind: row.kind, pk: row.pk, productPk: view.productPk, state, contentType: view.contentType, ...focalPoint, ...size };
}

export type MediaLookup = ReturnType<typeof mediaLookup>;
