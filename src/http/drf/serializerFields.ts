import { ValidationError, type FieldErrors } from '../../errors/appError.ts';
import { digitsValue } from '../digitsValue.ts';

/**
 * Django REST Framework's field rules and messages, so bad input reads exactly as an Omnitron
 * client expects. A field parser returns the internal value or throws a {@link FieldIssue}.
 */
export class FieldIssue extends Error {
  /** The nested errors of a nested serializer field (`{"x": ["..."]}`), rendered instead of the message. */
  constructor(message: string, readonly nested?: FieldErrors) {
    super(message);
  }
}

export interface Field<T> {
  parse(value: unknown): T;
  required: boolean;
  /** Used when the field is absent on create. */
  default?: T;
  /** Accepted but ignored (read-only representation fields a client echoes back). */
  readOnly?: boolean;
  /** `null` is a value (DRF's `allow_null=True`), not "This field may not be null." */
  allowNull?: boolean;
  /** `""` is a value (DRF's `allow_blank=True`): an empty form value is kept, not taken as absent. */
  allowBlank?: boolean;
  /** How an OPTIONS answer describes the field (DRF's SimpleMetadata): its type and limits. */
  info?: FieldTraits;
}

/** DRF's SimpleMetadata type name of a field and the limits it reports (`max_length`, `choices`, ...). */
export interface FieldTraits {
  type: string;
  min_length?: number;
  max_length?: number;
  min_value?: number;
  max_value?: number;
  choices?: readonly string[];
  /** A nested serializer's fields (all required). */
  children?: Readonly<Record<string, FieldTraits>>;
}

export const MESSAGES = {
  required: 'This field is required.',
  null: 'This field may not be null.',
  blank: 'This field may not be blank.',
  notString: 'Not a valid string.',
  nullCharacters: 'Null characters are not allowed.',
  /** django-filter's text for a filter value outside its choices. */
  notAvailableChoice: (value: string) => `Select a valid choice. ${value} is not one of the available choices.`,
  surrogate: (codeUnit: number) => `Surrogate characters are not allowed: U+${codeUnit.toString(16).toUpperCase()}.`,
  invalidInteger: 'A valid integer is required.',
  invalidBoolean: 'Must be a valid boolean.',
  maxLength: (max: number) => `Ensure this field has no more than ${max} characters.`,
  minValue: (min: number) => `Ensure this value is greater than or equal to ${min}.`,
  maxValue: (max: number) => `Ensure this value is less than or equal to ${max}.`,
  invalidChoice: (value: unknown) => `"${String(value)}" is not a valid choice.`,
  notADict: (value: unknown) => `Invalid data. Expected a dictionary, but got ${pythonTypeName(value)}.`,
} as const;

/** The Python type name DRF puts in its messages for a JSON value. */
export function pythonTypeName(value: unknown): string {
  if (value === null) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return 'dict';
}

/** The first UTF-16 surrogate of `text` that is not half of a pair. */
function loneSurrogate(text: string): number {
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    const next = text.charCodeAt(index + 1);
    if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) index++;
    else return unit;
  }
  return 0xfffd;
}

/**
 * DRF's CharField. `trimWhitespace: false` keeps leading and trailing whitespace (DRF's
 * `trim_whitespace=False`, e.g. a password).
 */
export function charField(
  options: { required?: boolean; maxLength?: number; allowBlank?: boolean; default?: string; trimWhitespace?: boolean } = {},
): Field<string> {
  const trim = options.trimWhitespace ?? true;
  return {
    required: options.required ?? true,
    ...(options.default === undefined ? {} : { default: options.default }),
    ...(options.allowBlank ? { allowBlank: true } : {}),
    info: { type: 'string', ...(options.maxLength === undefined ? {} : { max_length: options.maxLength }) },
    parse(value) {
      // DRF's CharField takes numbers as their text but refuses booleans and containers.
      if (typeof value !== 'string' && typeof value !== 'number') throw new FieldIssue(MESSAGES.notString);
      const text = trim ? String(value).trim() : String(value);
      if (text === '' && !options.allowBlank) throw new FieldIssue(MESSAGES.blank);
      if (options.maxLength !== undefined && text.length > options.maxLength) throw new FieldIssue(MESSAGES.maxLength(options.maxLength));
      // DRF's ProhibitNullCharactersValidator and ProhibitSurrogateCharactersValidator (a lone
      // UTF-16 surrogate, `"\ud800"`, which no UTF-8 store keeps as sent).
      if (text.includes('\0')) throw new FieldIssue(MESSAGES.nullCharacters);
      if (!text.isWellFormed()) throw new FieldIssue(MESSAGES.surrogate(loneSurrogate(text)));
      return text;
    },
  };
}

