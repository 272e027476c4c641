import { AppError, ValidationError, type FieldErrors } from '../errors/appError.ts';
import { RENDITION_FITS, type RenditionFit, type RenditionFormat } from '../ports/imageProcessor.ts';
import type { RenditionPreset } from './deliveryConfig.ts';

/** What a media URL's query may ask: `format=auto` is decided per request from `Accept`. */
export type RequestedFormat = Exclude<RenditionFormat, 'gif'> | 'auto';
export const REQUESTED_FORMATS: readonly RequestedFormat[] = ['jpeg', 'png', 'webp', 'avif', 'auto'];

/** A rendition as asked for; `format` absent: the original's format. */
export interface RequestedRendition {
  width?: number;
  height?: number;
  fit: RenditionFit;
  format?: RequestedFormat;
}

/** What the query of `/media/<key>?…` asks for. */
export interface MediaQuery {
  /** Absent: the original binary. */
  rendition?: RequestedRendition;
  /** `expires` and `signature` of a signed URL, as sent. */
  signature?: { expires: string; signature: string };
}

export interface MediaQueryRules {
  sizes: readonly number[];
  presets: ReadonlyMap<string, RenditionPreset>;
}

/** Longer queries are refused before they are read: no parameter needs more. */
export const MAX_QUERY_LENGTH = 512;
const PARAMETERS = ['w', 'h', 'fit', 'format', 'preset', 'expires', 'signature'] as const;
type Parameter = (typeof PARAMETERS)[number];
const SIDE = /^[1-9]\d{0,4}$/;
const SIGNATURE_PART = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Reads the query of a media URL strictly: every parameter known, given once, not percent-encoded,
 * widths and heights from the configured list only, so nobody can make the server render a variant
 * it was not configured for. Pure; no image work happens before it passes.
 *
 * @example parseMediaQuery('w=320&format=webp', rules) // { rendition: { width: 320, fit: 'inside', format: 'webp' } }
 * @throws ValidationError `INVALID_MEDIA_QUERY` (400) with DRF-shaped field errors naming the
 * allowed values, or AppError `INVALID_MEDIA_QUERY` (400) for a query too long or encoded.
 */
export function parseMediaQuery(query: string, rules: MediaQueryRules): MediaQuery {
  if (query === '') return {};
  if (query.length > MAX_QUERY_LENGTH) throw badQuery(`The query string is longer than ${MAX_QUERY_LENGTH} characters.`);
  if (query.includes('%') || query.includes('+')) throw badQuery('Query parameters must not be encoded.');
  const values = new Map<Parameter, string>();
  const errors: FieldErrors = {};
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const separator = pair.indexOf('=');
    const name = separator === -1 ? pair : pair.slice(0, separator);
    const value = separator === -1 ? '' : pair.slice(separator + 1);
    if (!(PARAMETERS as readonly string[]).includes(name)) errors[safeName(name)] = [`Unknown parameter. Allowed: ${PARAMETERS.join(', ')}.`];
    else if (values.has(name as Parameter)) errors[name] = ['Give this parameter once.'];
    else values.set(name as Parameter, value);
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors, 'INVALID_MEDIA_QUERY');
  const rendition = readRendition(values, rules);
  const signature = readSignature(values);
  return { ...(rendition === undefined ? {} : { rendition }), ...(signature === undefined ? {} : { signature }) };
}

function readRendition(values: ReadonlyMap<Parameter, string>, rules: MediaQueryRules): RequestedRendition | undefined {
  const errors: FieldErrors = {};
  const side = (name: 'w' | 'h'): number | undefined => {
    const text = values.get(name);
    if (text === undefined) return undefined;
    const size = SIDE.test(text) ? Number(text) : NaN;
    if (!rules.sizes.includes(size)) errors[name] = [`Must be one of ${rules.sizes.join(', ')}.`];
    return size;
  };
  const width = side('w');
  const height = side('h');
  const fitText = values.get('fit');
  if (fitText !== undefined && !(RENDITION_FITS as readonly string[]).includes(fitText)) errors.fit = [`Must be one of ${RENDITION_FITS.join(', ')}.`];
  else if (fitText !== undefined && width === undefined && height === undefined && !values.has('preset')) errors.fit = ['Give w or h with fit.'];
  const formatText = values.get('format');
  if (formatText !== undefined && !(REQUESTED_FORMATS as readonly string[]).includes(formatText)) {
    errors.format = [`Must be one of ${REQUESTED_FORMATS.join(', ')}.`];
  }
  const preset = readPreset(values, rules, errors);
  if (Object.keys(errors).length > 0) throw new ValidationError(errors, 'INVALID_MEDIA_QUERY');
  const format = formatText as RequestedFormat | undefined;
  if (preset !== undefined) return { ...withoutFormat(preset), fit: canonicalFit(preset), ...formatOf(format ?? preset.format) };
  if (width === undefined && height === undefined && format === undefined) return undefined;
  const box = { ...(width === undefined ? {} : { width }), ...(height === undefined ? {} : { height }) };
  return { ...box, fit: canonicalFit({ ...box, fit: (fitText as RenditionFit | undefined) ?? 'inside' }), ...formatOf(format) };
}

function readPreset(values: ReadonlyMap<Parameter, string>, rules: MediaQueryRules, errors: FieldErrors): RenditionPreset | undefined {
  const name = values.get('preset');
  if (name === undefined) return undefined;
  if (values.has('w') || values.has('h') || values.has('fit')) {
    errors.preset = ['Give either a preset or w, h and fit.'];
    return undefined;
  }
  const preset = rules.presets.get(name);
  if (preset === undefined) errors.preset = [rules.presets.size === 0 ? 'No presets are configured.' : `Must be one of ${[...rules.presets.keys()].join(', ')}.`];
  return preset;
}

/** With one side open every fit gives the same image: one stored rendition serves them all. */
function canonicalFit(box: { width?: number; height?: number; fit: RenditionFit }): RenditionFit {
  return box.width === undefined || box.height === undefined ? 'inside' : box.fit;
}

function withoutFormat({ width, height }: RenditionPreset): { width?: number; height?: number } {
  return { ...(width === undefined ? {} : { width }), ...(height === undefined ? {} : { height }) };
}

const formatOf = (format: RenditionFormat | RequestedFormat | undefined) => (format === undefined ? {} : { format: format as RequestedFormat });

function readSignature(values: ReadonlyMap<Parameter, string>): MediaQuery['signature'] {
  const expires = values.get('expires');
  const signature = values.get('signature');
  if (expires === undefined && signature === undefined) return undefined;
  const errors: FieldErrors = {};
  if (expires === undefined || !/^\d{1,12}$/.test(expires)) errors.expires = ['A signed URL needs expires, a Unix time in seconds.'];
  if (signature === undefined || !SIGNATURE_PART.test(signature)) errors.signature = ['A signed URL needs its signature.'];
  if (Object.keys(errors).length > 0) throw new ValidationError(errors, 'INVALID_MEDIA_QUERY');
  return { expires: expires!, signature: signature! };
}

const badQuery = (detail: string) => new AppError('INVALID_MEDIA_QUERY', detail, { status: 400 });

/** A parameter name as an error key: only plain names are echoed, never arbitrary client text. */
function safeName(name: string): string {
  return /^[A-Za-z0-9_.-]{1,32}$/.test(name) ? name : 'non_field_errors';
}
