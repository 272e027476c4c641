import { availableParallelism } from 'node:os';
import sharp, { type Metadata } from 'sharp';
import { AppError } from '../../errors/appError.ts';
import {
  CONTENT_TYPE_OF,
  EXTENSION_OF,
  IMAGE_FORMATS,
  INTERNAL_OWNER,
  type ImageFormat,
  type ImageJob,
  type ImageProcessingOptions,
  type ImageProcessor,
  type ProcessedImage,
  type RenditionRenderer,
} from '../../ports/imageProcessor.ts';
import { decodeCost } from './decodeCost.ts';
import { readImageHeader, type ImageHeader } from './headerDimensions.ts';
import {
  animationTooLarge,
  imageFailure,
  imageQueueFull,
  notAnImage,
  tooCostly,
  tooManyPixels,
  tookTooLong,
  unsupportedFormat,
} from './imageErrors.ts';
import { sniffImageFormat } from './imageSignature.ts';
import { createJobLimiter, type JobLoad } from './jobLimiter.ts';
import { encodeAs } from './outputEncoding.ts';
import { renderRendition } from './renderRendition.ts';

/** Options of {@link createSharpImageProcessor}. */
export interface SharpImageProcessorOptions {
  /**
   * Images processed at once (default: the core count). sharp runs one image on one thread here
   * (ENGINES.md), so more jobs than cores only add memory.
   */
  concurrency?: number;
  /**
   * Jobs that may wait for a slot (`IMAGE_QUEUE_MAX`, default 64); one more is refused with
   * `IMAGE_QUEUE_FULL` (503). Waiting jobs are served fairly between their owners (see jobLimiter.ts).
   */
  queueMax?: number;
  /**
   * A job running longer (`IMAGE_JOB_TIMEOUT_MS`, default 30000) is abandoned with `INVALID_IMAGE`:
   * libvips is told to stop (sharp's `timeout`, whole seconds), and a timer answers the caller
   * in case it does not in time; the slot is freed once the work has stopped.
   */
  jobTimeoutMs?: number;
  /** Called whenever a job starts, waits or finishes, with the jobs running and waiting (metrics, tests). */
  onLoad?: (load: JobLoad) => void;
  /** Called when a job gets its slot, with what it is and whose it is (metrics, tests). */
  onJobStart?: (kind: ImageJobKind, owner: string) => void;
}

/** What an image job does: process an upload, or render a rendition of a stored image. */
export type ImageJobKind = 'upload' | 'rendition';

const DEFAULT_QUEUE_MAX = 64;
const DEFAULT_JOB_TIMEOUT_MS = 30_000;

const isImageFormat = (format: string): format is ImageFormat => (IMAGE_FORMATS as readonly string[]).includes(format);

const isPositiveInteger = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;

function invalidArgument(message: string): AppError {
  return new AppError('INVALID_ARGUMENT', message);
}

function checkOptions({ accept, maxWidth, maxHeight, maxInputPixels, maxAnimationPixels }: ImageProcessingOptions): void {
  if (!Array.isArray(accept) || accept.length === 0 || !accept.every(isImageFormat)) {
    throw invalidArgument(`Expected accept to be a non-empty list of ${IMAGE_FORMATS.join(', ')}.`);
  }
  const limits = { maxWidth, maxHeight, maxInputPixels, ...(maxAnimationPixels === undefined ? {} : { maxAnimationPixels }) };
  for (const [name, value] of Object.entries(limits)) {
    if (!isPositiveInteger(value)) throw invalidArgument(`Expected ${name} to be a positive integer but received ${String(value)}.`);
  }
}

/**
 * Judges the cost of decoding from what the file states, before any job: pixels of every frame,
 * then frames × canvas of an animation, then the cost of its kind (decodeCost.ts).
 */
function checkDeclaredCost(header: ImageHeader, { maxInputPixels, maxAnimationPixels }: ImageProcessingOptions): void {
  const { width, height, frames } = header;
  if (width * height * frames > maxInputPixels) throw tooManyPixels(width, height, frames, maxInputPixels);
  if (frames > 1 && maxAnimationPixels !== undefined && width * height * frames > maxAnimationPixels) {
    throw animationTooLarge(width, height, frames, maxAnimationPixels);
  }
  const cost = decodeCost(header);
  if (cost > maxInputPixels) throw tooCostly(width, height, frames, cost, maxInputPixels);
}

/** The same limits on libvips' own header read: pixels (every frame of an animated GIF), frames × canvas. */
function checkPixels(header: Metadata, { maxInputPixels, maxAnimationPixels }: ImageProcessingOptions): void {
  const frames = header.pages ?? 1;
  const frameHeight = header.pageHeight ?? header.height;
  // Read with `animated: true`, an animated GIF reports the height of all its frames stacked.
  if (header.width * header.height > maxInputPixels) throw tooManyPixels(header.width, frameHeight, frames, maxInputPixels);
  if (frames > 1 && maxAnimationPixels !== undefined && header.width * header.height > maxAnimationPixels) {
    throw animationTooLarge(header.width, frameHeight, frames, maxAnimationPixels);
  }
}

/**
 * One decode, one encode: `metadata()` parses only the header, then the pipeline orients, fits and
 * re-encodes; `resolveWithObject` gives the output size without another metadata pass.
 */