const INTEGER_TEXT = /^\s*-?\d+(\.0*)?\s*$/;

export function integerField(options: { required?: boolean; min?: number; max?: number; default?: number } = {}): Field<number> {
  return {
    required: options.required ?? true,
    ...(options.default === undefined ? {} : { default: options.default }),
    info: { type: 'integer', ...(options.max === undefined ? {} : { max_value: options.max }), ...(options.min === undefined ? {} : { min_value: options.min }) },
    parse(value) {
      const number =
        typeof value === 'number' ? value : typeof value === 'string' && INTEGER_TEXT.test(value) && value.length <= 1000 ? Number.parseFloat(value) : NaN;
      // Python's ints are exact: a huge integer is out of range, not invalid.
      if (!Number.isInteger(number)) throw new FieldIssue(MESSAGES.invalidInteger);
      if (options.min !== undefined && number < options.min) throw new FieldIssue(MESSAGES.minValue(options.min));
      if (options.max !== undefined && number > options.max) throw new FieldIssue(MESSAGES.maxValue(options.max));
      if (!Number.isSafeInteger(number)) throw new FieldIssue(MESSAGES.invalidInteger);
      return number;
    },
  };
}

const TRUE_VALUES = new Set<unknown>([true, 1, 't', 'T', 'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON', '1']);
const FALSE_VALUES = new Set<unknown>([false, 0, 'f', 'F', 'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF', '0']);

export function booleanField(options: { required?: boolean; default?: boolean } = {}): Field<boolean> {
  return {
    required: options.required ?? true,
    info: { type: 'boolean' },
    ...(options.default === undefined ? {} : { default: options.default }),
    parse(value) {
      if (TRUE_VALUES.has(value)) return true;
      if (FALSE_VALUES.has(value)) return false;
      throw new FieldIssue(MESSAGES.invalidBoolean);
    },
  };
}

/**
 * A related object's pk (DRF PrimaryKeyRelatedField): whole numbers, or their text; other types
 * get DRF's "Incorrect type" message (strings are "unicode", as the Omnitron seed documents).
 */
export function primaryKeyField(options: { required?: boolean } = {}): Field<number> {
  return {
    required: options.required ?? true,
    // A related field: SimpleMetadata lists no choices for it.
    info: { type: 'field' },
    parse(value) {
      if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
      // DRF's related fields take '' (an empty form field) as None.
      if (value === '') throw new FieldIssue(MESSAGES.null);
      if (typeof value === 'string' && /^\s*\d{1,1000}\s*$/.test(value)) {
        const pk = digitsValue(value.trim());
        if (Number.isFinite(pk)) return pk;
        // Pks have at most 15 digits: a longer number names no object.
        throw new FieldIssue(`Invalid pk "${value.trim()}" - object does not exist.`);
      }
      const received = typeof value === 'string' ? 'unicode' : pythonTypeName(value);
      throw new FieldIssue(`Incorrect type. Expected pk value, received ${received}.`);
    },
  };
}

export function choiceField<T extends string>(choices: readonly T[], options: { required?: boolean; default?: T; allowNull?: boolean } = {}): Field<T> {
  return {
    required: options.required ?? true,
    ...(options.default === undefined ? {} : { default: options.default }),
    ...(options.allowNull ? { allowNull: true } : {}),
    info: { type: 'choice', choices },
    parse(value) {
      if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
      throw new FieldIssue(MESSAGES.invalidChoice(typeof value === 'object' ? JSON.stringify(value) : value));
    },
  };
}

/** A representation field a client may echo back (e.g. `pk` in a PATCH body); ignored on input. */
export const readOnlyField: Field<never> = {
  required: false,
  readOnly: true,
  parse: () => {
    throw new FieldIssue('read-only');
  },
};

