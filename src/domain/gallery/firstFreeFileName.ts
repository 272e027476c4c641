/**
 * The first of `file`, `file_1`, `file_2`, … (suffix before the extension, same directory) that
 * `taken` does not hold, as OpenMage names a new gallery file: `/i/m/image.png`, else
 * `/i/m/image_1.png`, …
 */
export function firstFreeFileName(file: string, taken: (candidate: string) => boolean): string {
  if (!taken(file)) return file;
  const slash = file.lastIndexOf('/');
  const directory = file.slice(0, slash + 1);
  const name = file.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  const [stem, extension] = dot <= 0 ? [name, ''] : [name.slice(0, dot), name.slice(dot)];
  for (let index = 1; ; index++) {
    const candidate = `${directory}${stem}_${index}${extension}`;
    if (!taken(candidate)) return candidate;
  }
}
