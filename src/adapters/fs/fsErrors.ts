import { AppError, UnavailableError } from '../../errors/appError.ts';

/** Translations of `node:fs` failures into the service's errors: fs errors never leave the adapter. */

export function errnoCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The path (or one of its directories) does not exist. */
export function isMissing(error: unknown): boolean {
  const code = errnoCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** A symlink or a non-directory was found where the store expects its own directories. */
export function unsafeObjectPath(key: string): AppError {
  return new AppError('OBJECT_PATH_UNSAFE', `Object path for ${key} leaves the store root.`, {
    status: 500,
  });
}

/** The object file exists but does not hold a well-formed object (hand-edited, truncated). */
export function corruptObject(key: string, reason: string): AppError {
  return new AppError('OBJECT_CORRUPT', `Object ${key} is unreadable: ${reason}.`, { status: 500 });
}

/** Passes AppErrors through; any other failure becomes an `UnavailableError` with the cause. */
export function ioFailure(action: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new UnavailableError(`Object store could not ${action}.`, error);
}
