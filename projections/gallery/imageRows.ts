import { sortRoles } from '../../src/domain/gallery/galleryState.ts';
import type { ImageRole, SpecialImageType, TakenFrom } from '../../src/domain/gallery/galleryVocabulary.ts';
import { MAIN_IMAGE_ROLE, SPECIAL_IMAGE_TYPES } from '../../src/domain/gallery/galleryVocabulary.ts';
import type { ReadModelTx } from '../../src/ports/readModelStore.ts';
import {
  IMAGES_BY_FILE_TABLE,
  IMAGES_BY_ORDER_TABLE,
  IMAGES_BY_PRODUCT_TABLE,
  IMAGES_TABLE,
  type Change,
  type ImageView,
} from './galleryViews.ts';

/**
 * Row-level writes of images. Every change of an image goes through {@link saveImage}, the one
 * place that keeps the live-only indexes in step with the view.
 */

export const loadImage = (tx: ReadModelTx, imagePk: number) => tx.get<ImageView>(IMAGES_TABLE, imagePk);

/**
 * Writes `after` and moves its index rows: a live image is in every index under its current
 * order; a deleted one in none. `before` is the stored view (`undefined` for a new image).
 */
export function saveImage(tx: ReadModelTx, before: ImageView | undefined, after: ImageView): void {
  const wasLive = before?.status === 'live';
  const isLive = after.status === 'live';
  if (before !== undefined && wasLive && (!isLive || before.order !== after.order)) {
    tx.remove(IMAGES_BY_PRODUCT_TABLE, [before.productPk, before.order, before.pk]);
    tx.remove(IMAGES_BY_ORDER_TABLE, [before.order, before.pk]);
  }
  if (before !== undefined && wasLive && (!isLive || before.file !== after.file)) {
    // Only this image's own claim on the name: never drop a row another image holds.
    const fileKey = [before.productPk, before.file];
    if (tx.get<number>(IMAGES_BY_FILE_TABLE, fileKey) === before.pk) tx.remove(IMAGES_BY_FILE_TABLE, fileKey);
  }
  tx.put(IMAGES_TABLE, after.pk, after);
  if (!isLive) return;
  // The covering index holds the whole view, so it is rewritten with every change.
  tx.put(IMAGES_BY_PRODUCT_TABLE, [after.productPk, after.order, after.pk], after);
  if (!wasLive || before.order !== after.order) tx.put(IMAGES_BY_ORDER_TABLE, [after.order, after.pk], after.productPk);
  if (!wasLive || before.file !== after.file) tx.put(IMAGES_BY_FILE_TABLE, [after.productPk, after.file], after.pk);
}

/** Applies `change` to a stored image and stamps it with the event; an unknown pk is left alone. */
export function updateImage(
  tx: ReadModelTx,
  imagePk: number,
  at: Change,
  change: (image: ImageView) => Partial<ImageView>,
): void {
  const before = loadImage(tx, imagePk);
  if (before === undefined) return;
  saveImage(tx, before, { ...before, ...change(before), modifiedAt: at.occurredAt, revision: at.revision });
}

/** The role fields of an image holding `roles`: `base` follows the main role, other special types stay. */
export function withRoles(
  image: Pick<ImageView, 'specialImageTypes'>,
  roles: readonly ImageRole[],
): Pick<ImageView, 'roles' | 'specialImageTypes'> {
  const sorted = sortRoles(roles);
  return { roles: sorted, specialImageTypes: specialTypes(sorted, image.specialImageTypes) };
}

/** The special types of an image with `roles` whose non-`base` types become `secondary`. */
export function specialTypes(roles: readonly ImageRole[], secondary: readonly SpecialImageType[]): SpecialImageType[] {
  return SPECIAL_IMAGE_TYPES.filter((type) => (type === 'base' ? roles.includes(MAIN_IMAGE_ROLE) : secondary.includes(type)));
}

/** Each image named in `takenFrom` loses the role taken from it (and is touched by the event). */
export function takeRoles(tx: ReadModelTx, takenFrom: TakenFrom, at: Change): void {
  for (const [role, fromPk] of Object.entries(takenFrom)) {
    if (fromPk === undefined) continue;
    updateImage(tx, fromPk, at, (image) => withRoles(image, image.roles.filter((held) => held !== role)));
  }
}
