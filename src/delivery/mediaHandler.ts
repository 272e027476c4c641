import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserDirectory } from '../auth/userDirectory.ts';
import { AppError, isAppError, NotFoundError } from '../errors/appError.ts';
import { presentedToken } from '../http/rest/tokenAuth.ts';
import type { Logger } from '../logging/logger.ts';
import { ANONYMOUS_OWNER } from '../ports/imageProcessor.ts';
import { isValidObjectKey, type ByteRange, type ObjectStore } from '../ports/objectStore.ts';
import { sendBinary, sendJson, type CachingHeaders } from './binaryResponse.ts';
import type { DeliveryConfig } from './deliveryConfig.ts';
import { GALLERY_FILE_PATH, type GalleryFileKey } from './galleryFileKeys.ts';
import type { HotObjectCache } from './hotObjectCache.ts';
import type { MediaEntry, MediaLookup } from './mediaLookup.ts';
import { parseMediaQuery, type MediaQuery } from './mediaQuery.ts';
import { mediaSigner } from './mediaSignature.ts';
import { originalBinary } from './originalBinary.ts';
import type { Renditions, StoredBinary } from './renditions.ts';

/** Where binaries are served: the path of the default `MEDIA_BASE_URL` (`<PUBLIC_BASE_URL>/media`). */
export const MEDIA_PATH = '/media';
const PREFIX = `${MEDIA_PATH}/`;
/** Magento's media URL of a gallery file: `/media/catalog/product/i/m/image.png` (ShipStream connectors build these from `file`). */
export const CATALOG_PRODUCT_PATH = `${MEDIA_PATH}/catalog/product`;
const CATALOG_PREFIX = `${CATALOG_PRODUCT_PATH}/`;

/** A key's bytes never change (replaced content gets a new key): caches may keep them for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/**
 * A `cover` crop follows the image's focal point, which may change under the same URL: caches
 * keep it an hour and revalidate in the background for a day (the ETag tells them whether it moved).
 */
const FOLLOWS_FOCAL_POINT = 'public, max-age=3600, stale-while-revalidate=86400';
/**
 * A gallery file's URL answers the image's current binary, which `update` may replace under the
 * same name: caches keep it five minutes and revalidate in the background (the ETag tells them
 * whether it changed).
 */
const NAMED_BY_FILE = 'public, max-age=300, stale-while-revalidate=86400';
/** Binaries only an API user may see (deleted or replaced ones): never kept by shared caches. */
const PRIVATE = 'private, no-store';
const ALLOWED_METHODS = 'GET, HEAD, OPTIONS';
const SAFE_ID = /^[\w.:@/+=-]{1,128}$/;
/** Distinct query strings whose parse is remembered (forgotten all at once beyond). */
const PARSED_QUERIES = 1000;

export interface MediaHandlerDeps {
  lookup: MediaLookup;
  /** The key of the live image a gallery file name (`/i/m/image.png`) names, for `/media/catalog/product<file>`. */
  fileKey: GalleryFileKey;
  objectStore: ObjectStore & { presignedGetUrl?(key: string, expirySeconds: number): Promise<string> };
  renditions: Renditions;
  cache: HotObjectCache;
  users: UserDirectory;
  delivery: DeliveryConfig;
  logger: Logger;
  /** Milliseconds since the epoch (signed URLs' expiry). */
  now?: () => number;
  /**
   * Read-your-writes across instances: a key this instance does not know may have just been
   * stored through another one, so before a 404 the read models catch up with the store once.
   * Known keys (nearly every request) never wait.
   */
  readGuard?: { caughtUp(): Promise<void> };
}

/** Whether a request is the media handler's: everything spelled like `/media…`, so no spelling reaches the API. */
export function isMediaRequest(url: string | undefined): boolean {
  return url !== undefined && url.length >= MEDIA_PATH.length && url.slice(0, MEDIA_PATH.length).toLowerCase() === MEDIA_PATH;
}

