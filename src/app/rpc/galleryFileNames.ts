import { dispersed } from '../media/mediaKeys.ts';

/** Longest stem kept from a client's `file.name`. */
const MAX_STEM = 100;

/**
 * The gallery file name `create` asks for, as OpenMage makes it: the client's `name` (or
 * `image`) with every run of characters outside `[A-Za-z0-9_.-]` turned into `_`, then the
 * mime's extension: `{name: "my photo"}` with `image/png` → `my_photo.png`.
 */
export function requestedFileName(name: unknown, extension: string): string {
  const given = typeof name === 'string' || typeof name === 'number' ? String(name) : '';
  const stem = given === '' ? 'image' : given.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, MAX_STEM);
  return `${stem}.${extension}`;
}

/**
 * The dispersed gallery file name for `name` that no live image of the product holds:
 * `/i/m/image.png`, else `/i/m/image_1.png`, `/i/m/image_2.png`, … (same directory).
 */
export function freeFileName(name: string, taken: (file: string) => boolean): string {
  const first = dispersed(name);
  if (!taken(first)) return first;
  const directory = first.slice(0, first.length - name.length);
  const dot = name.lastIndexOf('.');
  const [stem, extension] = dot <= 0 ? [name, ''] : [name.slice(0, dot), name.slice(dot)];
  for (let index = 1; ; index++) {
    const candidate = `${directory}${stem}_${index}${extension}`;
    if (!taken(candidate)) return candidate;
  }
}
