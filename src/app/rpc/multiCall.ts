import { InvalidParamsError, ShipStreamFault } from './shipStreamFaults.ts';

/** A call of `multiCall` that failed, in its place among the results (OpenMage's `_faultAsArray`). */
export interface FaultInPlace {
  isFault: true;
  /** OpenMage's fault code (101), not the JSON-RPC error code (-32101); -32602 for arguments of the wrong JSON type. */
  faultCode: number;
  faultMessage: string;
}

const INTERNAL: FaultInPlace = { isFault: true, faultCode: 1, faultMessage: 'Internal Error. Please see log for details.' };
const INVALID_PATH: FaultInPlace = { isFault: true, faultCode: 3, faultMessage: 'Invalid api path.' };

/** What runs one call of the list, and what hears of a failure that is not the client's. */
export interface MultiCallRunner {
  run(path: string, args: unknown): Promise<unknown>;
  internalError(error: unknown): void;
}

/**
 * The calls of `multiCall(session, calls, options)`: a list (or a PHP array keyed otherwise: its
 * values in order) of `[path, args]`. @throws InvalidParamsError for anything else, or for more
 * than `maxCalls` calls (the same bound as a batch).
 */
export function readCalls(calls: unknown, maxCalls: number): unknown[] {
  if (calls === undefined) return [];
  const list = Array.isArray(calls) ? calls : typeof calls === 'object' && calls !== null ? Object.values(calls) : undefined;
  if (list === undefined) throw new InvalidParamsError('calls must be a list of [path, arguments].');
  if (list.length > maxCalls) throw new InvalidParamsError(`multiCall takes at most ${maxCalls} calls.`);
  return list;
}

/** OpenMage's `break` option: stop at the first failed call. */
const breaksOnFault = (options: unknown): boolean =>
  typeof options === 'object' && options !== null && [1, '1', true].includes((options as Record<string, unknown>).break as never);

/**
 * Runs the calls in order, as OpenMage's `multiCall` does: each result in its place, and a call
 * that fails gives its fault there instead (`{isFault, faultCode, faultMessage}`) without stopping
 * the others, unless `options.break` is 1.
 */
export async function runCalls(calls: readonly unknown[], options: unknown, runner: MultiCallRunner): Promise<unknown[]> {
  const results: unknown[] = [];
  for (const call of calls) {
    const path = Array.isArray(call) ? call[0] : typeof call === 'object' && call !== null ? (call as Record<string, unknown>)['0'] : undefined;
    const args = (Array.isArray(call) ? call[1] : typeof call === 'object' && call !== null ? (call as Record<string, unknown>)['1'] : undefined) ?? [];
    let result: unknown;
    try {
      result = typeof path === 'string' ? await runner.run(path, args) : INVALID_PATH;
    } catch (error) {
      result = faultInPlace(error, runner);
    }
    results.push(result);
    if (result !== null && typeof result === 'object' && (result as Partial<FaultInPlace>).isFault === true && breaksOnFault(options)) break;
  }
  return results;
}

function faultInPlace(error: unknown, runner: MultiCallRunner): FaultInPlace {
  if (error instanceof ShipStreamFault && error.fault !== 1) return { isFault: true, faultCode: error.fault, faultMessage: error.message };
  if (error instanceof InvalidParamsError) return { isFault: true, faultCode: -32602, faultMessage: error.message };
  runner.internalError(error);
  return INTERNAL;
}