/**
 * `GET|HEAD /media/<key>[?w=&h=&fit=&format=|preset=]`: the delivery origin, a plain `node:http`
 * handler in front of the API (a storefront page asks it for dozens of images).
 *
 * - Public without credentials, by unguessable key, for the current binary of a live image or
 *   video; a deleted or replaced binary only with a valid API token (`Authorization: Token`),
 *   and then never cached by shared caches. Any other path, spelling or key: 404.
 * - `MEDIA_ACCESS=signed`: a request without a valid token needs the URL's unexpired signature (403).
 * - Renditions of images (see mediaQuery.ts), made once and stored; originals and renditions are
 *   answered alike (see binaryResponse.ts), from memory when hot, else streamed from the store,
 *   or with `MEDIA_REDIRECT=presigned` by a 302 to a short-lived URL of the bucket.
 * - Errors are JSON (`{"detail": …}` or DRF field errors), never a stack.
 * - `GET|HEAD /media/catalog/product<file>` (Magento's URL of a ShipStream gallery file, e.g.
 *   `/media/catalog/product/i/m/image.png`): the current binary of the live image of that name,
 *   answered as its key's URL is (renditions included), cached for minutes rather than a year
 *   (`update` may replace the binary under the name). Removed images and unknown names: 404.
 */
