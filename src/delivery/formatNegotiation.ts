import type { ImageFormat, RenditionFormat } from '../ports/imageProcessor.ts';
import type { RequestedFormat } from './mediaQuery.ts';

/** Formats `format=auto` may pick, best first: AVIF, then WebP, then the original's own. */
const AUTO_PREFERENCE = [
  { format: 'avif', mediaType: 'image/avif' },
  { format: 'webp', mediaType: 'image/webp' },
] as const;

/**
 * The format to encode a rendition in: the one asked for; for `auto`, the best one the `Accept`
 * header names with a non-zero quality (wildcards do not count: every browser sends `*\/*`,
 * and only those that can show AVIF or WebP name them); when none, the original's format.
 *
 * @example chooseFormat('auto', 'image/avif,image/webp,*\/*', 'jpeg') // 'avif'
 */
export function chooseFormat(requested: RequestedFormat | undefined, accept: string | undefined, original: ImageFormat): RenditionFormat {
  if (requested === undefined) return original;
  if (requested !== 'auto') return requested;
  const acceptable = acceptedTypes(accept ?? '');
  return AUTO_PREFERENCE.find((candidate) => acceptable.has(candidate.mediaType))?.format ?? original;
}

/** The media types an `Accept` header names with q > 0, lower-cased. */
function acceptedTypes(accept: string): Set<string> {
  const types = new Set<string>();
  if (accept.length > 2048) return types;
  for (const item of accept.split(',')) {
    const [type = '', ...parameters] = item.split(';').map((part) => part.trim().toLowerCase());
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    if (q !== undefined && !(Number(q.slice(2)) > 0)) continue;
    types.add(type);
  }
  return types;
}
