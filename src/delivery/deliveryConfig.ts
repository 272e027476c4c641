import { integerSetting } from '../config/integerSetting.ts';
import { RENDITION_FITS, type RenditionFit, type RenditionFormat } from '../ports/imageProcessor.ts';

/** A named rendition (`?preset=card`): a box, a fit and, optionally, a format. */
export interface RenditionPreset {
  width?: number;
  height?: number;
  fit: RenditionFit;
  format?: RenditionFormat;
}

/** Quality of each lossy rendition format, 1–100. */
export type RenditionQuality = Readonly<Record<'jpeg' | 'webp' | 'avif', number>>;

/** How binaries are delivered (`/media/...`): the `RENDITION_*` and `MEDIA_*` settings. */
export interface DeliveryConfig {
  /** `RENDITION_SIZES`: the only widths and heights a rendition may ask for. */
  renditionSizes: readonly number[];
  /** `RENDITION_PRESETS` (`name=WxH:fit:format,…`): named renditions. */
  renditionPresets: ReadonlyMap<string, RenditionPreset>;
  /** `RENDITION_EAGER=1`: every preset is made right after an upload instead of on first request. */
  renditionEager: boolean;
  /** `RENDITION_QUALITY` (`jpeg=82,webp=80,avif=55`). */
  renditionQuality: RenditionQuality;
  /** `MEDIA_CACHE_BYTES` (default 64 MiB): memory for hot binaries; 0 turns the cache off. */
  cacheBytes: number;
  /** `MEDIA_CACHE_MAX_OBJECT_BYTES` (default 1 MiB): larger binaries are always streamed from the store. */
  cacheMaxObjectBytes: number;
  /** `MEDIA_REDIRECT=presigned` (S3 only): answer 302 to a short-lived presigned URL of the bucket. */
  redirect: 'none' | 'presigned';
  /** `MEDIA_PRESIGN_SECONDS` (default 300): lifetime of those presigned URLs. */
  presignSeconds: number;
  /** `MEDIA_ACCESS`: `public` (default; unguessable URLs) or `signed` (expiring HMAC-signed URLs only). */
  access: 'public' | 'signed';
  /** `MEDIA_SIGNING_KEY`: the HMAC secret of signed URLs (at least 32 characters; required when signed). */
  signingKey: string | undefined;
  /** `MEDIA_URL_TTL_SECONDS` (default 3600): how long a signed URL the API hands out stays valid, at least. */
  urlTtlSeconds: number;
}

export const DEFAULT_RENDITION_SIZES = [64, 96, 128, 160, 240, 320, 480, 640, 800, 960, 1200, 1600, 2000] as const;
export const DEFAULT_RENDITION_PRESETS = 'thumbnail=160x160:cover,card=480,zoom=1600';
const PRESET_FORMATS = ['jpeg', 'png', 'webp', 'avif'] as const;
/** Largest width or height a rendition may have: a size list cannot make the server render more. */
export const MAX_RENDITION_SIDE = 8192;

type Read = (name: string) => string | undefined;

