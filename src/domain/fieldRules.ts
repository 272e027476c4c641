import { ValidationError } from '../errors/appError.ts';
import type { FocalPoint } from './gallery/galleryVocabulary.ts';

/**
 * Field rules shared by the deciders, worded as Django REST Framework words them, so the REST
 * surface can render a refusal verbatim (`{"order": ["Ensure this value is ..."]}`).
 */

/** Largest value of a Django `PositiveIntegerField` (a 32-bit signed column). */
export const MAX_POSITIVE_INTEGER = 2147483647;

/** DRF's text for a value outside a choice list. */
export const invalidChoiceMessage = (value: unknown): string => `"${String(value)}" is not a valid choice.`;

/** Text DRF's `IntegerField` reads as an integer: digits, optionally `.0…`, spaces around (`" 3000.0 "`). */
const INTEGER_TEXT = /^\s*-?\d+(\.0*)?\s*$/;

/**
 * `value` as DRF's `IntegerField` takes it in: integer text (`"3000"`) becomes its number, any
 * other value is returned as given (and judged by `integerProblem`).
 */
export const drfIntegerInput = (value: unknown): unknown =>
  typeof value === 'string' && value.length <= 1000 && INTEGER_TEXT.test(value) ? Number.parseFloat(value) : value;

/** The DRF `IntegerField` message for `value`, or `undefined` when it is an integer in [min, max]. */
export function integerProblem(value: unknown, min: number, max: number): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) return 'A valid integer is required.';
  if (value < min) return `Ensure this value is greater than or equal to ${min}.`;
  if (value > max) return `Ensure this value is less than or equal to ${max}.`;
  return undefined;
}

/**
 * A position in a gallery (Omnitron `order`, ShipStream `position`): an integer ≥ 0.
 * @throws ValidationError `ORDER_NOT_INTEGER` or `ORDER_OUT_OF_RANGE` under `field`.
 */
export function requireOrder(order: unknown, field = 'order'): asserts order is number {
  const problem = integerProblem(order, 0, MAX_POSITIVE_INTEGER);
  if (problem === undefined) return;
  const code = problem === 'A valid integer is required.' ? 'ORDER_NOT_INTEGER' : 'ORDER_OUT_OF_RANGE';
  throw ValidationError.field(field, problem, code);
}

/**
 * A value from a closed list.
 * @throws ValidationError with `code` and `{ field: ['"x" is not a valid choice.'] }`.
 */
export function requireChoice<const Choice>(
  field: string,
  value: unknown,
  choices: readonly Choice[],
  code: string,
): asserts value is Choice {
  if (!choices.includes(value as Choice)) throw ValidationError.field(field, invalidChoiceMessage(value), code);
}

/**
 * A focal point: `x` and `y` finite numbers from 0 to 1.
 * @throws ValidationError `INVALID_FOCAL_POINT` with `{ focal_point: { x: [..], y: [..] } }` (DRF's nested shape).
 */
export function requireFocalPoint(point: FocalPoint): void {
  const problems: Record<string, string[]> = {};
  for (const axis of ['x', 'y'] as const) {
    const value: unknown = point[axis];
    if (typeof value !== 'number' || !Number.isFinite(value)) problems[axis] = ['A valid number is required.'];
    else if (value < 0) problems[axis] = ['Ensure this value is greater than or equal to 0.'];
    else if (value > 1) problems[axis] = ['Ensure this value is less than or equal to 1.'];
  }
  if (Object.keys(problems).length > 0) throw new ValidationError({ focal_point: problems }, 'INVALID_FOCAL_POINT');
}

/** Longest image label: Magento's `catalog_product_entity_media_gallery_value.label` column. */
export const MAX_LABEL_LENGTH = 255;

/** @throws ValidationError `LABEL_TOO_LONG` with DRF's text under `label`. */
export function requireLabel(label: string): void {
  if (label.length > MAX_LABEL_LENGTH) {
    throw ValidationError.field('label', `Ensure this field has no more than ${MAX_LABEL_LENGTH} characters.`, 'LABEL_TOO_LONG');
  }
}
