import type { NewImage } from './galleryCommands.ts';
import type { GalleryEvent } from './galleryEvents.ts';
import { requireLiveImage } from './galleryRules.ts';
import type { GalleryState } from './galleryState.ts';
import { evolveGallery, liveImages } from './galleryState.ts';
import type { FocalPoint, ImageRole, ProductFacts, StoredImage } from './galleryVocabulary.ts';
import {
  decideDeleteImage,
  decideImageContent,
  decideImageExclusion,
  decideImageFocalPoint,
  decideImageLabel,
  decideReorderImage,
  decideUploadImage,
} from './imageDecisions.ts';
import { decideImageRoles } from './roleDecisions.ts';

/**
 * Decisions made of several single decisions. Each step decides against the state the earlier
 * steps' events produce, and any refusal throws before anything is returned: all or nothing,
 * one append.
 */
type Step = (state: GalleryState) => GalleryEvent[];

export function decideInSequence(state: GalleryState, steps: readonly Step[]): GalleryEvent[] {
  const events: GalleryEvent[] = [];
  let current = state;
  for (const step of steps) {
    const stepEvents = step(current);
    current = stepEvents.reduce(evolveGallery, current);
    events.push(...stepEvents);
  }
  return events;
}

export interface ImageChanges {
  order?: number;
  label?: string;
  exclude?: boolean;
  roles?: ImageRole[];
  blob?: StoredImage;
  focalPoint?: FocalPoint | null;
}

/** ShipStream `update` and REST `PATCH`: only the fields present change; unchanged ones emit nothing. */
export function decideUpdateImage(state: GalleryState, imagePk: number, changes: ImageChanges): GalleryEvent[] {
  const { order, label, exclude, roles, blob, focalPoint } = changes;
  return decideInSequence(state, [
    // Checked first so that an update with no field still refuses an unknown or deleted image.
    (current) => (requireLiveImage(current, imagePk), []),
    (current) => (blob === undefined ? [] : decideImageContent(current, imagePk, blob)),
    (current) => (order === undefined ? [] : decideReorderImage(current, imagePk, order)),
    (current) => (label === undefined ? [] : decideImageLabel(current, imagePk, label)),
    (current) => (exclude === undefined ? [] : decideImageExclusion(current, imagePk, exclude)),
    (current) => (roles === undefined ? [] : decideImageRoles(current, imagePk, roles)),
    (current) => (focalPoint === undefined ? [] : decideImageFocalPoint(current, imagePk, focalPoint)),
  ]);
}

/**
 * Akinon's bulk form: the live images are deleted, then `images` uploaded in the given order
 * (a role claimed twice ends with the later image, and its event says so).
 */
export function decideReplaceImageSet(state: GalleryState, product: ProductFacts, images: readonly NewImage[]): GalleryEvent[] {
  return decideInSequence(state, [
    ...liveImages(state).map((image): Step => (current) => decideDeleteImage(current, image.imagePk)),
    ...images.map((image): Step => (current) => decideUploadImage(current, product, image)),
  ]);
}
