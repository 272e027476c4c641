import type { Context } from 'koa';
import { MEDIA_ORDERINGS, type MediaFilter, type MediaOrdering } from '../../app/media/galleryQueries.ts';
import type { Readable } from 'node:stream';
import { ValidationError } from '../../errors/appError.ts';
import { spooledContents, spooledStream, type SpooledFile } from './spooledFile.ts';
import { MESSAGES } from '../drf/serializerFields.ts';

/** A file of a multipart request: in memory, or spooled on disk until the request ends. */
export interface UploadedFile {
  size: number;
  originalName: string | null;
  /** All its bytes (for files the service keeps in memory anyway: images). */
  contents(): Promise<Buffer>;
  /** Its bytes as a stream (for files that must not be held in memory: videos). */
  stream(): Readable;
}

const NO_FILE = 'No file was submitted.';
const NOT_A_FILE = 'The submitted data was not a file. Check the encoding type on the form.';

/**
 * The multipart file in `field`, with DRF's messages when it is missing, empty, or was sent as a
 * plain field instead of a file.
 */
export function uploadedFile(ctx: Context, field: string): UploadedFile {
  const files = (ctx.request as { files?: Record<string, unknown> }).files;
  const entry = files?.[field];
  const file = (Array.isArray(entry) ? entry[0] : entry) as Partial<SpooledFile> | undefined;
  if (file?.filepath === undefined) {
    const body = ctx.request.body as Record<string, unknown> | undefined;
    const sentAsText = body !== undefined && typeof body === 'object' && body[field] !== undefined && body[field] !== '';
    throw ValidationError.field(field, sentAsText ? NOT_A_FILE : NO_FILE, 'NO_FILE');
  }
  if (!file.size) throw ValidationError.field(field, 'The submitted file is empty.', 'EMPTY_FILE');
  const spooled = file as SpooledFile;
  return { size: spooled.size, originalName: spooled.originalFilename ?? null, contents: () => spooledContents(spooled), stream: () => spooledStream(spooled) };
}

/**
 * Runs two validations and reports the field errors of both at once, as a DRF serializer does
 * (`{"image": [...], "product": [...]}`), rather than stopping at the first.
 */
export function collectFieldErrors<A, B>(first: () => A, second: () => B): [A, B] {
  const errors: ValidationError[] = [];
  const attempt = <T>(run: () => T): T | undefined => {
    try {
      return run();
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      errors.push(error);
      return undefined;
    }
  };
  const a = attempt(first);
  const b = attempt(second);
  if (errors.length > 0) throw new ValidationError(Object.assign({}, ...errors.map((error) => error.details)));
  return [a as A, b as B];
}

/**
 * The list filters the media resources share: `product`, `product__in` (comma list),
 * `ordering`/`sort` (a comma list of `order`, `pk`, `created_date`, `-` for descending). Bad values are DRF 400s.
 */
export function parseMediaListQuery(query: URLSearchParams): { filter: MediaFilter; source: string | undefined } {
  const filter: MediaFilter = {};
  const product = query.get('product');
  if (product !== null && product !== '') {
    if (!/^\d{1,15}$/.test(product)) throw ValidationError.field('product', MESSAGES.notAvailableChoice('That choice'));
    filter.productPk = Number(product);
  }
  const productIn = query.get('product__in');
  if (productIn !== null && productIn !== '') {
    const parts = productIn.split(',').map((part) => part.trim());
    if (parts.some((part) => !/^\d{1,15}$/.test(part))) throw ValidationError.field('product__in', 'Enter a whole number.');
    filter.productPkIn = parts.map(Number);
  }
  // django-filter's OrderingFilter: a comma list of fields, each one of the choices.
  const ordering = (query.get('ordering') ?? query.get('sort') ?? '').split(',').map((key) => key.trim()).filter((key) => key !== '');
  if (ordering.length > 0) {
    const unknown = ordering.find((key) => !(MEDIA_ORDERINGS as readonly string[]).includes(key));
    if (unknown !== undefined) throw ValidationError.field('ordering', MESSAGES.notAvailableChoice(unknown));
    filter.ordering = ordering as MediaOrdering[];
  }
  const source = query.get('source');
  return { filter, source: source === null || source === '' ? undefined : source };
}
