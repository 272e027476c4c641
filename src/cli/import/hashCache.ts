import { readFile, rename, writeFile } from 'node:fs/promises';

/** What identified a source's bytes when they were last hashed: HTTP validators, or a file's size and time. */
export interface HashCacheEntry {
  sha256: string;
  mime: string;
  etag?: string;
  lastModified?: string;
  size?: number;
  mtimeMs?: number;
}

/**
 * Hashes of the sources a previous run read (`<file>.hashes.json`), so a re-run asks each server
 * only whether an image changed (`If-None-Match` / `If-Modified-Since` → 304) and skips unchanged
 * local files by size and time, instead of downloading and hashing every image again. Only a
 * shortcut: whether the product holds the content is always asked of the service.
 */
export interface HashCache {
  get(location: string): HashCacheEntry | undefined;
  set(location: string, entry: HashCacheEntry): void;
  save(): Promise<void>;
}

export function hashCacheFileOf(importFile: string): string {
  return `${importFile}.hashes.json`;
}

export async function openHashCache(path: string): Promise<HashCache> {
  let entries: Record<string, HashCacheEntry> = {};
  try {
    const stored = JSON.parse(await readFile(path, 'utf8')) as { version?: number; entries?: Record<string, HashCacheEntry> };
    if (stored.version === 1 && stored.entries && typeof stored.entries === 'object') entries = stored.entries;
  } catch {
    // Missing or unreadable: every source is read again.
  }
  const map = new Map(Object.entries(entries));
  let changed = false;
  return {
    get: (location) => map.get(location),
    set(location, entry) {
      map.set(location, entry);
      changed = true;
    },
    async save() {
      if (!changed) return;
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify({ version: 1, entries: Object.fromEntries(map) }));
      await rename(temporary, path);
    },
  };
}
