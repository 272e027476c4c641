import { integerProblem, MAX_LABEL_LENGTH, MAX_POSITIVE_INTEGER } from '../../domain/fieldRules.ts';
import { IMAGE_ROLES, type ImageRole } from '../../domain/gallery/galleryVocabulary.ts';
import { EXTENSION_OF, type ImageFormat } from '../../ports/imageProcessor.ts';
import { IMAGE_NOT_SPECIFIED, INVALID_BASE64, INVALID_BASE64_ON_UPDATE, INVALID_IMAGE_TYPE, ShipStreamFault } from './shipStreamFaults.ts';

/**
 * The "Image Data" object of `product_media.create` and `update`, read as OpenMage reads it:
 * `file: {content (base64), mime, name?}`, `position`, `exclude`, `label`, `types`. Every refusal
 * is fault 102 with OpenMage's text or the field that is wrong.
 */

/** The mimes OpenMage accepts, and the format whose extension the gallery file name takes (the content may be any of them). */
export const MIME_FORMATS: Readonly<Record<string, ImageFormat>> = { 'image/jpeg': 'jpeg', 'image/gif': 'gif', 'image/png': 'png' };

export interface ImageFile {
  content: Buffer;
  /** The format the mime declares (the content is judged by its bytes, not by this). */
  format: ImageFormat;
  /** The extension the gallery file name takes from the mime (`jpg`, `gif`, `png`). */
  extension: string;
  /** The client's `file.name`, if any (sanitised later). */
  name: unknown;
}

export interface ImageFields {
  order?: number;
  label?: string;
  exclude?: boolean;
  roles?: ImageRole[];
}

const invalid = (detail: string) => new ShipStreamFault(102, detail);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
/** PHP's `isset`: given, and not null (an empty string is set). */
const isSet = (value: unknown) => value !== undefined && value !== null;

/** Whitespace PHP's strict decoder skips. */
const BASE64_WHITESPACE = /[\t\n\r ]/;

/**
 * Base64 decoded the way PHP's `base64_decode($text, true)` does: whitespace is skipped, any
 * other character outside the alphabet, misplaced or excess padding, or a dangling character
 * makes it invalid (Node's own decoder silently skips them). An empty result is invalid too.
 *
 * Checked without a pattern over the whole text (on a 1 MB image a regular expression cost more
 * than the decode): the text must be ASCII without Node's URL-safe letters (`-`, `_`, which Node
 * decodes silently), padding only at the end; then any other character outside the alphabet is
 * one Node skipped, which leaves fewer bytes than the characters promise (3 per 4; a group of
 * one character, the only length where one fewer character would give as many bytes, is refused
 * before).
 */
export function decodeBase64Strictly(text: string): Buffer | undefined {
  const compact = BASE64_WHITESPACE.test(text) ? text.replace(/[\t\n\r ]+/g, '') : text;
  if (Buffer.byteLength(compact, 'utf8') !== compact.length || compact.includes('-') || compact.includes('_')) return undefined;
  const firstPad = compact.indexOf('=');
  const padding = firstPad < 0 ? 0 : compact.length - firstPad;
  if (padding > 2 || (padding === 2 && compact[firstPad + 1] !== '=')) return undefined;
  const data = compact.length - padding;
  if (data % 4 === 1 || (padding > 0 && compact.length % 4 !== 0)) return undefined;
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.length !== Math.floor((data * 3) / 4)) return undefined;
  return bytes.length === 0 ? undefined : bytes;
}

/**
 * `file` of `create`: content and mime are required.
 * @throws ShipStreamFault 102 "The image is not specified.", "Invalid image type.",
 * "The image contents is not valid base64 data." (update: "Image content is not valid base64
 * data."), or a size over `maxBytes`.
 */
export function requireImageFile(data: Record<string, unknown>, maxBytes: number): ImageFile {
  const file = data.file;
  if (!isRecord(file) || !isSet(file.mime) || !isSet(file.content)) throw invalid(IMAGE_NOT_SPECIFIED);
  return readImageFile(file, maxBytes, INVALID_BASE64);
}

/** `file` of `update`: new content only when both mime and content are given (OpenMage's rule). */
export function optionalImageFile(data: Record<string, unknown>, maxBytes: number): ImageFile | undefined {
  const file = data.file;
  if (!isRecord(file) || !isSet(file.mime) || !isSet(file.content)) return undefined;
  return readImageFile(file, maxBytes, INVALID_BASE64_ON_UPDATE);
}

