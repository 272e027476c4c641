/**
 * The image pipeline port: decode an upload, check it, normalise it for storage. One adapter
 * (sharp) implements it; both APIs (REST multipart, JSON-RPC base64) go through it.
 */

/** Image formats the catalog stores. REST accepts jpeg/png; JSON-RPC also gif. */
export const IMAGE_FORMATS = ['jpeg', 'png', 'gif'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

export const CONTENT_TYPE_OF: Readonly<Record<ImageFormat, string>> = { jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif' };
export const EXTENSION_OF: Readonly<Record<ImageFormat, string>> = { jpeg: 'jpg', png: 'png', gif: 'gif' };

export interface ImageProcessingOptions {
  /** Formats acceptable here, judged by content (never by file name or declared type). */
  accept: readonly ImageFormat[];
  /** Fit inside these dimensions (aspect kept, never upscaled): the `MAX_IMAGE_DIMENSIONS` setting. */
  maxWidth: number;
  maxHeight: number;
  /**
   * Refuse inputs that would cost more than this many pixels to decode, judged from the header
   * before decoding (pixel bombs): pixels of every frame, weighted by what the kind of input
   * costs per pixel (bit depth, progressive scans, GIF); see the adapter.
   */
  maxInputPixels: number;
  /** Refuse animations whose frames × canvas exceed this (a lower budget than `maxInputPixels`); absent: no separate limit. */
  maxAnimationPixels?: number;
}

/**
 * Whose image job this is, for sharing the bounded image work fairly: the API user (the
 * request's actor), {@link ANONYMOUS_OWNER} for anonymous requests, {@link INTERNAL_OWNER} for
 * work of the service itself.
 */
export interface ImageJob {
  owner: string;
}

/** Owners of work nobody signed for; in parentheses, which no API user name may hold. */
export const ANONYMOUS_OWNER = '(anonymous)';
export const INTERNAL_OWNER = '(internal)';

/** An image ready to store: EXIF orientation applied, metadata (GPS, ...) stripped, downscaled. */
export interface ProcessedImage {
  data: Buffer;
  format: ImageFormat;
  contentType: string;
  extension: string;
  width: number;
  height: number;
  bytes: number;
}

export interface ImageProcessor {
  /**
   * @throws AppError code `INVALID_IMAGE` (status 400) when the input is not an image, is corrupt
   * or truncated, is a format not in `accept`, costs more than `maxInputPixels` or
   * `maxAnimationPixels`, or took too long. Its message says which, for the log; each API
   * answers with its own text.
   * @throws BusyError code `IMAGE_QUEUE_FULL` (status 503) when too many jobs wait already;
   * `job.owner` (default {@link INTERNAL_OWNER}) decides whose turn comes next.
   */
  process(input: Buffer, options: ImageProcessingOptions, job?: ImageJob): Promise<ProcessedImage>;
}

/** Formats a rendition may be encoded in (`format=` of a media URL). */
export const RENDITION_FORMATS = ['jpeg', 'png', 'webp', 'avif', 'gif'] as const;
export type RenditionFormat = (typeof RENDITION_FORMATS)[number];

export const RENDITION_CONTENT_TYPE_OF: Readonly<Record<RenditionFormat, string>> = {
  ...CONTENT_TYPE_OF,
  webp: 'image/webp',
  avif: 'image/avif',
};

/** How a box is filled: `inside` fits the image in it, `cover` fills it exactly (cropping), `contain` letterboxes. */
export const RENDITION_FITS = ['inside', 'cover', 'contain'] as const;
export type RenditionFit = (typeof RENDITION_FITS)[number];

/** What one rendition of a stored image is: a box (either side may be open), a fit and a format. */
export interface RenditionInstruction {
  width?: number;
  height?: number;
  fit: RenditionFit;
  format: RenditionFormat;
  /** Encoder quality, 1–100 (ignored for png and gif, which are lossless). */
  quality: number;
  /** `cover` crops around this point (fractions of width and height); without one, around what libvips finds salient. */
  focalPoint?: { x: number; y: number };
  /** Refuse sources with more pixels than this (stored images passed the same check at upload). */
  maxInputPixels: number;
  /**
   * The source's displayed size when known (recorded when it was stored: stored images are
   * oriented and carry no orientation tag); the renderer then plans without reading the header.
   */
  sourceSize?: { width: number; height: number };
}

/** The bytes of a rendition and what they are. */
export interface RenderedImage {
  data: Buffer;
  format: RenditionFormat;
  contentType: string;
  width: number;
  height: number;
}

/**
 * Makes renditions of stored images. Implemented by the same adapter as {@link ImageProcessor},
 * so renditions and uploads share one bound on concurrent image work.
 */
export interface RenditionRenderer {
  /**
   * Resizes (never enlarging: a box larger than the image shrinks to the image, keeping its
   * aspect ratio), crops or letterboxes, converts to sRGB and encodes without metadata. Animated
   * sources give their first frame.
   * @throws AppError `INVALID_IMAGE` (400) when the source cannot be decoded or took too long;
   * BusyError `IMAGE_QUEUE_FULL` (503) as {@link ImageProcessor.process}.
   */
  render(input: Buffer, instruction: RenditionInstruction, job?: ImageJob): Promise<RenderedImage>;
}
