import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';

/** Content types of what a Vite build writes; anything else is not served. */
export const ADMIN_CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** The most the admin bundle may hold in memory; a bigger build is a mistake, refused at start. */
export const MAX_ADMIN_BUNDLE_BYTES = 8 * 1024 * 1024;

export interface AdminAsset {
  body: Buffer;
  contentType: string;
  etag: string;
  /** Vite names files under `assets/` by their content hash: they may be cached for good. */
  immutable: boolean;
}

/**
 * The built admin (`admin/dist`), read once into memory: path below `/admin/` → asset. Undefined
 * when there is no build (the service still starts; `/admin/` then says how to build it).
 */
export async function loadAdminAssets(distDir: string): Promise<Map<string, AdminAsset> | undefined> {
  const exists = await stat(join(distDir, 'index.html')).then(() => true, () => false);
  if (!exists) return undefined;
  const assets = new Map<string, AdminAsset>();
  let total = 0;
  for (const file of await listFiles(distDir)) {
    const contentType = ADMIN_CONTENT_TYPES[extname(file).toLowerCase()];
    if (contentType === undefined) continue;
    const body = await readFile(file);
    total += body.length;
    if (total > MAX_ADMIN_BUNDLE_BYTES) throw new Error(`The admin build in ${distDir} is larger than ${MAX_ADMIN_BUNDLE_BYTES} bytes.`);
    const path = relative(distDir, file).split(sep).join('/');
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    assets.set(path, { body, contentType, etag, immutable: path.startsWith('assets/') });
  }
  return assets;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name)) : Promise.resolve([join(dir, entry.name)]))),
  );
  return nested.flat();
}