export function mediaHandler(deps: MediaHandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const now = deps.now ?? Date.now;
  const signer = deps.delivery.access === 'signed' && deps.delivery.signingKey ? mediaSigner(deps.delivery.signingKey, deps.delivery.urlTtlSeconds) : undefined;
  const rules = { sizes: deps.delivery.renditionSizes, presets: deps.delivery.renditionPresets };
  // The queries of a page's images repeat (a CDN origin sees the same few): parsed once each.
  const parsedQueries = new Map<string, MediaQuery>();
  const parseQuery = (query: string): MediaQuery => {
    let parsed = parsedQueries.get(query);
    if (parsed === undefined) {
      parsed = parseMediaQuery(query, rules);
      if (parsedQueries.size >= PARSED_QUERIES) parsedQueries.clear();
      parsedQueries.set(query, parsed);
    }
    return parsed;
  };
  const original = originalBinary(deps.objectStore, deps.cache);

  async function answer(req: IncomingMessage, res: ServerResponse, state: { actor?: string }): Promise<number> {
    if (req.method === 'OPTIONS') return preflight(res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', ALLOWED_METHODS);
      throw new AppError('METHOD_NOT_ALLOWED', `Method "${String(req.method).slice(0, 32)}" not allowed.`, { status: 405 });
    }
    const url = req.url ?? '';
    const queryStart = url.indexOf('?');
    const path = queryStart === -1 ? url : url.slice(0, queryStart);
    const byFile = path.startsWith(CATALOG_PREFIX);
    const key = byFile ? await keyOfFile(path.slice(CATALOG_PRODUCT_PATH.length)) : path.startsWith(PREFIX) ? path.slice(PREFIX.length) : '';
    // No decoding: keys never need escapes, so `%2e%2e`, `//` or a trailing `/` name nothing.
    if (!isValidObjectKey(key)) throw new NotFoundError();
    const query = parseQuery(queryStart === -1 ? '' : url.slice(queryStart + 1));
    const actor = userOf(req);
    if (actor !== undefined) state.actor = actor;
    // A gallery file's URL is signed as its path (`catalog/product/i/m/image.png`), not as the key behind it.
    if (signer !== undefined && actor === undefined) checkSignature(byFile ? path.slice(PREFIX.length) : key, query);
    let entry = deps.lookup(key);
    if (entry === undefined && deps.readGuard) {
      await deps.readGuard.caughtUp();
      entry = deps.lookup(key);
    }
    // Deleted and replaced binaries exist only for API users; for anyone else, as if they never did.
    if (entry === undefined || (entry.state !== 'live' && actor === undefined)) throw new NotFoundError();
    const binary = await binaryFor(key, entry, query, req, actor ?? ANONYMOUS_OWNER);
    const caching = cachingFor(entry, query, binary.vary, actor !== undefined && entry.state !== 'live', byFile);
    if (deps.delivery.redirect === 'presigned' && deps.objectStore.presignedGetUrl) {
      return redirect(res, await deps.objectStore.presignedGetUrl(binary.stored.info.key, deps.delivery.presignSeconds));
    }
    const open = (range?: ByteRange) => original.open(binary.stored.info.key, range);
    return sendBinary(req, res, binary.stored, open, caching);
  }

  /**
   * The key of the live image a gallery file names, once this instance's read models have caught
   * up with the store when they do not know it (it may just have been created through another
   * instance); `''` (no key) when none does: only live images are served by file name.
   */
  async function keyOfFile(file: string): Promise<string> {
    let key = deps.fileKey(file);
    if (key === undefined && deps.readGuard && GALLERY_FILE_PATH.test(file)) {
      await deps.readGuard.caughtUp();
      key = deps.fileKey(file);
    }
    return key ?? '';
  }

  /** The original, or the rendition asked for, made as a job of `owner` (the token's user, or anonymous). */
  async function binaryFor(key: string, entry: MediaEntry, query: MediaQuery, req: IncomingMessage, owner: string): Promise<{ stored: StoredBinary; vary?: string }> {
    if (query.rendition === undefined) return { stored: await original.load(key, req.method === 'HEAD' || req.headers.range !== undefined) };
    if (entry.kind !== 'image') throw new AppError('NO_RENDITION', 'Renditions are made of images only.', { status: 400 });
    // The entry is the rendition's source (its key, type and focal point), kept while nothing changed.
    const { spec, key: renditionKey } = deps.renditions.plan(entry, query.rendition, req.headers.accept);
    const stored = await deps.renditions.get(entry, spec, { owner }, renditionKey);
    return query.rendition.format === 'auto' ? { stored, vary: 'Accept' } : { stored };
  }

  /**
   * The common request answered without a promise: a GET or HEAD of a live key, original or
   * rendition, whose bytes are in the hot cache. `undefined` for anything else (the full path
   * then answers it, errors included).
   */
  function answerHot(req: IncomingMessage, res: ServerResponse): number | undefined {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || signer !== undefined || deps.delivery.redirect === 'presigned') return undefined;
    if (req.headers.authorization !== undefined) return undefined;
    const url = req.url ?? '';
    const queryStart = url.indexOf('?');
    const byFile = url.startsWith(CATALOG_PREFIX);
    const path = url.slice(byFile ? CATALOG_PRODUCT_PATH.length : PREFIX.length, queryStart === -1 ? undefined : queryStart);
    const key = byFile ? deps.fileKey(path) : path;
    if (key === undefined || !url.startsWith(PREFIX) || !isValidObjectKey(key)) return undefined;
    const query = parseQuery(queryStart === -1 ? '' : url.slice(queryStart + 1));
    const entry = deps.lookup(key);
    if (entry === undefined || entry.state !== 'live') return undefined;
    let stored: StoredBinary | undefined;
    let vary: string | undefined;
    if (query.rendition === undefined) stored = deps.cache.get(key);
    else if (entry.kind === 'image') {
      stored = deps.cache.get(deps.renditions.plan(entry, query.rendition, req.headers.accept).key);
      if (query.rendition.format === 'auto') vary = 'Accept';
    }
    if (stored === undefined) return undefined;
    const served = sendBinary(req, res, stored, (range) => original.open(stored.info.key, range), cachingFor(entry, query, vary, false, byFile));
    return typeof served === 'number' ? served : undefined;
  }

  function cachingFor(entry: MediaEntry, query: MediaQuery, vary: string | undefined, isPrivate: boolean, byFile: boolean): CachingHeaders {
    const withVary = (cacheControl: string): CachingHeaders => (vary === undefined ? { cacheControl } : { cacheControl, vary });
    if (isPrivate) return withVary(PRIVATE);
    if (signer !== undefined && query.signature !== undefined) {
      const remaining = Math.max(0, Math.floor(Number(query.signature.expires) - now() / 1000));
      return withVary(`private, max-age=${remaining}`);
    }
    const { rendition } = query;
    const crops = rendition?.fit === 'cover' && rendition.width !== undefined && rendition.height !== undefined;
    if (byFile) return withVary(NAMED_BY_FILE);
    return withVary(crops && entry.kind === 'image' ? FOLLOWS_FOCAL_POINT : IMMUTABLE);
  }

  function checkSignature(key: string, query: MediaQuery): void {
    if (query.signature === undefined) throw new AppError('SIGNATURE_REQUIRED', 'This URL needs a valid signature.', { status: 403 });
    const verdict = signer!.verify(key, query.signature.expires, query.signature.signature, now());
    if (verdict === 'expired') throw new AppError('SIGNATURE_EXPIRED', 'This URL has expired.', { status: 403 });
    if (verdict === 'invalid') throw new AppError('SIGNATURE_INVALID', 'Invalid signature.', { status: 403 });
  }

  function userOf(req: IncomingMessage): string | undefined {
    const token = presentedToken(req.headers.authorization);
    return token === undefined ? undefined : deps.users.findByKey(token);
  }

  return (req, res) => {
    const started = performance.now();
    const inbound = req.headers['x-request-id'];
    const requestId = typeof inbound === 'string' && SAFE_ID.test(inbound) ? inbound : randomUUID();
    res.setHeader('X-Request-ID', requestId);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    const state: { actor?: string } = {};
    const log = (status: number) =>
      deps.logger.info('request', {
        requestId,
        method: req.method,
        path: (req.url ?? '').slice(0, 2048),
        status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        actor: state.actor,
      });
    let hot: number | undefined;
    try {
      hot = answerHot(req, res);
    } catch {
      // A query the full path refuses in its own words.
    }
    if (hot !== undefined) return log(hot);
    answer(req, res, state).then(log, (error: unknown) => log(fail(res, error, deps.logger, requestId)));
  };
}

