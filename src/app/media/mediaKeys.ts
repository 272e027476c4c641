import { randomUUID } from 'node:crypto';

/**
 * Object-store keys and gallery file names, in Omnitron's and OpenMage's shapes:
 * `products/YYYY/MM/DD/<productPk>/<uuid4>.<ext>`, `product_videos/YYYY/MM/DD/<uuid4>.mp4`, and
 * the dispersion path `/<c0>/<c1>/<name>` of a gallery file name.
 */
export function imageKey(productPk: number, now: string, extension: string, uuid: string = randomUUID()): string {
  return `products/${datePath(now)}/${productPk}/${uuid}.${extension}`;
}

export function videoKey(now: string, uuid: string = randomUUID()): string {
  return `product_videos/${datePath(now)}/${uuid}.mp4`;
}

/** The gallery file name of a binary stored under `key` (REST uploads): `/7/a/7ab3a475-....jpg`. */
export function fileNameOfKey(key: string): string {
  return dispersed(key.slice(key.lastIndexOf('/') + 1));
}

/** OpenMage's dispersion: the first two characters of the name (`.` as `_`) as directories. */
export function dispersed(name: string): string {
  const letter = (index: number) => {
    const character = name[index] ?? '_';
    return character === '.' ? '_' : character;
  };
  return `/${letter(0)}/${letter(1)}/${name}`;
}

function datePath(now: string): string {
  return now.slice(0, 10).replaceAll('-', '/');
}
