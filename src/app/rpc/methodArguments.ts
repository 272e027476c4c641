import { InvalidParamsError, ShipStreamFault } from './shipStreamFaults.ts';

/**
 * The arguments of one API method, by position, as OpenMage takes them from `call`: a list
 * (positional), an object (by parameter name), or a single value (the first argument).
 */
export interface MethodArguments {
  /** The value of the parameter, or `undefined` when it was not given (or given as null). */
  optional(name: string): unknown;
  /** @throws ShipStreamFault 6 when the parameter is missing. */
  required(name: string): unknown;
}

/** A class rather than closures: two of these are made for every call. */
class NamedArguments implements MethodArguments {
  constructor(private readonly values: Map<string, unknown>) {}

  optional(name: string): unknown {
    return this.values.get(name) ?? undefined;
  }

  required(name: string): unknown {
    const value = this.values.get(name);
    if (value === undefined || value === null) throw new ShipStreamFault(6);
    return value;
  }
}

/** Arguments beyond the method's parameters are ignored, as PHP ignores surplus arguments of a call. */
export function methodArguments(args: unknown, names: readonly string[]): MethodArguments {
  const values = new Map<string, unknown>();
  if (Array.isArray(args)) {
    const given = Math.min(args.length, names.length);
    for (let index = 0; index < given; index++) values.set(names[index]!, args[index]);
  } else if (typeof args === 'object' && args !== null) {
    for (const name of names) if (Object.hasOwn(args, name)) values.set(name, (args as Record<string, unknown>)[name]);
  } else if (args !== undefined && args !== null) {
    values.set(names[0]!, args);
  }
  return new NamedArguments(values);
}

/** A SKU or file name: a string (a number is taken as its text). @throws InvalidParamsError */
export function textArgument(name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new InvalidParamsError(`${name} must be a string.`);
}

const NO_KEYS: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * The image data object. A JSON list is a PHP array without string keys (`[]` is how PHP encodes
 * an empty array): it names none of the keys, so it reads as `{}`. @throws InvalidParamsError
 */
export function imageDataArgument(name: string, value: unknown): Readonly<Record<string, unknown>> {
  if (Array.isArray(value)) return NO_KEYS;
  if (typeof value === 'object' && value !== null) return value as Record<string, unknown>;
  throw new InvalidParamsError(`${name} must be an object.`);
}

/** PHP's `empty()`: null, false, 0, "", "0" and an empty array (`[]` or `{}`). */
export function isEmptyInPhp(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '' || value === '0') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/**
 * Names of the one store view there is: the admin store (0) and the default store view (1); an
 * empty name is the current store to OpenMage (`Mage_Core_Model_App::getStore('')`).
 */
const DEFAULT_STORES = new Set<unknown>([0, 1, '0', '1', 'admin', 'default', '']);

/** The optional trailing store argument. @throws ShipStreamFault 100 for any other store. */
export function requireDefaultStore(store: unknown): void {
  if (store !== undefined && !DEFAULT_STORES.has(store)) throw new ShipStreamFault(100);
}

/**
 * The id of a default store name, as `currentStore` answers it: 1 for the default store view
 * (`1`, `"default"`), 0 for the admin store (`0`, `"admin"`, `""`, or none given).
 * @throws ShipStreamFault 100 for any other store.
 */
export function storeId(store: unknown): 0 | 1 {
  requireDefaultStore(store);
  return store === 1 || store === '1' || store === 'default' ? 1 : 0;
}
