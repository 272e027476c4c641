import type { ImageHeader } from './headerDimensions.ts';

/**
 * What an upload will cost the image pipeline (decode, orient, fit, re-encode in its format),
 * judged from its header alone, in pixel-equivalents: pixels (every frame at the canvas size) ×
 * a factor per kind of input, where 1 is the CPU time per pixel of a baseline 8-bit JPEG photo.
 * Compared with `MAX_INPUT_PIXELS` (64,000,000 by default ≈ 0.8 s of CPU), so that limit bounds
 * the time of a job, not only its pixels.
 *
 * The factors come from `bench/imageDecodeCost.ts` (sharp 0.35.5, libvips 8.18.7, one thread;
 * CPU time of the whole pipeline, best of 3, measured while others loaded the machine):
 *
 * | input                                   | CPU ms per MP |
 * |-----------------------------------------|---------------|
 * | baseline JPEG, photo, 16 MP (6 MB)      | 12.4–15.1     |
 * | baseline JPEG, flat, 64 MP              | 1.4           |
 * | progressive JPEG, photo, 16 MP, 10 scans| 18.8–21.4     |
 * | progressive JPEG, flat, 63 MP, 10 scans | 10.3–10.9 (4:2:0), 22.7–22.9 (4:4:4) |
 * | progressive JPEG, flat, 4 / 6 scans     | 7.4–9.8 / 9.1 |
 * | PNG 8-bit RGBA, flat, 16 MP             | 8.1–8.4       |
 * | PNG 8-bit RGB, photo, 16 MP (41 MB)     | 23.5–26.2     |
 * | PNG 8-bit RGB interlaced, photo         | 38.9–41.2     |
 * | PNG 16-bit RGBA, flat, 16 MP            | 30.2–32.4     |
 * | PNG 16-bit RGB, photo, 16 MP (38 MB)    | 52.0–55.4     |
 * | PNG 16-bit RGBA interlaced, flat        | 60.6–62.4     |
 * | PNG 1-bit grey, flat, 16 MP             | 4.2–4.6       |
 * | GIF, photo, 1 frame of 4 MP             | 229–240       |
 * | GIF, photo, 16 frames of 0.25 MP        | 300–305       |
 * | GIF, 1×1 frames on a 1 MP canvas        | 43.9–44.6     |
 * | GIF, flat, 1 frame of 16 MP             | 43.7–45.2     |
 *
 * Content matters as much as pixels (a photo costs more than a flat colour of the same size),
 * and `MAX_IMAGE_BYTES` bounds the content: near the pixel limit only compressible content fits
 * in 25 MiB. So each factor is the worst case reachable near the limit: an 8-bit PNG there costs
 * what a JPEG does (8 ms/MP plus inflating at most 25 MiB), while a GIF photo fits easily and its
 * re-encoding (palette mapping, dithering, LZW) is what costs.
 */
export const COST_FACTORS = {
  /** Baseline (sequential) 8-bit JPEG: the unit. */
  jpeg: 1,
  /** A progressive JPEG of up to 10 scans: 21.4 (photo) and 22.9 (flat 4:4:4) ms/MP against 12.4. */
  progressiveJpeg: 2,
  /**
   * Each scan of a JPEG passes over the coefficients of its components again (2.3–2.4 ms/MP per
   * scan measured): a crafted file of hundreds of scans costs in proportion.
   */
  jpegScan: 0.2,
  /** PNG of up to 8 bits per sample: 8.1 ms/MP, plus at most 25 MiB to inflate (~6 ms per MB). */
  png: 1,
  /** 16-bit PNG: 30.2 ms/MP flat, 52 photo (38 MB: beyond the byte limit at 16 MP). */
  png16: 3,
  /** Adam7 interlacing: 1.65× (8-bit photo) to 2× (16-bit flat) the same image non-interlaced. */
  pngInterlace: 2,
  /** GIF, static or animated: 229–305 ms/MP for photo frames, mostly the re-encoding. */
  gif: 24,
} as const;

/** The factor of one pixel of `header`'s kind of input (see {@link COST_FACTORS}). */
export function costFactor(header: ImageHeader): number {
  switch (header.format) {
    case 'jpeg':
      return Math.max(header.progressive ? COST_FACTORS.progressiveJpeg : COST_FACTORS.jpeg, header.scans * COST_FACTORS.jpegScan);
    case 'png':
      return (header.bitDepth > 8 ? COST_FACTORS.png16 : COST_FACTORS.png) * (header.interlaced ? COST_FACTORS.pngInterlace : 1);
    case 'gif':
      return COST_FACTORS.gif;
  }
}

/** Pixels decoded (every frame at the canvas size) × {@link costFactor}: pixel-equivalents. */
export function decodeCost(header: ImageHeader): number {
  return header.width * header.height * header.frames * costFactor(header);
}
