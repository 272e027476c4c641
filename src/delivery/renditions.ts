import type { Readable } from 'node:stream';
import { buffer as readAll } from 'node:stream/consumers';
import { createHash } from 'node:crypto';
import type { FocalPoint } from '../domain/gallery/galleryVocabulary.ts';
import { CONTENT_TYPE_OF, IMAGE_FORMATS, INTERNAL_OWNER, type ImageFormat, type ImageJob, type RenditionRenderer } from '../ports/imageProcessor.ts';
import type { ObjectInfo, ObjectStore } from '../ports/objectStore.ts';
import type { RenditionPreset, RenditionQuality } from './deliveryConfig.ts';
import { chooseFormat } from './formatNegotiation.ts';
import type { HotObjectCache } from './hotObjectCache.ts';
import type { RequestedRendition } from './mediaQuery.ts';
import { renditionKey, type RenditionSpec } from './renditionKey.ts';
import { singleFlight } from './singleFlight.ts';

/** A binary to serve: its facts, and its bytes when they are in memory, or the store's open stream of them. */
export interface StoredBinary {
  info: ObjectInfo;
  body?: Buffer;
  /** The whole content, opened already; whoever does not send it destroys it. */
  stream?: Readable;
}

/** A rendition's spec and object key. */
export interface RenditionPlan {
  spec: RenditionSpec;
  key: string;
}

export interface RenditionsDeps {
  objectStore: ObjectStore;
  renderer: RenditionRenderer;
  cache: HotObjectCache;
  quality: RenditionQuality;
  maxInputPixels: number;
  /** Told when a rendition already answered could not be stored (it is made again on a later request). */
  onStoreFailure?: (key: string, error: unknown) => void;
}

/** The original of a rendition: its key, content type, focal point and, when known, size as stored. */
export interface RenditionSource {
  key: string;
  contentType: string;
  focalPoint?: FocalPoint;
  width?: number;
  height?: number;
}

const formatOfContentType = (contentType: string): ImageFormat =>
  IMAGE_FORMATS.find((format) => CONTENT_TYPE_OF[format] === contentType) ?? 'jpeg';

/**
 * Renditions of stored images, made on first request and stored in the object store beside
 * their originals (under `renditions/`), then served like originals. Concurrent first requests
 * of one rendition share one render (single flight); the render itself takes a slot of the
 * image job limiter that uploads use.
 */
export function renditions(deps: RenditionsDeps) {
  const flights = singleFlight<StoredBinary>();
  // Renditions answered but not yet stored: a request meanwhile waits for the write rather than
  // rendering again (the hot cache holds most of them anyway).
  const storing = new Map<string, Promise<unknown>>();
  // Plans per source and asked rendition: both objects are kept by their own caches (the media
  // lookup, the parsed queries) while nothing changed, so a repeated request plans nothing.
  const plans = new WeakMap<RenditionSource, WeakMap<RequestedRendition, Map<string, RenditionPlan>>>();

  /** Everything that decides the bytes: the format for this request, the quality and focal point in force. */
  function resolve(requested: RequestedRendition, source: RenditionSource, accept: string | undefined): RenditionSpec {
    const format = chooseFormat(requested.format, accept, formatOfContentType(source.contentType));
    const quality = format === 'jpeg' || format === 'webp' || format === 'avif' ? deps.quality[format] : 100;
    const crops = requested.fit === 'cover' && requested.width !== undefined && requested.height !== undefined;
    return {
      ...(requested.width === undefined ? {} : { width: requested.width }),
      ...(requested.height === undefined ? {} : { height: requested.height }),
      fit: requested.fit,
      format,
      quality,
      ...(crops && source.focalPoint ? { focalPoint: source.focalPoint } : {}),
    };
  }

  /**
   * Renders and answers at once; the store write follows in the background (a `cache` put: a
   * rendition lost in a crash is made again). The ETag is the same either way: the SHA-256 of the bytes.
   */
  async function make(source: RenditionSource, spec: RenditionSpec, key: string, job: ImageJob): Promise<StoredBinary> {
    await storing.get(key);
    const stored = await deps.objectStore.stat(key);
    if (stored !== null) return { info: stored };
    const original = deps.cache.get(source.key)?.body ?? (await readAll((await deps.objectStore.get(source.key)).body));
    const sourceSize = source.width !== undefined && source.height !== undefined ? { sourceSize: { width: source.width, height: source.height } } : {};
    const rendered = await deps.renderer.render(original, { ...spec, maxInputPixels: deps.maxInputPixels, ...sourceSize }, job);
    const body = rendered.data;
    const info = { key, size: body.length, contentType: rendered.contentType, sha256: createHash('sha256').update(body).digest('hex'), lastModified: new Date().toISOString() };
    deps.cache.set(key, { info, body });
    const write = deps.objectStore
      .put({ key, body, contentType: rendered.contentType, sha256: info.sha256, durability: 'cache' })
      .catch((error: unknown) => deps.onStoreFailure?.(key, error))
      .finally(() => storing.delete(key));
    storing.set(key, write);
    return { info, body };
  }

  /** The spec and key of `requested` for `source` and this request's `Accept`, planned once. */
  function plan(source: RenditionSource, requested: RequestedRendition, accept: string | undefined): RenditionPlan {
    const format = chooseFormat(requested.format, accept, formatOfContentType(source.contentType));
    let bySource = plans.get(source);
    if (bySource === undefined) plans.set(source, (bySource = new WeakMap()));
    let byFormat = bySource.get(requested);
    if (byFormat === undefined) bySource.set(requested, (byFormat = new Map()));
    let planned = byFormat.get(format);
    if (planned === undefined) {
      const spec = resolve(requested, source, accept);
      byFormat.set(format, (planned = { spec, key: renditionKey(source.key, spec) }));
    }
    return planned;
  }

  return {
    resolve,
    plan,
    /**
     * The rendition's stored binary, made (once, whoever asks at the same time) when missing, as
     * a job of `job.owner` (the first to ask, when several do at once).
     */
    get(source: RenditionSource, spec: RenditionSpec, job: ImageJob, key = renditionKey(source.key, spec)): Promise<StoredBinary> {
      const cached = deps.cache.get(key);
      if (cached !== undefined) return Promise.resolve(cached);
      return flights.run(key, () => make(source, spec, key, job));
    },
    /** Makes every preset of an image now (`RENDITION_EAGER`); a preset without a format in the original's format and WebP. */
    async prepare(source: RenditionSource, presets: Iterable<RenditionPreset>): Promise<void> {
      for (const preset of presets) {
        const formats = preset.format === undefined ? [undefined, 'webp' as const] : [preset.format as 'webp'];
        for (const format of formats) {
          const { format: _, ...box } = preset;
          const requested: RequestedRendition = { ...box, ...(format === undefined ? {} : { format }) };
          await this.get(source, resolve(requested, source, undefined), { owner: INTERNAL_OWNER });
        }
      }
    },
    /** Renders running now (tests). */
    get inFlight() {
      return flights.size;
    },
  };
}

export type Renditions = ReturnType<typeof renditions>;
