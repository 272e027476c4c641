import * as assert from 'uvu/assert';
import { AppError } from '../../src/errors/appError.ts';

/**
 * Asserts that `run` rejects with an AppError of `code`, and of `status`, `message` and
 * `details` when given (errors are asserted by code and exact text).
 */
export async function rejectsWith(
  run: () => Promise<unknown>,
  code: string,
  expected: { status?: number; message?: string; details?: unknown } = {},
): Promise<AppError> {
  try {
    await run();
  } catch (error) {
    assert.instance(error, AppError, `expected an AppError ${code}, got ${String(error)}`);
    const appError = error as AppError;
    assert.is(appError.code, code);
    if (expected.status !== undefined) assert.is(appError.status, expected.status);
    if (expected.message !== undefined) assert.is(appError.message, expected.message);
    if (expected.details !== undefined) assert.equal(appError.details, expected.details);
    return appError;
  }
  assert.unreachable(`expected a rejection with ${code}`);
  throw new Error('unreachable');
}
