import { DomainRuleError, NotFoundError, ValidationError } from '../../errors/appError.ts';
import { invalidChoiceMessage } from '../fieldRules.ts';
import type { ActiveGallery, GalleryImage, GalleryState, GalleryVideo } from './galleryState.ts';
import type { ImageRole, ProductFacts } from './galleryVocabulary.ts';
import { IMAGE_ROLES } from './galleryVocabulary.ts';

/**
 * The gallery's guards. Each throws an AppError with a stable code; deciders call them before
 * emitting anything, so a refused command leaves no trace.
 */

/** ShipStream fault 107's text; the REST surface shows it under `product`. */
export const mediaDisabledMessage = (kind: 'images' | 'videos'): string => `Requested product doesn't support ${kind}`;

/** @throws DomainRuleError `PRODUCT_MEDIA_DISABLED` when the product refuses new media. */
export function requireMediaEnabled(product: ProductFacts, kind: 'images' | 'videos'): void {
  if (product.mediaEnabled) return;
  const message = mediaDisabledMessage(kind);
  throw new DomainRuleError('PRODUCT_MEDIA_DISABLED', message, { product: [message] });
}

/**
 * The gallery a new medium goes to: the existing one, or a fresh one for `product`.
 * @throws DomainRuleError `PRODUCT_MISMATCH` when the command was routed to another product's stream.
 */
export function galleryFor(state: GalleryState, product: ProductFacts): ActiveGallery {
  if (state.status === 'empty') return { status: 'active', productPk: product.pk, images: [], videos: [] };
  if (state.productPk !== product.pk) {
    throw new DomainRuleError('PRODUCT_MISMATCH', `Gallery of product ${state.productPk} cannot take media of product ${product.pk}.`);
  }
  return state;
}

/** @throws NotFoundError `IMAGE_NOT_FOUND` (unknown pk) or `IMAGE_DELETED` (deleted image). */
export function requireLiveImage(state: GalleryState, imagePk: number): GalleryImage {
  const image = requireImage(state, imagePk);
  // A deleted image is gone for clients: DRF answers 404 for it, like for an unknown pk.
  if (image.status === 'deleted') throw new NotFoundError('Not found.', 'IMAGE_DELETED');
  return image;
}

/** @throws NotFoundError `IMAGE_NOT_FOUND`. */
export function requireImage(state: GalleryState, imagePk: number): GalleryImage {
  const image = state.status === 'active' ? state.images.find((candidate) => candidate.imagePk === imagePk) : undefined;
  if (image === undefined) throw new NotFoundError('Not found.', 'IMAGE_NOT_FOUND');
  return image;
}

/** @throws NotFoundError `VIDEO_NOT_FOUND` (unknown pk) or `VIDEO_DELETED`. */
export function requireLiveVideo(state: GalleryState, videoPk: number): GalleryVideo {
  const video = state.status === 'active' ? state.videos.find((candidate) => candidate.videoPk === videoPk) : undefined;
  if (video === undefined) throw new NotFoundError('Not found.', 'VIDEO_NOT_FOUND');
  if (video.status === 'deleted') throw new NotFoundError('Not found.', 'VIDEO_DELETED');
  return video;
}

/**
 * A pk names one image for the gallery's whole life: a live image keeps it (`IMAGE_PK_TAKEN`) and
 * a deleted one retires it (`IMAGE_PK_RETIRED`), so events and links never become ambiguous.
 */
export function requireFreshImagePk(gallery: ActiveGallery, imagePk: number): void {
  const existing = gallery.images.find((image) => image.imagePk === imagePk);
  if (existing === undefined) return;
  if (existing.status === 'live') throw new DomainRuleError('IMAGE_PK_TAKEN', `Image ${imagePk} already exists.`);
  throw new DomainRuleError('IMAGE_PK_RETIRED', `Image pk ${imagePk} belonged to a deleted image and is never reused.`);
}

/** Same rule for videos: `VIDEO_PK_TAKEN`, `VIDEO_PK_RETIRED`. */
export function requireFreshVideoPk(gallery: ActiveGallery, videoPk: number): void {
  const existing = gallery.videos.find((video) => video.videoPk === videoPk);
  if (existing === undefined) return;
  if (existing.status === 'live') throw new DomainRuleError('VIDEO_PK_TAKEN', `Video ${videoPk} already exists.`);
  throw new DomainRuleError('VIDEO_PK_RETIRED', `Video pk ${videoPk} belonged to a deleted video and is never reused.`);
}

function liveImageHolding(gallery: ActiveGallery, file: string, exceptImagePk?: number) {
  return gallery.images.find((image) => image.status === 'live' && image.file === file && image.imagePk !== exceptImagePk);
}

/** Whether a live image of the product holds the gallery file name `file`. */
export function liveImageHolds(gallery: ActiveGallery, file: string): boolean {
  return liveImageHolding(gallery, file) !== undefined;
}

/**
 * ShipStream addresses images by file name, so two live images of a product never share one.
 * A `create` takes the first free `_1`, `_2` name in its decision; elsewhere a taken name is refused.
 * @throws ValidationError `FILE_NAME_BLANK`, DomainRuleError `FILE_NAME_TAKEN`.
 */
export function requireFreeFileName(gallery: ActiveGallery, file: string, exceptImagePk?: number): void {
  if (file.trim() === '') throw ValidationError.field('file', 'This field may not be blank.', 'FILE_NAME_BLANK');
  const holder = liveImageHolding(gallery, file, exceptImagePk);
  if (holder === undefined) return;
  const message = `Gallery file "${file}" is already used by image ${holder.imagePk}.`;
  throw new DomainRuleError('FILE_NAME_TAKEN', message, { file: [message] });
}

/**
 * Roles must come from IMAGE_ROLES (the API layer drops unknown ShipStream codes before this).
 * @throws ValidationError `UNKNOWN_IMAGE_ROLE` under `types`, one message per unknown code.
 */
export function requireKnownRoles(roles: readonly unknown[]): asserts roles is ImageRole[] {
  const unknown = roles.filter((role) => !IMAGE_ROLES.includes(role as ImageRole));
  if (unknown.length > 0) throw new ValidationError({ types: unknown.map(invalidChoiceMessage) }, 'UNKNOWN_IMAGE_ROLE');
}
