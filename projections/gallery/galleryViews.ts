import type { FocalPoint, ImageRole, ImageSource, ImageType, SpecialImageType } from '../../src/domain/gallery/galleryVocabulary.ts';

/**
 * Tables of the gallery read model and the rows they hold. Keys are ordered (numbers
 * numerically, arrays element-wise), so a range over an index table is a list in (order, pk).
 * The `…ByProduct`, `…ByOrder` and `imagesByFile` indexes hold LIVE media only; the `images`
 * and `videos` tables keep deleted media too (status `deleted`) for history and restores.
 */

/** imagePk → {@link ImageView}, live and deleted. */
export const IMAGES_TABLE = 'images';
/**
 * [productPk, order, imagePk] → {@link ImageView} of a live image: a covering index. It holds
 * the whole view (not just the pk) so that listing a product's gallery, the hottest read, is one
 * range read with no point gets. The projection rewrites it with every change of the image.
 */
export const IMAGES_BY_PRODUCT_TABLE = 'imagesByProduct';
/** [order, imagePk] → productPk of a live image: the whole catalog in (order, pk) order. */
export const IMAGES_BY_ORDER_TABLE = 'imagesByOrder';
/** [productPk, file] → imagePk of a live image: ShipStream finds images by gallery file name. */
export const IMAGES_BY_FILE_TABLE = 'imagesByFile';
/** videoPk → {@link VideoView}, live and deleted. */
export const VIDEOS_TABLE = 'videos';
/** [productPk, order, videoPk] → {@link VideoView} of a live video (covering, like images). */
export const VIDEOS_BY_PRODUCT_TABLE = 'videosByProduct';
/** [order, videoPk] → productPk of a live video. */
export const VIDEOS_BY_ORDER_TABLE = 'videosByOrder';
/**
 * object-store key → {@link MediaKeyRow}: every binary an event ever named (a replaced image's
 * earlier keys too; keys are never reused), so the media URLs find their image or video in one
 * read, and the blob collector knows what is referenced.
 */
export const MEDIA_BY_KEY_TABLE = 'mediaByKey';
/** productPk → {@link GalleryRevision}: the idempotency guard of each `productMedia-<pk>` stream. */
export const GALLERIES_TABLE = 'galleries';

export type MediaStatus = 'live' | 'deleted';

/** One image as both APIs read it. */
export interface ImageView {
  pk: number;
  productPk: number;
  /** Object-store key of the current binary. */
  key: string;
  /** ShipStream gallery file name, e.g. `/i/m/image.png`. */
  file: string;
  contentType: string;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
  /** Omnitron `order` ≡ ShipStream `position`. */
  order: number;
  source: ImageSource;
  label: string;
  exclude: boolean;
  /** ShipStream `types`, in the order of IMAGE_ROLES. */
  roles: ImageRole[];
  /** Omnitron special types in the order of SPECIAL_IMAGE_TYPES; `base` iff `roles` holds `image`. */
  specialImageTypes: SpecialImageType[];
  imageType: ImageType;
  /** Where crops keep the subject in view; `null` when unset (crops judge the content). */
  focalPoint: FocalPoint | null;
  status: MediaStatus;
  /** `occurredAt` of the upload (Omnitron `created_date`). */
  createdAt: string;
  /** `occurredAt` of the latest event that changed this view (Omnitron `modified_date`). */
  modifiedAt: string;
  /** Revision of `productMedia-<productPk>` that last changed this view. */
  revision: number;
}

/** One video as the REST API reads it. */
export interface VideoView {
  pk: number;
  productPk: number;
  key: string;
  contentType: string;
  bytes: number;
  sha256: string;
  order: number;
  status: MediaStatus;
  createdAt: string;
  modifiedAt: string;
  revision: number;
}

/** Which image or video an object-store key belongs (or belonged) to. */
export interface MediaKeyRow {
  kind: 'image' | 'video';
  pk: number;
}

/** How far the read model has applied one product's gallery stream. */
export interface GalleryRevision {
  revision: number;
}

/** The event facts every row change records. */
export interface Change {
  occurredAt: string;
  revision: number;
}

/** Bounds of one product's rows in a `[productPk, …]` index (start inclusive, end exclusive). */
export const productKeyRange = (productPk: number) => ({ start: [productPk], end: [productPk + 1] });
