import { lstat, mkdir, open, realpath } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { errnoCode, isMissing, unsafeObjectPath } from './fsErrors.ts';

/**
 * Where things live under the store root:
 * - `objects/<segments…>/<last segment>~`: one file per object (content, then its metadata);
 * - `tmp/`: files being written, on the same filesystem so a rename commits them.
 * Keys only ever map below `objects/`, so they cannot reach `tmp/`. The `~` suffix (never part of
 * a key) keeps object files and prefix directories apart, so `a` and `a/b` can both exist.
 */
export interface FsObjectLayout {
  /** The store root, with symlinks resolved once at open. */
  root: string;
  objects: string;
  tmp: string;
}

export const OBJECT_FILE_SUFFIX = '~';

export async function createFsObjectLayout(root: string): Promise<FsObjectLayout> {
  await mkdir(join(root, 'objects'), { recursive: true });
  await mkdir(join(root, 'tmp'), { recursive: true });
  const real = await realpath(root);
  // Make the layout's own directory entries durable before any object relies on them.
  await syncDirectory(real);
  await syncDirectory(dirname(real)).catch(() => undefined); // DATA_DIR may not be ours to read
  return { root: real, objects: join(real, 'objects'), tmp: join(real, 'tmp') };
}

/** The object file of a (validated) key, guarded against escaping `objects/`. */
export function objectFilePath(layout: FsObjectLayout, key: string): string {
  const path = resolve(layout.objects, ...key.split('/')) + OBJECT_FILE_SUFFIX;
  if (!path.startsWith(layout.objects + sep)) throw unsafeObjectPath(key);
  return path;
}

/**
 * Checks that `dir` (below `objects/`) is reached without symlinks. Planting a symlink needs write
 * access to the data dir, so this is defence in depth, not a race-free guarantee.
 * @throws the fs error (ENOENT, …) when `dir` does not exist; `OBJECT_PATH_UNSAFE` on a symlink.
 */
export async function assertRealDirectory(dir: string, key: string): Promise<void> {
  if ((await realpath(dir)) !== dir) throw unsafeObjectPath(key);
}

/**
 * Makes sure the parent directory of `file` exists inside `objects/` without following symlinks
 * (`mkdir -p` would create directories through one). Looks upwards for the nearest directory that
 * exists (usually the parent or the one above: a few trips, not one per segment), checks it is
 * reached without symlinks, then creates the missing ones below it. Returns the directories it
 * created, outermost first.
 */
export async function ensureParentDirectory(layout: FsObjectLayout, file: string, key: string): Promise<string[]> {
  const missing: string[] = [];
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    try {
      await assertRealDirectory(dir, key);
      break;
    } catch (error) {
      if (!isMissing(error) || dir === layout.objects) throw error;
    }
    missing.unshift(dir);
  }
  const created: string[] = [];
  for (const dir of missing) {
    try {
      await mkdir(dir);
      created.push(dir);
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw error; // made meanwhile by a concurrent put
      if (!(await lstat(dir)).isDirectory()) throw unsafeObjectPath(key);
    }
  }
  return created;
}

/** fsync on a directory makes the entries created, renamed or removed in it durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