/** Reads the delivery settings; every problem is added to `problems`, naming its variable. */
export function parseDeliveryConfig(read: Read, problems: string[], objectStore: 'files' | 's3'): DeliveryConfig {
  const integer = integerSetting(read, problems);
  const access = read('MEDIA_ACCESS') ?? 'public';
  if (access !== 'public' && access !== 'signed') problems.push(`MEDIA_ACCESS must be public or signed, got "${access}"`);
  const signingKey = read('MEDIA_SIGNING_KEY');
  if (access === 'signed' && (signingKey === undefined || signingKey.length < 32)) {
    problems.push('MEDIA_SIGNING_KEY must be set to at least 32 characters when MEDIA_ACCESS is signed');
  }
  const redirect = read('MEDIA_REDIRECT') ?? 'none';
  if (redirect !== 'none' && redirect !== 'presigned') problems.push(`MEDIA_REDIRECT must be presigned or unset, got "${redirect}"`);
  if (redirect === 'presigned' && objectStore !== 's3') problems.push('MEDIA_REDIRECT=presigned needs the S3 object store (MINIO_ENDPOINT)');
  const eager = read('RENDITION_EAGER') ?? '0';
  if (eager !== '0' && eager !== '1') problems.push(`RENDITION_EAGER must be 0 or 1, got "${eager}"`);
  return {
    renditionSizes: parseSizes(read('RENDITION_SIZES'), problems),
    renditionPresets: parsePresets(read('RENDITION_PRESETS') ?? DEFAULT_RENDITION_PRESETS, problems),
    renditionEager: eager === '1',
    renditionQuality: parseQuality(read('RENDITION_QUALITY'), problems),
    cacheBytes: integer('MEDIA_CACHE_BYTES', 64 * 1024 * 1024, 0, 64 * 1024 * 1024 * 1024),
    cacheMaxObjectBytes: integer('MEDIA_CACHE_MAX_OBJECT_BYTES', 1024 * 1024, 1, 256 * 1024 * 1024),
    redirect: redirect === 'presigned' ? 'presigned' : 'none',
    presignSeconds: integer('MEDIA_PRESIGN_SECONDS', 300, 10, 7 * 24 * 3600),
    access: access === 'signed' ? 'signed' : 'public',
    signingKey,
    urlTtlSeconds: integer('MEDIA_URL_TTL_SECONDS', 3600, 60, 365 * 24 * 3600),
  };
}

function isSide(text: string): boolean {
  return /^[1-9]\d{0,3}$/.test(text) && Number(text) <= MAX_RENDITION_SIDE;
}

function parseSizes(value: string | undefined, problems: string[]): readonly number[] {
  if (value === undefined) return DEFAULT_RENDITION_SIZES;
  const items = value.split(',').map((item) => item.trim());
  if (items.length > 64 || !items.every(isSide)) {
    problems.push(`RENDITION_SIZES must be a comma list of at most 64 whole numbers from 1 to ${MAX_RENDITION_SIDE}, got "${value}"`);
    return DEFAULT_RENDITION_SIZES;
  }
  return [...new Set(items.map(Number))].sort((a, b) => a - b);
}

const PRESET = /^([a-z][a-z0-9_-]{0,31})=(\d*)(?:x(\d*))?(?::([a-z]+))?(?::([a-z]+))?$/;

/** `thumbnail=160x160:cover,card=480,zoom=1600:inside:webp` */
export function parsePresets(value: string, problems: string[]): ReadonlyMap<string, RenditionPreset> {
  const presets = new Map<string, RenditionPreset>();
  for (const item of value.split(',').map((part) => part.trim()).filter(Boolean)) {
    const match = PRESET.exec(item);
    const [, name = '', width = '', height = '', fit = 'inside', format] = match ?? [];
    const sidesValid = (width === '' || isSide(width)) && (height === '' || isSide(height)) && (width !== '' || height !== '');
    const fitValid = (RENDITION_FITS as readonly string[]).includes(fit);
    const formatValid = format === undefined || (PRESET_FORMATS as readonly string[]).includes(format);
    if (!match || !sidesValid || !fitValid || !formatValid || presets.has(name)) {
      problems.push(`RENDITION_PRESETS entry "${item}" must be name=WIDTHxHEIGHT[:inside|cover|contain][:jpeg|png|webp|avif], each name once`);
      continue;
    }
    presets.set(name, {
      ...(width === '' ? {} : { width: Number(width) }),
      ...(height === '' ? {} : { height: Number(height) }),
      fit: fit as RenditionFit,
      ...(format === undefined ? {} : { format: format as RenditionFormat }),
    });
  }
  return presets;
}

function parseQuality(value: string | undefined, problems: string[]): RenditionQuality {
  const quality = { jpeg: 82, webp: 80, avif: 55 };
  if (value === undefined) return quality;
  for (const item of value.split(',').map((part) => part.trim()).filter(Boolean)) {
    const [format = '', number = ''] = item.split('=');
    if (!(format in quality) || !/^\d{1,3}$/.test(number) || Number(number) < 1 || Number(number) > 100) {
      problems.push(`RENDITION_QUALITY entry "${item}" must be jpeg=, webp= or avif= a whole number from 1 to 100`);
      continue;
    }
    quality[format as keyof typeof quality] = Number(number);
  }
  return quality;
}
