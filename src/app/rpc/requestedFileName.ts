/** Longest stem kept from a client's `file.name`. */
const MAX_STEM = 100;

/**
 * The gallery file name `create` asks for, as OpenMage makes it: the client's `name` (or
 * `image`) with every run of characters outside `[A-Za-z0-9_.-]` turned into `_`, then the
 * mime's extension: `{name: "my photo"}` with `image/png` → `my_photo.png`; `{name: "@@"}` → `file.png`.
 */
export function requestedFileName(name: unknown, extension: string): string {
  const given = typeof name === 'string' || typeof name === 'number' ? String(name) : '';
  const stem = given === '' ? 'image' : given.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, MAX_STEM);
  // Varien_File_Uploader::getCorrectFileName: nothing but underscores before the extension → `file`.
  return /^_+$/.test(stem) ? `file.${extension}` : `${stem}.${extension}`;
}
