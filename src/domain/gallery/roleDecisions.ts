import { requireChoice } from '../fieldRules.ts';
import type { ImageRolesChanged, MainImageSet, SpecialImageSet } from './galleryEvents.ts';
import { requireKnownRoles, requireLiveImage } from './galleryRules.ts';
import type { GalleryState } from './galleryState.ts';
import { liveImages, sortRoles } from './galleryState.ts';
import type { ImageRole, SecondarySpecialImageType, TakenFrom } from './galleryVocabulary.ts';
import { MAIN_IMAGE_ROLE, SPECIAL_IMAGE_TYPES } from './galleryVocabulary.ts';

/**
 * Roles (ShipStream `types`) and special types (Omnitron `special_image_type`): one live holder
 * each. Assigning one moves it, and the event names the image it moved from.
 */

/** The live image other than `imagePk` that holds each of `roles`, if any. */
export function rolesTakenFrom(state: GalleryState, imagePk: number, roles: readonly ImageRole[]): TakenFrom {
  const takenFrom: TakenFrom = {};
  for (const role of roles) {
    const holder = liveImages(state).find((image) => image.imagePk !== imagePk && image.roles.includes(role));
    if (holder !== undefined) takenFrom[role] = holder.imagePk;
  }
  return takenFrom;
}

/** `roles` becomes the image's exact role set; the same set again is a no-op. */
export function decideImageRoles(state: GalleryState, imagePk: number, roles: readonly ImageRole[]): ImageRolesChanged[] {
  const image = requireLiveImage(state, imagePk);
  requireKnownRoles(roles);
  const next = sortRoles(roles);
  if (sameRoles(next, sortRoles(image.roles))) return [];
  const gained = next.filter((role) => !image.roles.includes(role));
  return [
    {
      type: 'ImageRolesChanged',
      data: { imagePk, roles: next, previousRoles: image.roles, takenFrom: rolesTakenFrom(state, imagePk, gained) },
    },
  ];
}

/** The image takes the main role (`base` ≡ `image`); already main is a no-op. */
export function decideMainImage(state: GalleryState, imagePk: number): MainImageSet[] {
  const image = requireLiveImage(state, imagePk);
  if (image.roles.includes(MAIN_IMAGE_ROLE)) return [];
  const previous = rolesTakenFrom(state, imagePk, [MAIN_IMAGE_ROLE])[MAIN_IMAGE_ROLE];
  return [{ type: 'MainImageSet', data: { imagePk, previousImagePk: previous ?? null } }];
}

/**
 * Omnitron `make_special`: `base` is the main image; other types have their own holder.
 * @throws ValidationError `UNKNOWN_SPECIAL_IMAGE_TYPE` under `special_image_type`.
 */
export function decideSpecialImage(
  state: GalleryState,
  imagePk: number,
  specialImageType: string,
): (MainImageSet | SpecialImageSet)[] {
  requireChoice('special_image_type', specialImageType, SPECIAL_IMAGE_TYPES, 'UNKNOWN_SPECIAL_IMAGE_TYPE');
  if (specialImageType === 'base') return decideMainImage(state, imagePk);
  const image = requireLiveImage(state, imagePk);
  if (image.specialImageTypes.includes(specialImageType)) return [];
  return [{ type: 'SpecialImageSet', data: { imagePk, specialImageType, previousImagePk: specialHolder(state, specialImageType) } }];
}

function specialHolder(state: GalleryState, type: SecondarySpecialImageType): number | null {
  const holder = liveImages(state).find((image) => image.specialImageTypes.includes(type));
  return holder?.imagePk ?? null;
}

function sameRoles(left: readonly ImageRole[], right: readonly ImageRole[]): boolean {
  return left.length === right.length && left.every((role, index) => right[index] === role);
}
