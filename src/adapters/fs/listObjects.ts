import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { assertObjectPrefix, isValidObjectKey, type ObjectInfo } from '../../ports/objectStore.ts';
import { isMissing } from './fsErrors.ts';
import { assertRealDirectory, OBJECT_FILE_SUFFIX, type FsObjectLayout } from './fsObjectLayout.ts';

/** Reads the info of the object file at `path`; `null` when it vanished meanwhile. */
export type ReadListedInfo = (path: string, key: string) => Promise<ObjectInfo | null>;

interface Entry {
  name: string;
  /** How the entry sorts among its siblings: a directory `x` stands for every key `x/…`. */
  sortKey: string;
  isDirectory: boolean;
}

/**
 * Every object under `prefix`, in key order, one directory listing in memory at a time. Sorting
 * siblings by `segment` (objects) and `segment/` (directories) yields whole keys in string order.
 * Symlinks and stray files are never followed nor yielded.
 */
export async function* listObjects(
  layout: FsObjectLayout,
  prefix: string,
  readInfo: ReadListedInfo,
): AsyncGenerator<ObjectInfo> {
  assertObjectPrefix(prefix);
  const cut = prefix.lastIndexOf('/') + 1;
  const directoryKey = prefix.slice(0, cut);
  const directory = join(layout.objects, ...directoryKey.split('/').filter((segment) => segment !== ''));
  try {
    await assertRealDirectory(directory, prefix);
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  yield* walk(directory, directoryKey, prefix.slice(cut), readInfo);
}

async function* walk(
  directory: string,
  keyPrefix: string,
  partialSegment: string,
  readInfo: ReadListedInfo,
): AsyncGenerator<ObjectInfo> {
  const entries = await readEntries(directory, keyPrefix);
  for (const entry of entries) {
    if (!entry.sortKey.startsWith(partialSegment)) continue;
    const path = join(directory, entry.name);
    if (entry.isDirectory) {
      yield* walk(path, `${keyPrefix}${entry.name}/`, '', readInfo);
    } else {
      const info = await readInfo(path, keyPrefix + entry.sortKey);
      if (info !== null) yield info;
    }
  }
}

async function readEntries(directory: string, keyPrefix: string): Promise<Entry[]> {
  let dirents;
  try {
    dirents = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return []; // removed by a concurrent delete of its last object
    throw error;
  }
  const entries: Entry[] = [];
  for (const dirent of dirents) {
    const { name } = dirent;
    if (dirent.isDirectory() && isValidObjectKey(`${keyPrefix}${name}`)) {
      entries.push({ name, sortKey: `${name}/`, isDirectory: true });
    } else if (dirent.isFile() && name.endsWith(OBJECT_FILE_SUFFIX)) {
      const segment = name.slice(0, -OBJECT_FILE_SUFFIX.length);
      if (isValidObjectKey(`${keyPrefix}${segment}`)) entries.push({ name, sortKey: segment, isDirectory: false });
    }
  }
  return entries.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
}
