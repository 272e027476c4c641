import type { ByteRange } from '../ports/objectStore.ts';
import { digitsValue } from '../http/digitsValue.ts';

/** What a `Range` header asks of an object of a known size (RFC 9110 §14). */
export type RangeRequest =
  | { kind: 'whole' }
  | { kind: 'range'; range: ByteRange }
  | { kind: 'unsatisfiable' };

const SINGLE_BYTE_RANGE = /^bytes=(\d*)-(\d*)$/i;

/**
 * Reads one `Range` header against an object of `size` bytes. Only a single byte range is
 * served as a 206 (`bytes=a-b`, `bytes=a-`, `bytes=-n`); a multi-range request gets the whole
 * object (a 200 is always a valid answer to a Range request, and no client of ours needs
 * multipart/byteranges), and so does a header that is not a valid byte range (the RFC says to
 * ignore it). A valid range that starts past the end, or a zero-length suffix, is unsatisfiable.
 *
 * @example parseRangeHeader('bytes=-100', 1000) // { kind: 'range', range: { start: 900, end: 999 } }
 */
export function parseRangeHeader(header: string | undefined, size: number): RangeRequest {
  if (header === undefined || header === '') return { kind: 'whole' };
  const match = SINGLE_BYTE_RANGE.exec(header.replace(/\s+/g, ''));
  if (!match) return { kind: 'whole' };
  // Positions have no bound in RFC 9110: one past any object's size reads as Infinity.
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') {
    const suffix = digitsValue(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  const start = digitsValue(first);
  const end = last === '' ? size - 1 : digitsValue(last);
  if (last !== '' && end < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'range', range: { start, end: Math.min(end, size - 1) } };
}