/** CORS preflight: any origin may GET the binaries (images drawn on canvases, fetch() from storefronts). */
function preflight(res: ServerResponse): number {
  res.setHeader('Allow', ALLOWED_METHODS);
  res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
  res.setHeader('Access-Control-Allow-Headers', 'Authorization, Range, If-None-Match, If-Modified-Since, If-Range');
  res.setHeader('Access-Control-Max-Age', '86400');
  res.writeHead(204).end();
  return 204;
}

function redirect(res: ServerResponse, location: string): number {
  res.setHeader('Location', location);
  // Shorter than the presigned URL lives: a cached redirect never points at an expired URL.
  res.setHeader('Cache-Control', 'private, max-age=60');
  res.writeHead(302).end();
  return 302;
}

/** Renders an error as JSON (a 5xx without its details, logged with its cause); a broken stream ends the connection. */
function fail(res: ServerResponse, error: unknown, logger: Logger, requestId: string): number {
  const status = isAppError(error) ? error.status : 500;
  if (!isAppError(error) || !error.expose) {
    logger.error('media request failed', { requestId, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
  if (res.headersSent) {
    res.destroy();
    return res.statusCode;
  }
  for (const name of ['ETag', 'Last-Modified', 'Cache-Control', 'Vary', 'Accept-Ranges', 'Content-Range']) {
    if (name !== 'Content-Range' || status !== 416) res.removeHeader(name);
  }
  res.setHeader('Cache-Control', 'no-cache');
  if (status === 405) res.setHeader('Allow', ALLOWED_METHODS);
  if (isAppError(error) && error.headers) for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  const body = isAppError(error) && error.expose ? (error.details ?? { detail: error.message }) : { detail: 'A server error occurred.' };
  sendJson(res, status, body);
  return status;
}
