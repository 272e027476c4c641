/**
 * `file` with the suffix `_<index>` before its extension, in the same directory; index 0 is
 * `file` itself: `/i/m/image.png`, `/i/m/image_1.png`, `/i/m/image_2.png`, …
 */
export function suffixedFileName(file: string, index: number): string {
  if (index === 0) return file;
  const slash = file.lastIndexOf('/');
  const directory = file.slice(0, slash + 1);
  const name = file.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  const [stem, extension] = dot <= 0 ? [name, ''] : [name.slice(0, dot), name.slice(dot)];
  return `${directory}${stem}_${index}${extension}`;
}

/**
 * The first of `file`, `file_1`, `file_2`, … (suffix before the extension, same directory) that
 * `taken` does not hold, as OpenMage names a new gallery file: `/i/m/image.png`, else
 * `/i/m/image_1.png`, …
 */
export function firstFreeFileName(file: string, taken: (candidate: string) => boolean): string {
  for (let index = 0; ; index++) {
    const candidate = suffixedFileName(file, index);
    if (!taken(candidate)) return candidate;
  }
}
