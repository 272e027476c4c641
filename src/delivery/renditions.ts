import type { Readable } from 'node:stream';
import { buffer as readAll } from 'node:stream/consumers';
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

export interface RenditionsDeps {
  objectStore: ObjectStore;
  renderer: RenditionRenderer;
  cache: HotObjectCache;
  quality: RenditionQuality;
  maxInputPixels: number;
}

/** The original of a rendition: its key, content type and focal point. */
export interface RenditionSource {
  key: string;
  contentType: string;
  focalPoint?: FocalPoint;
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

  async function make(source: RenditionSource, spec: RenditionSpec, key: string, job: ImageJob): Promise<StoredBinary> {
    const stored = await deps.objectStore.stat(key);
    if (stored !== null) return { info: stored };
    const original = await readAll((await deps.objectStore.get(source.key)).body);
    const rendered = await deps.renderer.render(original, { ...spec, maxInputPixels: deps.maxInputPixels }, job);
    const info = await deps.objectStore.put({ key, body: rendered.data, contentType: rendered.contentType });
    deps.cache.set(key, { info, body: rendered.data });
    return { info, body: rendered.data };
  }

  return {
    resolve,
    /**
     * The rendition's stored binary, made (once, whoever asks at the same time) when missing, as
     * a job of `job.owner` (the first to ask, when several do at once).
     */
    get(source: RenditionSource, spec: RenditionSpec, job: ImageJob): Promise<StoredBinary> {
      const key = renditionKey(source.key, spec);
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
