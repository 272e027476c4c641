import { AppError } from '../../errors/appError.ts';

/** A caller broke the port's contract (a bug, not client input): a hidden 500. */
export function invalidArgument(message: string): AppError {
  return new AppError('INVALID_ARGUMENT', message);
}