async function transcode(input: Buffer, format: ImageFormat, options: ImageProcessingOptions, timeoutSeconds: number): Promise<ProcessedImage> {
  const read = { failOn: 'warning', animated: format === 'gif' } as const;
  // No pixel limit for the header read itself: libvips would refuse a bomb there without its size.
  const header = await sharp(input, { ...read, limitInputPixels: false }).metadata();
  if (header.format !== format) throw unsupportedFormat(header.format, options.accept);
  checkPixels(header, options);
  const image = sharp(input, { ...read, limitInputPixels: options.maxInputPixels })
    .timeout({ seconds: timeoutSeconds })
    .autoOrient() // = rotate() without an angle: EXIF orientation, so width/height are as displayed
    .resize({ width: options.maxWidth, height: options.maxHeight, fit: 'inside', withoutEnlargement: true });
  const { data, info } = await encodeAs(image, format).toBuffer({ resolveWithObject: true });
  return {
    data,
    format,
    contentType: CONTENT_TYPE_OF[format],
    extension: EXTENSION_OF[format],
    width: info.width,
    height: info.pageHeight ?? info.height,
    bytes: data.length,
  };
}

/**
 * The {@link ImageProcessor} and {@link RenditionRenderer} on sharp (libvips), with one bound on
 * the image jobs of both: the only module (with the files it uses) that imports sharp.
 *
 * - The format is judged by content, twice: by signature before libvips sees the bytes (only
 *   jpeg/png/gif in `accept` go further, so SVG, WebP, TIFF or HEIF loaders never run), then by
 *   the decoder sharp picks.
 * - Bombs are refused from the header before any job: from what the file states (read in plain
 *   code, see headerDimensions.ts): pixels of every frame, frames × canvas of an animation
 *   (`maxAnimationPixels`), and the cost of decoding its kind (decodeCost.ts: bit depth,
 *   interlacing, progressive scans, GIF); then libvips' own header read checks the pixels again,
 *   and `limitInputPixels` backs that up inside libvips.
 * - Jobs are bounded: `concurrency` at once, `queueMax` waiting, served fairly between owners
 *   (jobLimiter.ts), each abandoned after `jobTimeoutMs`.
 * - `failOn: 'warning'`: a truncated or corrupt file is refused rather than half-decoded.
 * - Output: EXIF orientation applied, fitted inside maxWidth×maxHeight (never enlarged), re-encoded
 *   in the input's format without any metadata (see `outputEncoding.ts`).
 *
 * Calls `sharp.cache(false)` (a process-wide setting): a server sees each upload once.
 *
 * @example
 * const images = createSharpImageProcessor({ queueMax: 64, jobTimeoutMs: 30_000 });
 * const image = await images.process(upload, { accept: ['jpeg', 'png'], maxWidth: 2000, maxHeight: 2000, maxInputPixels: 64_000_000 }, { owner: 'erp' });
 * @throws AppError `INVALID_ARGUMENT` (500) for a concurrency, queue size or timeout that is not a positive integer.
 */
export function createSharpImageProcessor(options: SharpImageProcessorOptions = {}): ImageProcessor & RenditionRenderer {
  const concurrency = options.concurrency ?? availableParallelism();
  const queueMax = options.queueMax ?? DEFAULT_QUEUE_MAX;
  const jobTimeoutMs = options.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS;
  for (const [name, value] of Object.entries({ concurrency, queueMax, jobTimeoutMs })) {
    if (!isPositiveInteger(value)) throw invalidArgument(`Expected ${name} to be a positive integer but received ${String(value)}.`);
  }
  // libvips counts whole seconds; the timer below answers at the exact time.
  const timeoutSeconds = Math.ceil(jobTimeoutMs / 1000);
  sharp.cache(false);
  const limiter = createJobLimiter({
    concurrency,
    queueMax,
    busy: imageQueueFull,
    timeoutMs: jobTimeoutMs,
    timedOut: () => tookTooLong(jobTimeoutMs),
    ...(options.onLoad ? { observe: options.onLoad } : {}),
  });
  const runJob = <T>(kind: ImageJobKind, job: ImageJob | undefined, work: () => Promise<T>) => {
    const owner = job?.owner ?? INTERNAL_OWNER;
    return limiter.run(owner, () => {
      options.onJobStart?.(kind, owner);
      return work();
    });
  };

  return {
    async process(input, processing, job) {
      checkOptions(processing);
      const format = sniffImageFormat(input);
      if (format === undefined) throw notAnImage();
      if (!isImageFormat(format) || !processing.accept.includes(format)) throw unsupportedFormat(format, processing.accept);
      const declared = readImageHeader(input, format);
      if (declared !== undefined) checkDeclaredCost(declared, processing);
      try {
        return await runJob('upload', job, () => transcode(input, format, processing, timeoutSeconds));
      } catch (error) {
        throw imageFailure(error, processing.maxInputPixels, jobTimeoutMs);
      }
    },
    async render(input, instruction, job) {
      try {
        return await runJob('rendition', job, () => renderRendition(input, instruction, timeoutSeconds));
      } catch (error) {
        throw imageFailure(error, instruction.maxInputPixels, jobTimeoutMs);
      }
    },
  };
}
