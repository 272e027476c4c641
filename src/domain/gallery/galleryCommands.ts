import type { Command } from '../decider.ts';
import type {
  FocalPoint,
  ImageRole,
  ImageSource,
  ImageType,
  ProductFacts,
  SpecialImageType,
  StoredImage,
  StoredVideo,
} from './galleryVocabulary.ts';
import type { RequestedOrder } from './orderAfterLast.ts';

/**
 * Commands of the gallery aggregate. They carry what only the outside knows: pks allocated from
 * the pk sequences, facts of binaries already stored, and facts of the product (the gallery
 * cannot read another aggregate). Wire defaults (label `""`, exclude `false`, image type
 * `default`, `_1` file-name suffixes) are applied by the API layer;
 * an order after the last medium is decided here (see orderAfterLast.ts).
 */

/** One new image, as uploads and the bulk set replacement describe it. */
export interface NewImage {
  imagePk: number;
  /** Gallery file name, unique among the product's live images, e.g. `/i/m/image_1.png`. */
  file: string;
  /**
   * When a live image holds `file`: `refuse` (the default) fails the decision; `suffix` takes
   * the first free `_1`, `_2`, … name instead (ShipStream `create`, as OpenMage names files).
   * Decided on the gallery as written, so concurrent creates never collide.
   */
  whenFileNameTaken?: 'refuse' | 'suffix';
  blob: StoredImage;
  /** A chosen order, or after the product's last live image. */
  order: RequestedOrder;
  source: ImageSource;
  label: string;
  exclude: boolean;
  /** Initial roles; taking a role moves it away from the image that held it. */
  roles: ImageRole[];
  imageType: ImageType;
}

export type UploadImage = Command<'UploadImage', NewImage & { product: ProductFacts }>;
export type ReorderImage = Command<'ReorderImage', { imagePk: number; order: number }>;
/** Omnitron `make_special` with `base`; the same decision as MakeImageSpecial `base`. */
export type SetMainImage = Command<'SetMainImage', { imagePk: number }>;
export type MakeImageSpecial = Command<'MakeImageSpecial', { imagePk: number; specialImageType: SpecialImageType }>;
/** `roles` is the exact new role set (`[]` clears), as ShipStream `types` on update. */
export type ChangeImageRoles = Command<'ChangeImageRoles', { imagePk: number; roles: ImageRole[] }>;
export type ChangeImageLabel = Command<'ChangeImageLabel', { imagePk: number; label: string }>;
export type ChangeImageExclusion = Command<'ChangeImageExclusion', { imagePk: number; exclude: boolean }>;
/** Sets (or with `null` clears) the point crops of the image keep in view. */
export type SetImageFocalPoint = Command<'SetImageFocalPoint', { imagePk: number; focalPoint: FocalPoint | null }>;
/** New binary under the same gallery file name. */
export type ReplaceImageContent = Command<'ReplaceImageContent', { imagePk: number; blob: StoredImage }>;
/**
 * ShipStream `product_media.update` and REST `PATCH`: only the fields present change, all in one
 * decision, so a refused field leaves the others untouched too.
 */
export type UpdateImage = Command<
  'UpdateImage',
  {
    imagePk: number;
    order?: number;
    label?: string;
    exclude?: boolean;
    roles?: ImageRole[];
    blob?: StoredImage;
    focalPoint?: FocalPoint | null;
  }
>;
export type DeleteImage = Command<'DeleteImage', { imagePk: number }>;
export type RestoreImage = Command<'RestoreImage', { imagePk: number; product: ProductFacts }>;
/** All-or-nothing: deletes every live image and uploads `images` in one decision (one append). */
export type ReplaceImageSet = Command<'ReplaceImageSet', { product: ProductFacts; images: NewImage[] }>;

/** `order`: a chosen one, or after the product's last live video. */
export type UploadVideo = Command<'UploadVideo', { product: ProductFacts; videoPk: number; blob: StoredVideo; order: RequestedOrder }>;
export type ReorderVideo = Command<'ReorderVideo', { videoPk: number; order: number }>;
export type DeleteVideo = Command<'DeleteVideo', { videoPk: number }>;

export type GalleryImageCommand =
  | UploadImage
  | ReorderImage
  | SetMainImage
  | MakeImageSpecial
  | ChangeImageRoles
  | ChangeImageLabel
  | ChangeImageExclusion
  | SetImageFocalPoint
  | ReplaceImageContent
  | UpdateImage
  | DeleteImage
  | RestoreImage
  | ReplaceImageSet;

export type GalleryVideoCommand = UploadVideo | ReorderVideo | DeleteVideo;

export type GalleryCommand = GalleryImageCommand | GalleryVideoCommand;
