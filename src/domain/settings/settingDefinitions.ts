import { drfIntegerInput, integerProblem } from '../fieldRules.ts';

/**
 * The dynamic settings the catalog knows (Omnitron `/api/v1/dynamic_settings/`). Each entry has
 * its default, which applies until a `SettingChanged` says otherwise, and a validator that
 * returns the value in canonical form or the messages explaining why it is refused.
 */

/** Upper bound of a dimension: beyond it a decoded RGBA frame would not fit sane memory. */
export const MAX_DIMENSION = 20000;

export interface ImageDimensions {
  WIDTH: number;
  HEIGHT: number;
}

export interface SettingValues {
  /** Uploads larger than this are downscaled to fit inside WIDTH×HEIGHT (aspect kept, never upscaled). */
  MAX_IMAGE_DIMENSIONS: ImageDimensions;
}

export type SettingKey = keyof SettingValues;

/**
 * Refused values explain themselves as DRF's nested serializers do: messages per key
 * (`{"WIDTH": ["..."]}`), or `non_field_errors` for a value that is no dictionary.
 */
export type ValueErrors = Record<string, string[]>;

type Validation<Value> = { ok: true; value: Value } | { ok: false; errors: ValueErrors };

interface SettingDefinition<Value> {
  defaultValue: Value;
  validate: (value: unknown) => Validation<Value>;
}

export const SETTING_DEFINITIONS: { readonly [Key in SettingKey]: SettingDefinition<SettingValues[Key]> } = {
  MAX_IMAGE_DIMENSIONS: { defaultValue: { WIDTH: 2000, HEIGHT: 2000 }, validate: validateDimensions },
};

export const SETTING_KEYS = Object.keys(SETTING_DEFINITIONS) as SettingKey[];

export const isSettingKey = (key: unknown): key is SettingKey => SETTING_KEYS.includes(key as SettingKey);

/** A nested serializer of two integer fields: other keys are ignored, as DRF's serializers ignore them. */
function validateDimensions(value: unknown): Validation<ImageDimensions> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, errors: { non_field_errors: [`Invalid data. Expected a dictionary, but got ${pythonTypeName(value)}.`] } };
  }
  const record = value as Record<string, unknown>;
  const errors: ValueErrors = {};
  const dimensions: Partial<ImageDimensions> = {};
  for (const name of ['WIDTH', 'HEIGHT'] as const) {
    // Integer text ("3000") counts as the integer, as DRF's IntegerField reads it.
    const given = Object.prototype.hasOwnProperty.call(record, name) ? drfIntegerInput(record[name]) : undefined;
    const problem = given === undefined ? 'This field is required.' : given === null ? 'This field may not be null.' : integerProblem(given, 1, MAX_DIMENSION);
    if (problem !== undefined) errors[name] = [problem];
    else dimensions[name] = given as number;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: dimensions as ImageDimensions };
}

/** DRF names JSON types the way Python sees them. */
function pythonTypeName(value: unknown): string {
  if (value === null) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return 'dict';
}