function readImageFile(file: Record<string, unknown>, maxBytes: number, invalidBase64: string): ImageFile {
  const format = typeof file.mime === 'string' && Object.hasOwn(MIME_FORMATS, file.mime) ? MIME_FORMATS[file.mime]! : undefined;
  if (format === undefined) throw invalid(INVALID_IMAGE_TYPE);
  if (typeof file.content !== 'string') throw invalid(invalidBase64);
  // Refuse a hopeless text before decoding it.
  if (file.content.length > maxBase64Length(maxBytes)) throw tooLarge(maxBytes);
  const content = decodeBase64Strictly(file.content);
  // OpenMage refuses what decodes to nothing (`!$fileContent`) with the same fault.
  if (content === undefined || content.length === 0) throw invalid(invalidBase64);
  if (content.length > maxBytes) throw tooLarge(maxBytes);
  return { content, format, extension: EXTENSION_OF[format], name: file.name };
}

/**
 * Longest base64 text of an image of `maxBytes`: 4 characters per 3 bytes, plus room for line
 * breaks (MIME-style, 2 per 76 characters) and JSON-escaped slashes.
 */
export function maxBase64Length(maxBytes: number): number {
  return Math.ceil((Math.ceil(maxBytes / 3) * 4 * 21) / 20) + 1024;
}

const tooLarge = (maxBytes: number) => invalid(`The image is larger than ${maxBytes} bytes.`);

/** Which method reads the fields: `types` is a list on `update`, a list or one code on `create`. */
export type ImageDataMethod = 'create' | 'update';

/**
 * `position`, `label`, `exclude` (or OpenMage's own name for it, `disabled`) and `types`, each
 * only when set in PHP's sense (`isset`: given and not null), as OpenMage's `updateImage` reads
 * them. @throws ShipStreamFault 102
 */
export function readImageFields(data: Readonly<Record<string, unknown>>, method: ImageDataMethod = 'create'): ImageFields {
  const fields: ImageFields = {};
  if (isSet(data.position)) fields.order = readPosition(data.position);
  if (isSet(data.label)) fields.label = readLabel(data.label);
  // OpenMage maps both keys to its `disabled` column, `exclude` last: it wins when both are set.
  const exclude = isSet(data.exclude) ? data.exclude : data.disabled;
  if (isSet(exclude)) fields.exclude = readExclude(exclude);
  const types = readTypes(data.types, method);
  if (types !== undefined) fields.roles = types;
  return fields;
}

/** A PHP numeric string: blanks around, a sign, digits with an optional fraction, an exponent. */
const PHP_NUMERIC = /^[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\v\f]*$/;

/** PHP's `(int)` of a number or a numeric string (toward zero); `undefined` for anything else. */
export function phpInt(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (typeof value === 'string' && PHP_NUMERIC.test(value)) {
    const number = Number(value.trim());
    return Number.isFinite(number) ? Math.trunc(number) : undefined;
  }
  return undefined;
}

function readPosition(value: unknown): number {
  const number = phpInt(value) ?? value;
  const problem = integerProblem(number, 0, MAX_POSITIVE_INTEGER);
  if (problem !== undefined) throw invalid(`position: ${problem}`);
  return number as number;
}

function readLabel(value: unknown): string {
  if (typeof value === 'number') return String(value);
  // A lone UTF-16 surrogate (`"\ud800"`) is no text (PHP's json_decode refuses it): it would be stored altered.
  if (typeof value !== 'string' || !value.isWellFormed()) throw invalid('label: A valid string is required.');
  if (value.length > MAX_LABEL_LENGTH) throw invalid(`label: Ensure this field has no more than ${MAX_LABEL_LENGTH} characters.`);
  return value;
}

function readExclude(value: unknown): boolean {
  const number = typeof value === 'boolean' ? Number(value) : phpInt(value);
  if (number !== 0 && number !== 1) throw invalid('exclude: Allowed: "0" or "1".');
  return number === 1;
}

/**
 * Known codes in the order given, each once; unknown codes are ignored, as OpenMage does.
 * `create` passes `types` to `setMediaAttribute`, which also takes one code as a string;
 * `update` only reads a list (`is_array`) and ignores anything else. `undefined`: no change.
 */
function readTypes(value: unknown, method: ImageDataMethod): ImageRole[] | undefined {
  if (!isSet(value)) return undefined;
  if (typeof value === 'string' && method === 'create') return IMAGE_ROLES.filter((role) => role === value);
  if (Array.isArray(value)) return IMAGE_ROLES.filter((role) => value.includes(role));
  if (method === 'update') return undefined;
  throw invalid('types: A list of image type codes, or one code, is required.');
}
