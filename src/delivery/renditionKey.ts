import type { RenditionFit, RenditionFormat } from '../ports/imageProcessor.ts';

/** Where every rendition is stored: beside nothing a client can name, under its original's key. */
export const RENDITIONS_PREFIX = 'renditions/';

const EXTENSION: Readonly<Record<RenditionFormat, string>> = { jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'avif', gif: 'gif' };

/** Everything that decides a rendition's bytes, resolved (a concrete format, the quality in force). */
export interface RenditionSpec {
  width?: number;
  height?: number;
  fit: RenditionFit;
  format: RenditionFormat;
  /** Quality of lossy formats; ignored (and not in the key) for png and gif. */
  quality: number;
  /** For `cover` with both sides: the focal point in force, or none (crop by salience). */
  focalPoint?: { x: number; y: number };
}

const isLossy = (format: RenditionFormat) => format === 'jpeg' || format === 'webp' || format === 'avif';
/** A fraction as ten-thousandths: enough for any crop of an image of 10,000 pixels. */
const tenThousandths = (fraction: number) => Math.round(fraction * 10_000);

/**
 * The object-store key of a rendition: `renditions/<original key>/<w>x<h>-<fit>[-fp<x>_<y>][-q<n>].<ext>`,
 * e.g. `renditions/products/2024/05/25/16201/<uuid>.jpg/320xauto-inside-q80.webp`. Everything
 * that decides the bytes is in the key, so a key's bytes never change: a new focal point or
 * quality setting makes new renditions, and stale ones are never served.
 */
export function renditionKey(originalKey: string, spec: RenditionSpec): string {
  const box = `${spec.width ?? 'auto'}x${spec.height ?? 'auto'}`;
  const crops = spec.fit === 'cover' && spec.width !== undefined && spec.height !== undefined;
  const focus = !crops ? '' : spec.focalPoint === undefined ? '-salient' : `-fp${tenThousandths(spec.focalPoint.x)}_${tenThousandths(spec.focalPoint.y)}`;
  const quality = isLossy(spec.format) ? `-q${spec.quality}` : '';
  return `${RENDITIONS_PREFIX}${originalKey}/${box}-${spec.fit}${focus}${quality}.${EXTENSION[spec.format]}`;
}

/** The original's key of a rendition key, or `undefined` for any other key (the blob collector's question). */
export function originalKeyOf(key: string): string | undefined {
  if (!key.startsWith(RENDITIONS_PREFIX)) return undefined;
  const last = key.lastIndexOf('/');
  return last <= RENDITIONS_PREFIX.length ? undefined : key.slice(RENDITIONS_PREFIX.length, last);
}
