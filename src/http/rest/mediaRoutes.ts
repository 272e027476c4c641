import Router from '@koa/router';
import type { Context } from 'koa';
import { isAppError, NotFoundError } from '../../errors/appError.ts';
import { isValidObjectKey, type ObjectInfo, type ObjectStore } from '../../ports/objectStore.ts';
import { parseRangeHeader } from './rangeHeader.ts';

export interface MediaRoutesDeps {
  objectStore: ObjectStore;
}

/** Where binaries are served: the path of the default `MEDIA_BASE_URL` (`<PUBLIC_BASE_URL>/media`). */
export const MEDIA_PATH = '/media';

// A key is a fresh uuid per upload and its content never changes, so caches may keep it forever.
// `private`: every request is authenticated, so shared caches must not hand it to others.
const CACHE_CONTROL = 'private, max-age=31536000, immutable';

/**
 * `GET|HEAD /media/<key>`: the binaries of the object store (files or S3 alike), streamed, behind
 * the API's Token auth. Answers with the object's type and size, a strong `ETag` (`"<sha256>"`),
 * `Last-Modified`, `If-None-Match`/`If-Modified-Since` → 304, and single byte ranges → 206 (an
 * unsatisfiable one → 416 whose `Content-Range` gives only the size; several ranges → the whole 200).
 * A missing or invalid key (traversal, percent-encoding, ...) is DRF's 404 `{"detail": "Not found."}`.
 *
 * Mounted at `/media` whatever `MEDIA_BASE_URL` says: when that points at this service its path
 * is `/media`; when it points elsewhere (a CDN), that host must front the object store itself and
 * this route stays available for authenticated clients.
 */
export function mediaRoutes(deps: MediaRoutesDeps): Router {
  const router = new Router();
  router.get(`${MEDIA_PATH}/*key`, async (ctx) => {
    const key = keyOf(ctx.path);
    const info = key === undefined ? null : await deps.objectStore.stat(key);
    if (info === null) throw new NotFoundError();
    ctx.set(validators(info));
    ctx.set('X-Content-Type-Options', 'nosniff');
    if (notModified(ctx, info)) {
      ctx.status = 304;
      return;
    }
    ctx.set('Accept-Ranges', 'bytes');
    const request = rangeApplies(ctx, info) ? parseRangeHeader(ctx.get('range'), info.size) : { kind: 'whole' as const };
    if (request.kind === 'unsatisfiable') {
      ctx.status = 416;
      ctx.set('Content-Range', `bytes */${info.size}`);
      ctx.body = { detail: 'Requested range not satisfiable.' };
      return;
    }
    const range = request.kind === 'range' ? request.range : undefined;
    ctx.status = range ? 206 : 200;
    ctx.set('Content-Type', info.contentType);
    if (range) ctx.set('Content-Range', `bytes ${range.start}-${range.end}/${info.size}`);
    const length = range ? range.end - range.start + 1 : info.size;
    if (ctx.method !== 'HEAD') {
      // HEAD never opens the object: Koa would not consume (and so never close) its stream.
      const { body } = await deps.objectStore.get(info.key, range).catch((error: unknown) => {
        if (isAppError(error) && error.status === 404) throw new NotFoundError(); // deleted meanwhile
        throw error;
      });
      ctx.body = body;
    }
    ctx.length = length;
  });
  return router;
}

/** The object key of a `/media/...` path, or `undefined` when it cannot be one (no decoding: keys never need escapes). */
function keyOf(path: string): string | undefined {
  const key = path.slice(MEDIA_PATH.length + 1);
  return isValidObjectKey(key) ? key : undefined;
}

function validators(info: ObjectInfo): Record<string, string> {
  return { ETag: `"${info.sha256}"`, 'Last-Modified': new Date(info.lastModified).toUTCString(), 'Cache-Control': CACHE_CONTROL };
}

/** RFC 9110 §13.1.2–3: `If-None-Match` (weak comparison) wins over `If-Modified-Since`. */
function notModified(ctx: Context, info: ObjectInfo): boolean {
  const ifNoneMatch = ctx.get('if-none-match');
  if (ifNoneMatch !== '') {
    const tags = ifNoneMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    return tags.includes('*') || tags.includes(`"${info.sha256}"`);
  }
  const since = Date.parse(ctx.get('if-modified-since'));
  return !Number.isNaN(since) && Math.floor(Date.parse(info.lastModified) / 1000) * 1000 <= since;
}

/** `If-Range` (RFC 9110 §13.1.5): the range applies only if the client's copy is still this one. */
function rangeApplies(ctx: Context, info: ObjectInfo): boolean {
  const ifRange = ctx.get('if-range').trim();
  if (ifRange === '') return true;
  if (ifRange.startsWith('"') || ifRange.startsWith('W/')) return ifRange === `"${info.sha256}"`;
  return ifRange === new Date(info.lastModified).toUTCString();
}
