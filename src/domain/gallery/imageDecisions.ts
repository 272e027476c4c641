import { DomainRuleError } from '../../errors/appError.ts';
import { requireChoice, requireFocalPoint, requireLabel, requireOrder } from '../fieldRules.ts';
import type {
  ImageContentReplaced,
  ImageDeleted,
  ImageExclusionChanged,
  ImageFocalPointSet,
  ImageLabelChanged,
  ImageReordered,
  ImageRestored,
  ImageUploaded,
} from './galleryEvents.ts';
import type { NewImage } from './galleryCommands.ts';
import { firstFreeFileName } from './firstFreeFileName.ts';
import {
  galleryFor,
  liveImageHolds,
  requireFreeFileName,
  requireFreshImagePk,
  requireImage,
  requireKnownRoles,
  requireLiveImage,
  requireMediaEnabled,
} from './galleryRules.ts';
import type { GalleryState } from './galleryState.ts';
import { liveImages, sortRoles } from './galleryState.ts';
import { placedOrder } from './orderAfterLast.ts';
import type { FocalPoint, ProductFacts, StoredImage } from './galleryVocabulary.ts';
import { IMAGE_SOURCES, IMAGE_TYPES } from './galleryVocabulary.ts';
import { rolesTakenFrom } from './roleDecisions.ts';

/**
 * Decisions about one image. Each validates everything before it returns events, and returns
 * `[]` when the command would not change anything (same order, same label, ...), so retries
 * and repeated PATCHes leave no noise in the history.
 */

export function decideUploadImage(state: GalleryState, product: ProductFacts, image: NewImage): ImageUploaded[] {
  requireMediaEnabled(product, 'images');
  const gallery = galleryFor(state, product);
  requireFreshImagePk(gallery, image.imagePk);
  const order = placedOrder(image.order, liveImages(gallery).map((live) => live.order));
  requireOrder(order);
  requireChoice('image_type', image.imageType, IMAGE_TYPES, 'UNKNOWN_IMAGE_TYPE');
  requireChoice('source', image.source, [...IMAGE_SOURCES, null], 'UNKNOWN_IMAGE_SOURCE');
  requireKnownRoles(image.roles);
  requireLabel(image.label);
  const file = image.whenFileNameTaken === 'suffix' ? firstFreeFileName(image.file, (candidate) => liveImageHolds(gallery, candidate)) : image.file;
  requireFreeFileName(gallery, file);
  const roles = sortRoles(image.roles);
  const { imagePk, blob, source, label, exclude, imageType } = image;
  return [
    {
      type: 'ImageUploaded',
      data: {
        imagePk,
        productPk: gallery.productPk,
        ...storedImageFacts(blob),
        file,
        order,
        source,
        label,
        exclude,
        roles,
        imageType,
        takenFrom: rolesTakenFrom(gallery, imagePk, roles),
      },
    },
  ];
}

export function decideReorderImage(state: GalleryState, imagePk: number, order: number): ImageReordered[] {
  const image = requireLiveImage(state, imagePk);
  requireOrder(order);
  if (order === image.order) return [];
  return [{ type: 'ImageReordered', data: { imagePk, order, previousOrder: image.order } }];
}

export function decideImageLabel(state: GalleryState, imagePk: number, label: string): ImageLabelChanged[] {
  const image = requireLiveImage(state, imagePk);
  requireLabel(label);
  if (label === image.label) return [];
  return [{ type: 'ImageLabelChanged', data: { imagePk, label, previousLabel: image.label } }];
}

export function decideImageExclusion(state: GalleryState, imagePk: number, exclude: boolean): ImageExclusionChanged[] {
  const image = requireLiveImage(state, imagePk);
  if (exclude === image.exclude) return [];
  return [{ type: 'ImageExclusionChanged', data: { imagePk, exclude, previousExclude: image.exclude } }];
}

/** A focal point outside the image is refused; the same point again (or clearing none) emits nothing. */
export function decideImageFocalPoint(state: GalleryState, imagePk: number, focalPoint: FocalPoint | null): ImageFocalPointSet[] {
  const image = requireLiveImage(state, imagePk);
  if (focalPoint !== null) requireFocalPoint(focalPoint);
  const previousFocalPoint = image.focalPoint;
  if (focalPoint?.x === previousFocalPoint?.x && focalPoint?.y === previousFocalPoint?.y) return [];
  const point = focalPoint === null ? null : { x: focalPoint.x, y: focalPoint.y };
  return [{ type: 'ImageFocalPointSet', data: { imagePk, focalPoint: point, previousFocalPoint } }];
}

/**
 * Identical bytes (same SHA-256) are a no-op: the blob the caller just wrote is then an orphan,
 * which the blob collector removes like any other.
 */
export function decideImageContent(state: GalleryState, imagePk: number, blob: StoredImage): ImageContentReplaced[] {
  const image = requireLiveImage(state, imagePk);
  if (blob.sha256 === image.sha256) return [];
  return [{ type: 'ImageContentReplaced', data: { imagePk, ...storedImageFacts(blob), previousKey: image.key } }];
}

/** Deleting clears the roles and special types the image held; deleting twice is refused. */
export function decideDeleteImage(state: GalleryState, imagePk: number): ImageDeleted[] {
  const image = requireLiveImage(state, imagePk);
  return [
    {
      type: 'ImageDeleted',
      data: { imagePk, key: image.key, clearedRoles: image.roles, clearedSpecialImageTypes: image.specialImageTypes },
    },
  ];
}

/**
 * Restoring brings a deleted image back (new media, so the product must accept media) without
 * its former roles; its file name must still be free.
 * @throws DomainRuleError `IMAGE_NOT_DELETED` for a live image.
 */
export function decideRestoreImage(state: GalleryState, product: ProductFacts, imagePk: number): ImageRestored[] {
  const image = requireImage(state, imagePk);
  if (image.status === 'live') throw new DomainRuleError('IMAGE_NOT_DELETED', `Image ${imagePk} is not deleted.`);
  requireMediaEnabled(product, 'images');
  requireFreeFileName(galleryFor(state, product), image.file, imagePk);
  return [{ type: 'ImageRestored', data: { imagePk, productPk: product.pk } }];
}

/** Copies exactly the blob facts, so nothing else a caller attached leaks into an event. */
function storedImageFacts({ key, contentType, width, height, bytes, sha256 }: StoredImage): StoredImage {
  return { key, contentType, width, height, bytes, sha256 };
}
