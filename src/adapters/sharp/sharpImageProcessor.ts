import { availableParallelism } from 'node:os';
import sharp, { type Metadata } from 'sharp';
import { AppError } from '../../errors/appError.ts';
import {
  CONTENT_TYPE_OF,
  EXTENSION_OF,
  IMAGE_FORMATS,
  type ImageFormat,
  type ImageProcessingOptions,
  type ImageProcessor,
  type ProcessedImage,
  type RenditionRenderer,
} from '../../ports/imageProcessor.ts';
import { imageFailure, notAnImage, tooManyPixels, unsupportedFormat } from './imageErrors.ts';
import { sniffImageFormat } from './imageSignature.ts';
import { headerDimensions } from './headerDimensions.ts';
import { createJobLimiter, type JobLoad } from './jobLimiter.ts';
import { encodeAs } from './outputEncoding.ts';
import { renderRendition } from './renderRendition.ts';

/** Options of {@link createSharpImageProcessor}. */
export interface SharpImageProcessorOptions {
  /**
   * Images processed at once (default: the core count). sharp runs one image on one thread here
   * (ENGINES.md), so more jobs than cores only add memory; later jobs wait in arrival order.
   */
  concurrency?: number;
  /** Called whenever a job starts or finishes, with the jobs running and waiting (metrics, tests). */
  onLoad?: (load: JobLoad) => void;
  /** Called when a job gets its slot, with what it is (metrics, tests). */
  onJobStart?: (kind: ImageJobKind) => void;
}

/** What an image job does: process an upload, or render a rendition of a stored image. */
export type ImageJobKind = 'upload' | 'rendition';

const isImageFormat = (format: string): format is ImageFormat => (IMAGE_FORMATS as readonly string[]).includes(format);

const isPositiveInteger = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;

function invalidArgument(message: string): AppError {
  return new AppError('INVALID_ARGUMENT', message);
}

function checkOptions({ accept, maxWidth, maxHeight, maxInputPixels }: ImageProcessingOptions): void {
  if (!Array.isArray(accept) || accept.length === 0 || !accept.every(isImageFormat)) {
    throw invalidArgument(`Expected accept to be a non-empty list of ${IMAGE_FORMATS.join(', ')}.`);
  }
  for (const [name, value] of Object.entries({ maxWidth, maxHeight, maxInputPixels })) {
    if (!isPositiveInteger(value)) throw invalidArgument(`Expected ${name} to be a positive integer but received ${String(value)}.`);
  }
}

/** Refuses a header whose pixels (every frame of an animated GIF) exceed the limit: nothing is decoded yet. */
function checkPixels(header: Metadata, limit: number): void {
  const frames = header.pages ?? 1;
  // Read with `animated: true`, an animated GIF reports the height of all its frames stacked.
  if (header.width * header.height > limit) {
    throw tooManyPixels(header.width, header.pageHeight ?? header.height, frames, limit);
  }
}

/**
 * One decode, one encode: `metadata()` parses only the header, then the pipeline orients, fits and
 * re-encodes; `resolveWithObject` gives the output size without another metadata pass.
 */
async function transcode(input: Buffer, format: ImageFormat, options: ImageProcessingOptions): Promise<ProcessedImage> {
  const read = { failOn: 'warning', animated: format === 'gif' } as const;
  // No pixel limit for the header read itself: libvips would refuse a bomb there without its size.
  const header = await sharp(input, { ...read, limitInputPixels: false }).metadata();
  if (header.format !== format) throw unsupportedFormat(header.format, options.accept);
  checkPixels(header, options.maxInputPixels);
  const image = sharp(input, { ...read, limitInputPixels: options.maxInputPixels })
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
 * - Pixel bombs are refused from the header before any decoding: first from the dimensions the
 *   file states (read in plain code, see headerDimensions.ts), then from libvips' own header read
 *   (`width × height`, all frames of a GIF); `limitInputPixels` backs that up inside libvips.
 * - `failOn: 'warning'`: a truncated or corrupt file is refused rather than half-decoded.
 * - Output: EXIF orientation applied, fitted inside maxWidth×maxHeight (never enlarged), re-encoded
 *   in the input's format without any metadata (see `outputEncoding.ts`).
 *
 * Calls `sharp.cache(false)` (a process-wide setting): a server sees each upload once.
 *
 * @example
 * const images = createSharpImageProcessor();
 * const image = await images.process(upload, { accept: ['jpeg', 'png'], maxWidth: 2000, maxHeight: 2000, maxInputPixels: 50_000_000 });
 * @throws AppError `INVALID_ARGUMENT` (500) for a concurrency that is not a positive integer.
 */
export function createSharpImageProcessor(options: SharpImageProcessorOptions = {}): ImageProcessor & RenditionRenderer {
  const concurrency = options.concurrency ?? availableParallelism();
  if (!isPositiveInteger(concurrency)) {
    throw invalidArgument(`Expected concurrency to be a positive integer but received ${String(concurrency)}.`);
  }
  sharp.cache(false);
  const limiter = createJobLimiter(concurrency, options.onLoad);
  const runJob = <T>(kind: ImageJobKind, job: () => Promise<T>) =>
    limiter.run(() => {
      options.onJobStart?.(kind);
      return job();
    });

  return {
    async process(input, processing) {
      checkOptions(processing);
      const format = sniffImageFormat(input);
      if (format === undefined) throw notAnImage();
      if (!isImageFormat(format) || !processing.accept.includes(format)) throw unsupportedFormat(format, processing.accept);
      const declared = headerDimensions(input, format);
      if (declared !== undefined && declared.width * declared.height > processing.maxInputPixels) {
        throw tooManyPixels(declared.width, declared.height, 1, processing.maxInputPixels);
      }
      try {
        return await runJob('upload', () => transcode(input, format, processing));
      } catch (error) {
        throw imageFailure(error, processing.maxInputPixels);
      }
    },
    async render(input, instruction) {
      try {
        return await runJob('rendition', () => renderRendition(input, instruction));
      } catch (error) {
        throw imageFailure(error, instruction.maxInputPixels);
      }
    },
  };
}
