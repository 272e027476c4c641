import type { DomainEvent } from '../decider.ts';
import type {
  FocalPoint,
  ImageRole,
  ImageSource,
  ImageType,
  SecondarySpecialImageType,
  StoredImage,
  StoredVideo,
  TakenFrom,
} from './galleryVocabulary.ts';

/**
 * Events of the gallery aggregate (stream `productMedia-<productPk>`). Payloads hold facts only:
 * times travel in the envelope (`occurredAt`), binaries are referenced by object-store key.
 * Documented for downstream services in docs/events.md.
 */

/** An image joined the gallery. `takenFrom` names the images its initial roles were taken from. */
export type ImageUploaded = DomainEvent<
  'ImageUploaded',
  StoredImage & {
    imagePk: number;
    productPk: number;
    /** ShipStream gallery file name, e.g. `/i/m/image.png`; unique among the product's live images. */
    file: string;
    order: number;
    source: ImageSource;
    label: string;
    exclude: boolean;
    roles: ImageRole[];
    imageType: ImageType;
    takenFrom: TakenFrom;
  }
>;
export type ImageReordered = DomainEvent<'ImageReordered', { imagePk: number; order: number; previousOrder: number }>;
/** The image became the main image (Omnitron special type `base` ≡ ShipStream role `image`). */
export type MainImageSet = DomainEvent<'MainImageSet', { imagePk: number; previousImagePk: number | null }>;
/** The image became the product's special image of a type other than `base`. */
export type SpecialImageSet = DomainEvent<
  'SpecialImageSet',
  { imagePk: number; specialImageType: SecondarySpecialImageType; previousImagePk: number | null }
>;
/** The image's role set became `roles`; roles it gained were taken from the images in `takenFrom`. */
export type ImageRolesChanged = DomainEvent<
  'ImageRolesChanged',
  { imagePk: number; roles: ImageRole[]; previousRoles: ImageRole[]; takenFrom: TakenFrom }
>;
export type ImageLabelChanged = DomainEvent<'ImageLabelChanged', { imagePk: number; label: string; previousLabel: string }>;
export type ImageExclusionChanged = DomainEvent<
  'ImageExclusionChanged',
  { imagePk: number; exclude: boolean; previousExclude: boolean }
>;
/** The point crops of the image keep in view was set (`null`: cleared, crops use the image's content). */
export type ImageFocalPointSet = DomainEvent<
  'ImageFocalPointSet',
  { imagePk: number; focalPoint: FocalPoint | null; previousFocalPoint: FocalPoint | null }
>;
/** New binary for the same gallery file name; `previousKey` is left for the blob collector. */
export type ImageContentReplaced = DomainEvent<'ImageContentReplaced', StoredImage & { imagePk: number; previousKey: string }>;
/** The image left the gallery; the roles and special types it held are now vacant. */
export type ImageDeleted = DomainEvent<
  'ImageDeleted',
  { imagePk: number; key: string; clearedRoles: ImageRole[]; clearedSpecialImageTypes: SecondarySpecialImageType[] }
>;
/**
 * A deleted image is live again (same pk, same binary), without the roles it lost when deleted.
 * Schema v2 added `productPk`; v1 events are upcast from their stream name (src/domain/upcasters.ts).
 */
export type ImageRestored = DomainEvent<'ImageRestored', { imagePk: number; productPk: number }>;

export type VideoUploaded = DomainEvent<
  'VideoUploaded',
  StoredVideo & { videoPk: number; productPk: number; order: number }
>;
export type VideoReordered = DomainEvent<'VideoReordered', { videoPk: number; order: number; previousOrder: number }>;
export type VideoDeleted = DomainEvent<'VideoDeleted', { videoPk: number; key: string }>;

export type GalleryImageEvent =
  | ImageUploaded
  | ImageReordered
  | MainImageSet
  | SpecialImageSet
  | ImageRolesChanged
  | ImageLabelChanged
  | ImageExclusionChanged
  | ImageFocalPointSet
  | ImageContentReplaced
  | ImageDeleted
  | ImageRestored;

export type GalleryVideoEvent = VideoUploaded | VideoReordered | VideoDeleted;

export type GalleryEvent = GalleryImageEvent | GalleryVideoEvent;
