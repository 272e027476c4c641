import { fileURLToPath } from 'node:url';
import { loadAdminAssets } from './adminAssets.ts';
import { adminHandler } from './adminHandler.ts';

export { isAdminRequest } from './adminHandler.ts';

/** Where `npm run build:admin` writes the page (admin/dist at the repository root). */
export const ADMIN_DIST_DIR = fileURLToPath(new URL('../../admin/dist', import.meta.url));

/** The gallery admin at `/admin/`: the built page read into memory, and its handler. */
export async function createAdmin(deps: { mediaBaseUrl: string; renditionWidths: readonly number[]; distDir?: string }) {
  const assets = await loadAdminAssets(deps.distDir ?? ADMIN_DIST_DIR);
  return { built: assets !== undefined, handle: adminHandler({ assets, mediaBaseUrl: deps.mediaBaseUrl, renditionWidths: deps.renditionWidths }) };
}
