import type { GalleryMoment } from '../../app/history/galleryAt.ts';
import { ValidationError } from '../../errors/appError.ts';

/** DRF's text for a date-time it cannot parse. */
export const DATETIME_FORMAT_ERROR = 'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].';

const ISO_DATETIME = /^(\d{4}-\d\d-\d\d)(?:[T ](\d\d:\d\d)(?::(\d\d)(?:\.(\d{1,6})\d*)?)?)?(Z|[+-]\d\d:?\d\d)?$/;

/**
 * An ISO-8601 time as the service writes `occurredAt` (UTC, microseconds, `Z`), so that text
 * comparison is time comparison. A time without an offset is UTC; a date alone is its midnight.
 * @throws ValidationError under `field` with DRF's date-time message.
 */
export function parseInstant(text: string, field: string): string {
  const match = ISO_DATETIME.exec(text.trim());
  const [, date, hhmm = '00:00', ss = '00', fraction = '', zone = 'Z'] = match ?? [];
  const millis = match ? Date.parse(`${date}T${hhmm}:${ss}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`) : Number.NaN;
  // Date.parse rolls 2020-02-31 over to March; Python's datetime refuses a day the month lacks.
  const midnight = Number.isFinite(millis) ? Date.parse(`${date}T00:00:00Z`) : Number.NaN;
  const realDay = Number.isFinite(midnight) && new Date(midnight).toISOString().startsWith(date!);
  if (!realDay) throw ValidationError.field(field, DATETIME_FORMAT_ERROR);
  const micros = fraction.padEnd(6, '0');
  return new Date(millis).toISOString().replace(/\.\d{3}Z$/, `.${micros}Z`);
}

/**
 * `?as_of=<ISO-8601 time>` or `?at_revision=<n>` (revision of the product's gallery stream, from
 * 0): the moment a read should show; `undefined` for now.
 * @throws ValidationError (DRF 400) for a bad value or both at once.
 */
export function parseGalleryMoment(query: URLSearchParams): GalleryMoment | undefined {
  const asOf = query.get('as_of');
  const atRevision = query.get('at_revision');
  if (asOf !== null && atRevision !== null) {
    throw ValidationError.field('non_field_errors', 'Give either as_of or at_revision, not both.');
  }
  if (asOf !== null) return { asOf: parseInstant(asOf, 'as_of') };
  if (atRevision === null) return undefined;
  if (!/^-?\d{1,15}$/.test(atRevision.trim())) throw ValidationError.field('at_revision', 'A valid integer is required.');
  const revision = Number(atRevision);
  if (revision < 0) throw ValidationError.field('at_revision', 'Ensure this value is greater than or equal to 0.');
  return { atRevision: revision };
}

/** Past lists are folded per product: they need `product` or `product__in`. */
export function requireProductFilter(filter: { productPk?: number; productPkIn?: number[] }): void {
  if (filter.productPk === undefined && filter.productPkIn === undefined) {
    throw ValidationError.field('product', 'This filter is required with as_of or at_revision.');
  }
}
