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
    const sentAsText = typeof body === 'object' && body !== null && body[field] !== undefined && body[field] !== '';
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

/** django-filter's ModelChoiceFilter text for a pk that names no product (or is no pk at all). */
const NO_SUCH_CHOICE = MESSAGES.notAvailableChoice('That choice');
const PK_TEXT = /^\d{1,15}$/;

/**
 * The list filters the media resources share, as django-filter and DRF answer them: `product` and
 * `product__in` (comma list) must name products that exist (else a 400 under the filter's
 * name); `ordering`/`sort` is a comma list of `order`, `pk`, `created_date` (`-` for descending)
 * where other fields are dropped, as DRF's OrderingFilter drops them (none left: the default order).
 */
export function parseMediaListQuery(query: URLSearchParams, productExists: (pk: number) => boolean): { filter: MediaFilter; source: string | undefined } {
  const filter: MediaFilter = {};
  const isProduct = (text: string) => PK_TEXT.test(text) && productExists(Number(text));
  const product = query.get('product');
  if (product !== null && product !== '') {
    if (!isProduct(product.trim())) throw ValidationError.field('product', NO_SUCH_CHOICE);
    filter.productPk = Number(product);
  }
  const productIn = query.get('product__in');
  if (productIn !== null && productIn !== '') {
    const parts = productIn.split(',').map((part) => part.trim());
    if (!parts.every(isProduct)) throw ValidationError.field('product__in', NO_SUCH_CHOICE);
    filter.productPkIn = parts.map(Number);
  }
  const ordering = (query.get('ordering') ?? query.get('sort') ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key): key is MediaOrdering => (MEDIA_ORDERINGS as readonly string[]).includes(key));
  if (ordering.length > 0) filter.ordering = ordering;
  const source = query.get('source');
  return { filter, source: source === null || source === '' ? undefined : source };
}
