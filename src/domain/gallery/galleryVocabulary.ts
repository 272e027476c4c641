/**
 * The closed vocabularies of the gallery. Both APIs map their wire values onto these lists, and
 * the deciders validate against them, so a value outside a list never reaches an event.
 */

/**
 * ShipStream `types` codes (OpenMage media attributes of the default attribute set). One image at
 * most holds each role. `image` is the main image: the same role as Omnitron's `base` special type.
 */
export const IMAGE_ROLES = ['image', 'thumbnail'] as const;
export type ImageRole = (typeof IMAGE_ROLES)[number];

/** The role that Omnitron calls the `base` special image. */
export const MAIN_IMAGE_ROLE = 'image' satisfies ImageRole;

/**
 * Omnitron `special_image_type` values. The seed documents only `base` (the main image); the
 * others mirror the image kinds Omnitron knows (`swatch`, `picto`) so a product can name the one
 * image that represents it in each. One image at most holds each special type.
 */
export const SPECIAL_IMAGE_TYPES = ['base', 'swatch', 'picto'] as const;
export type SpecialImageType = (typeof SPECIAL_IMAGE_TYPES)[number];

/** Special types other than `base`: these are recorded by `SpecialImageSet`; `base` by `MainImageSet`. */
export type SecondarySpecialImageType = Exclude<SpecialImageType, 'base'>;

/** Omnitron `image_type` of an image (downloadable image and bulk set forms); `default` unless told. */
export const IMAGE_TYPES = ['default', 'swatch', 'picto'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

/** Omnitron `source` of an image; `null` when the client did not say. */
export const IMAGE_SOURCES = ['integration', 'unified'] as const;
export type ImageSource = (typeof IMAGE_SOURCES)[number] | null;

/** Which image took a role (or special type) away from which other image: `{ role: imagePk }`. */
export type TakenFrom = Partial<Record<ImageRole, number>>;

/**
 * Where the subject of an image is, as fractions of its displayed width and height from the top
 * left corner (0..1 each): crops of the image (`fit=cover` renditions) keep it in view.
 */
export interface FocalPoint {
  x: number;
  y: number;
}

/** Facts about a binary already written to the object store (blob first, event second). */
export interface StoredImage {
  /** Object-store key, e.g. `products/2022/11/25/16201/<uuid>.jpg`. */
  key: string;
  contentType: string;
  width: number;
  height: number;
  bytes: number;
  /** Hex SHA-256 of the stored bytes. */
  sha256: string;
}

/** Facts about a stored video binary. */
export interface StoredVideo {
  /** Object-store key, e.g. `product_videos/2022/07/05/<uuid>.mp4`. */
  key: string;
  contentType: string;
  bytes: number;
  sha256: string;
}

/** What the gallery knows about its product: it cannot read the product aggregate itself. */
export interface ProductFacts {
  pk: number;
  mediaEnabled: boolean;
}
