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

/** @throws InvalidParamsError for more arguments than the method takes. */
export function methodArguments(args: unknown, names: readonly string[]): MethodArguments {
  const values = new Map<string, unknown>();
  if (Array.isArray(args)) {
    if (args.length > names.length) throw new InvalidParamsError(`expected at most ${names.length} arguments, got ${args.length}.`);
    for (let index = 0; index < args.length; index++) values.set(names[index]!, args[index]);
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

/** The image data object. @throws InvalidParamsError */
export function objectArgument(name: string, value: unknown): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new InvalidParamsError(`${name} must be an object.`);
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
