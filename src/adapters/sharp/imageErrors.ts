import { AppError, BusyError } from '../../errors/appError.ts';

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

/** Within the pixel limit, but its kind (bit depth, scans, GIF) makes it cost more: see decodeCost.ts. */
export function tooCostly(width: number, frameHeight: number, frames: number, cost: number, limit: number): AppError {
  const frameText = frames > 1 ? ` in ${frames} frames` : '';
  return invalidImage(`too costly to decode ${width}×${frameHeight}${frameText} (${Math.ceil(cost)} pixel-equivalents, limit ${limit})`);
}

/** An animation whose frames × canvas exceed `MAX_ANIMATION_PIXELS`. */
export function animationTooLarge(width: number, frameHeight: number, frames: number, limit: number): AppError {
  return invalidImage(`animation too large ${width}×${frameHeight} in ${frames} frames (limit ${limit})`);
}

/** A job abandoned after `IMAGE_JOB_TIMEOUT_MS` (by our timer or libvips' own). */
export const tookTooLong = (timeoutMs: number, cause?: unknown): AppError => invalidImage(`processing took longer than ${timeoutMs} ms`, cause);

export const corruptImage = (cause: unknown): AppError => invalidImage('corrupt or truncated', cause);

/**
 * Every slot taken and `IMAGE_QUEUE_MAX` jobs waiting: 503 with `Retry-After` on REST, fault 7 on
 * JSON-RPC. Not the client's image at fault: a retry later may well succeed.
 */
export function imageQueueFull(retryAfterSeconds: number): BusyError {
  const unit = retryAfterSeconds === 1 ? 'second' : 'seconds';
  return new BusyError('IMAGE_QUEUE_FULL', `Image processing is busy; retry in ${retryAfterSeconds} ${unit}.`, retryAfterSeconds);
}

/** libvips' words when the header already says the image is over `limitInputPixels`. */
const PIXEL_LIMIT_MESSAGE = /exceeds pixel limit/i;
/** sharp's words when its `timeout` stopped libvips (`timeout: 12% complete`). */
const TIMEOUT_MESSAGE = /^timeout: /;

/**
 * Turns a sharp/libvips failure on the input into `INVALID_IMAGE`. A header over the pixel limit
 * is normally refused before sharp sees it; `limitInputPixels` is the second line of defence.
 */
export function imageFailure(error: unknown, limit: number, timeoutMs: number): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof Error && PIXEL_LIMIT_MESSAGE.test(error.message)) {
    return invalidImage(`too many pixels (limit ${limit})`, error);
  }
  if (error instanceof Error && TIMEOUT_MESSAGE.test(error.message)) return tookTooLong(timeoutMs, error);
  return corruptImage(error);
}
