import type { GalleryCommand, NewImage } from '../../src/domain/gallery/galleryCommands.ts';
import { galleryDecider } from '../../src/domain/gallery/galleryDecider.ts';
import type { GalleryEvent, ImageUploaded, VideoUploaded } from '../../src/domain/gallery/galleryEvents.ts';
import type { ImageRole, ProductFacts, StoredImage, StoredVideo } from '../../src/domain/gallery/galleryVocabulary.ts';
import { deciderSpec } from '../support/deciderSpec.ts';

/** Tiny builders for gallery specs: one product per suite, media numbered by pk. */

export const spec = deciderSpec(galleryDecider);

export const product = (pk: number, mediaEnabled = true): ProductFacts => ({ pk, mediaEnabled });

/** The command as the outside world sends it; time comes from the (fixed) test clock. */
export function command<Type extends GalleryCommand['type']>(
  type: Type,
  data: Extract<GalleryCommand, { type: Type }>['data'],
): GalleryCommand {
  return { type, data, metadata: { now: '2024-05-01T10:00:00.000000Z' } } as GalleryCommand;
}

export const blob = (productPk: number, n: number): StoredImage => ({
  key: `products/2024/05/01/${productPk}/0000000${n}-uuid.jpg`,
  contentType: 'image/jpeg',
  width: 800,
  height: 600,
  bytes: 1000 + n,
  sha256: `sha-${productPk}-${n}`,
});

export const newImage = (productPk: number, imagePk: number, overrides: Partial<NewImage> = {}): NewImage => ({
  imagePk,
  file: `/i/m/image_${imagePk}.jpg`,
  blob: blob(productPk, imagePk),
  order: 0,
  source: 'integration',
  label: '',
  exclude: false,
  roles: [],
  imageType: 'default',
  ...overrides,
});

/** The event an UploadImage of `newImage(productPk, imagePk, overrides)` yields on a fresh gallery. */
export function imageUploaded(
  productPk: number,
  imagePk: number,
  overrides: Partial<NewImage> = {},
  takenFrom: ImageUploaded['data']['takenFrom'] = {},
): ImageUploaded {
  const { blob: stored, ...image } = newImage(productPk, imagePk, overrides);
  if (typeof image.order !== 'number') throw new Error('imageUploaded needs the order the upload decided');
  return { type: 'ImageUploaded', data: { ...image, order: image.order, ...stored, productPk, takenFrom } };
}

export const uploadImage = (productPk: number, imagePk: number, overrides: Partial<NewImage> = {}, enabled = true) =>
  command('UploadImage', { product: product(productPk, enabled), ...newImage(productPk, imagePk, overrides) });

export const videoBlob = (n: number): StoredVideo => ({
  key: `product_videos/2024/05/01/0000000${n}-uuid.mp4`,
  contentType: 'video/mp4',
  bytes: 50_000 + n,
  sha256: `video-sha-${n}`,
});

export const videoUploaded = (productPk: number, videoPk: number, order = 0): VideoUploaded => ({
  type: 'VideoUploaded',
  data: { videoPk, productPk, ...videoBlob(videoPk), order },
});

export const imageDeleted = (productPk: number, imagePk: number, clearedRoles: ImageRole[] = []): GalleryEvent => ({
  type: 'ImageDeleted',
  data: { imagePk, key: blob(productPk, imagePk).key, clearedRoles, clearedSpecialImageTypes: [] },
});
