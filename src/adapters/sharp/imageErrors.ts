import { AppError } from '../../errors/appError.ts';

/**
 * The `INVALID_IMAGE` errors of the image pipeline, all `Invalid image: <reason>.` with status 400.
 * The message is for the log; each API answers with its own text. libvips' own words stay in
 * `cause`, so the message does not change with the libvips version.
 */
function invalidImage(reason: string, cause?: unknown): AppError {
  return new AppError('INVALID_IMAGE', `Invalid image: ${reason}.`, { status: 400, cause });
}

export const notAnImage = (): AppError => invalidImage('not an image');

export const unsupportedFormat = (format: string, accept: readonly string[]): AppError =>
  invalidImage(`unsupported format ${format} (accepted: ${accept.join(', ')})`);

/** `frames` > 1 for an animated image: every frame is decoded, so all of them count. */
export function tooManyPixels(width: number, frameHeight: number, frames: number, limit: number): AppError {
  const frameText = frames > 1 ? ` in ${frames} frames` : '';
  return invalidImage(`too many pixels ${width}×${frameHeight}${frameText} (limit ${limit})`);
}

export const corruptImage = (cause: unknown): AppError => invalidImage('corrupt or truncated', cause);

/** libvips' words when the header already says the image is over `limitInputPixels`. */
const PIXEL_LIMIT_MESSAGE = /exceeds pixel limit/i;

/**
 * Turns a sharp/libvips failure on the input into `INVALID_IMAGE`. A header over the pixel limit
 * is normally refused before sharp sees it; `limitInputPixels` is the second line of defence.
 */
export function imageFailure(error: unknown, limit: number): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof Error && PIXEL_LIMIT_MESSAGE.test(error.message)) {
    return invalidImage(`too many pixels (limit ${limit})`, error);
  }
  return corruptImage(error);
}
