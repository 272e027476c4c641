import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdminAsset } from './adminAssets.ts';
import { adminSecurityHeaders } from './adminPolicy.ts';

export const ADMIN_PATH = '/admin';

/** Whether a request's URL is the admin page's (its assets and its client-side routes). */
export function isAdminRequest(url: string | undefined): boolean {
  if (url === undefined || url.length < ADMIN_PATH.length) return false;
  const rest = url.slice(ADMIN_PATH.length, ADMIN_PATH.length + 1);
  return url.slice(0, ADMIN_PATH.length).toLowerCase() === ADMIN_PATH && (rest === '' || rest === '/' || rest === '?');
}

/** Client-side routes answered with the page itself (the SPA reads the path). */
const PAGE_ROUTES = [/^$/, /^products\/\d{1,10}\/?$/];

export interface AdminHandlerDeps {
  /** The built page, or undefined when it was not built. */
  assets: Map<string, AdminAsset> | undefined;
  mediaBaseUrl: string;
  /** Widths the renditions allow (`RENDITION_SIZES`): the page builds its `srcset`s from them. */
  renditionWidths: readonly number[];
}

/**
 * `GET|HEAD /admin/...`: the gallery admin's static files, public (the page asks for the user's
 * key and sends it with every API call itself). A plain `node:http` handler, like `/media`:
 * nothing here reads a body or touches the stores; every answer comes from memory.
 */
export function adminHandler(deps: AdminHandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const security = adminSecurityHeaders(deps.mediaBaseUrl);
  const settings = Buffer.from(JSON.stringify({ rendition_widths: deps.renditionWidths }));
  const json = (res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}) => {
    const bytes = Buffer.from(JSON.stringify(body));
    res.writeHead(status, { ...security, 'Content-Type': 'application/json', 'Content-Length': bytes.length, ...headers });
    res.end(bytes);
  };

  return (req, res) => {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      return json(res, 405, { detail: `Method "${method}" not allowed.` }, { Allow: 'GET, HEAD' });
    }
    const path = (req.url ?? '').split('?', 1)[0]!;
    if (path.length === ADMIN_PATH.length) {
      res.writeHead(301, { ...security, Location: `${ADMIN_PATH}/`, 'Content-Length': 0 });
      return res.end();
    }
    const below = path.slice(ADMIN_PATH.length + 1);
    if (below === 'config.json') return send(req, res, security, { body: settings, contentType: 'application/json', etag: '', immutable: false });
    if (!deps.assets) {
      return json(res, 503, { detail: 'The admin page is not built: run `npm run build:admin`.' });
    }
    const asset = PAGE_ROUTES.some((route) => route.test(below)) ? deps.assets.get('index.html') : deps.assets.get(below);
    if (!asset) return json(res, 404, { detail: 'Not found.' });
    return send(req, res, security, asset);
  };
}

function send(req: IncomingMessage, res: ServerResponse, security: Record<string, string>, asset: AdminAsset): void {
  const headers: Record<string, string | number> = {
    ...security,
    'Content-Type': asset.contentType,
    'Cache-Control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
  if (asset.etag !== '') headers.ETag = asset.etag;
  if (asset.etag !== '' && req.headers['if-none-match'] === asset.etag) {
    res.writeHead(304, headers);
    return void res.end();
  }
  res.writeHead(200, { ...headers, 'Content-Length': asset.body.length });
  res.end(req.method === 'HEAD' ? undefined : asset.body);
}