/**
 * A nested object of number fields from `min` to `max` (DRF's nested serializer of FloatFields):
 * errors nest per key, `{"focal_point": {"x": ["A valid number is required."]}}`.
 */
export function numberPairField<K extends string>(keys: readonly K[], options: { min: number; max: number; allowNull?: boolean }): Field<Record<K, number> | null> {
  return {
    required: false,
    ...(options.allowNull ? { allowNull: true } : {}),
    info: {
      type: 'nested object',
      children: Object.fromEntries(keys.map((key) => [key, { type: 'float', min_value: options.min, max_value: options.max }])),
    },
    parse(value) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new FieldIssue(MESSAGES.notADict(value), { non_field_errors: [MESSAGES.notADict(value)] });
      }
      const input = value as Record<string, unknown>;
      const output = {} as Record<K, number>;
      const errors: Record<string, string[]> = {};
      for (const key of keys) {
        const problem = numberProblem(input[key], options.min, options.max);
        if (problem === undefined) output[key] = Number(input[key]);
        else errors[key] = [problem];
      }
      if (Object.keys(errors).length > 0) throw new FieldIssue('Invalid input.', errors);
      return output;
    },
  };
}

/** DRF's FloatField: a number or its text, finite, within [min, max]. */
function numberProblem(value: unknown, min: number, max: number): string | undefined {
  if (value === undefined) return MESSAGES.required;
  if (value === null) return MESSAGES.null;
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' && value.length <= 100 ? Number(value) : NaN;
  if (!Number.isFinite(number)) return 'A valid number is required.';
  if (number < min) return MESSAGES.minValue(min);
  if (number > max) return MESSAGES.maxValue(max);
  return undefined;
}

type Spec = Record<string, Field<unknown>>;
type Parsed<S extends Spec> = { [K in keyof S as S[K] extends Field<never> ? never : K]?: S[K] extends Field<infer T> ? T : never };

/**
 * Validates a request body against a field spec, collecting every field's problem at once.
 * `partial` (PATCH) skips required checks and defaults. Keys the spec does not declare are
 * ignored, as DRF's serializers ignore them (Omnitron's own clients send `_pk`, `_detailed`, ...).
 * `form`: the body came as a form (multipart or urlencoded), where an empty value of an optional
 * field counts as not given, or as `null` where null is allowed (DRF's `Field.get_value` for
 * HTML input).
 * @throws ValidationError with DRF's `{field: [message]}` body.
 */
export function parseBody<S extends Spec>(body: unknown, spec: S, options: { partial?: boolean; form?: boolean } = {}): Parsed<S> {
  requireDictionary(body);
  const input = body as Record<string, unknown>;
  const errors: FieldErrors = {};
  const output: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(spec)) {
    if (field.readOnly) continue;
    let value = Object.prototype.hasOwnProperty.call(input, name) ? input[name] : undefined;
    if (options.form && value === '' && !field.allowBlank) {
      if (field.allowNull) value = null;
      else if (!field.required) value = undefined;
    }
    if (value === undefined) {
      if (options.partial) continue;
      if (field.default !== undefined) output[name] = field.default;
      else if (field.required) errors[name] = [MESSAGES.required];
      continue;
    }
    if (value === null) {
      if (field.allowNull) output[name] = null;
      else errors[name] = [MESSAGES.null];
      continue;
    }
    try {
      output[name] = field.parse(value);
    } catch (error) {
      if (!(error instanceof FieldIssue)) throw error;
      errors[name] = error.nested ?? [error.message];
    }
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return output as Parsed<S>;
}

/**
 * DRF's `Serializer.is_valid` before any field: no data (a JSON `null`) is "No data provided",
 * anything but an object names its type. Nothing else is reported then.
 * @throws ValidationError `NO_DATA` or `INVALID_BODY` with `non_field_errors`.
 */
export function requireDictionary(body: unknown): asserts body is Record<string, unknown> {
  if (body === null) throw new ValidationError({ non_field_errors: ['No data provided'] }, 'NO_DATA');
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError({ non_field_errors: [MESSAGES.notADict(body)] }, 'INVALID_BODY');
  }
}
