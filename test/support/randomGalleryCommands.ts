import type { WithoutMetadata } from '../../src/app/commandHandler.ts';
import type { GalleryCommand, NewImage } from '../../src/domain/gallery/galleryCommands.ts';
import type { GalleryState } from '../../src/domain/gallery/galleryState.ts';
import { IMAGE_ROLES, SPECIAL_IMAGE_TYPES, type ImageRole } from '../../src/domain/gallery/galleryVocabulary.ts';

/** A small deterministic PRNG (mulberry32): the same seed replays the same sequence. */
export function seededRandom(seed: number) {
  let t = seed >>> 0;
  const next = (): number => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
  const below = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[below(items.length)]!;
  return { next, below, pick, chance: (p: number) => next() < p };
}

export type Random = ReturnType<typeof seededRandom>;

/** Few names, so that uploads sometimes collide on a live file name (refused or suffixed). */
const FILE_NAMES = ['/l/a/lamp.jpg', '/l/a/lamp_back.jpg', '/s/h/shade.png'];

/**
 * Random gallery commands for `productPk`, mostly sensible for `state` (existing pks, changed
 * values) and sometimes not (deleted or unknown pks, bad focal points, taken names, media
 * disabled), so that refusals are exercised as much as decisions.
 */
export function randomGalleryCommands(random: Random) {
  let nextPk = 1;
  const blob = (productPk: number) => {
    const n = nextPk++;
    return { key: `products/${productPk}/${n}.jpg`, contentType: 'image/jpeg', width: 800, height: 600, bytes: 1000 + n, sha256: `sha-${n}` };
  };
  const roles = (): ImageRole[] => IMAGE_ROLES.filter(() => random.chance(0.3));
  const newImage = (productPk: number): NewImage => ({
    imagePk: 1_000 + nextPk++,
    file: random.pick(FILE_NAMES),
    whenFileNameTaken: random.pick(['refuse', 'suffix'] as const),
    blob: blob(productPk),
    order: random.below(6),
    source: random.pick(['integration', 'unified', null] as const),
    label: random.chance(0.5) ? '' : `label ${random.below(3)}`,
    exclude: random.chance(0.2),
    roles: roles(),
    imageType: 'default',
  });

  return function next(productPk: number, state: GalleryState): WithoutMetadata<GalleryCommand> {
    const images = state.status === 'active' ? state.images : [];
    const videos = state.status === 'active' ? state.videos : [];
    const product = { pk: productPk, mediaEnabled: !random.chance(0.05) };
    const imagePk = images.length > 0 && random.chance(0.9) ? random.pick(images).imagePk : 999_999;
    const videoPk = videos.length > 0 && random.chance(0.9) ? random.pick(videos).videoPk : 888_888;
    const focalPoint = random.chance(0.2) ? null : { x: random.chance(0.05) ? 2 : random.below(5) / 4, y: random.below(5) / 4 };
    switch (random.below(images.length < 3 ? 6 : 18)) {
      case 0:
      case 1:
      case 2:
        return { type: 'UploadImage', data: { product, ...newImage(productPk) } };
      case 3:
        return { type: 'UploadVideo', data: { product, videoPk: 2_000 + nextPk++, blob: blob(productPk), order: random.below(4) } };
      case 4:
        return { type: 'ReorderImage', data: { imagePk, order: random.below(6) } };
      case 5:
        return { type: 'SetMainImage', data: { imagePk } };
      case 6:
        return { type: 'MakeImageSpecial', data: { imagePk, specialImageType: random.pick(SPECIAL_IMAGE_TYPES) } };
      case 7:
        return { type: 'ChangeImageRoles', data: { imagePk, roles: roles() } };
      case 8:
        return { type: 'ChangeImageLabel', data: { imagePk, label: `label ${random.below(3)}` } };
      case 9:
        return { type: 'ChangeImageExclusion', data: { imagePk, exclude: random.chance(0.5) } };
      case 10:
        return { type: 'SetImageFocalPoint', data: { imagePk, focalPoint } };
      case 11:
        return { type: 'ReplaceImageContent', data: { imagePk, blob: blob(productPk) } };
      case 12:
        return {
          type: 'UpdateImage',
          data: {
            imagePk,
            ...(random.chance(0.6) ? { order: random.below(6) } : {}),
            ...(random.chance(0.4) ? { label: `label ${random.below(3)}` } : {}),
            ...(random.chance(0.3) ? { roles: roles() } : {}),
            ...(random.chance(0.3) ? { focalPoint } : {}),
          },
        };
      case 13:
        return { type: 'DeleteImage', data: { imagePk } };
      case 14:
        return { type: 'RestoreImage', data: { imagePk, product } };
      case 15:
        return { type: 'ReplaceImageSet', data: { product, images: Array.from({ length: 1 + random.below(3) }, () => newImage(productPk)) } };
      case 16:
        return { type: 'ReorderVideo', data: { videoPk, order: random.below(4) } };
      default:
        return { type: 'DeleteVideo', data: { videoPk } };
    }
  };
}
