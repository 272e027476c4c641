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
  /** Refuse inputs with more pixels than this, judged from the header before decoding (pixel bombs). */
  maxInputPixels: number;
}

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
   * or truncated, is a format not in `accept`, or has more pixels than `maxInputPixels`. Its
   * message says which, for the log; each API answers with its own text.
   */
  process(input: Buffer, options: ImageProcessingOptions): Promise<ProcessedImage>;
}
