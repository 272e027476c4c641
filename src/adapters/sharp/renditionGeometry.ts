import type { RenditionFit } from '../../ports/imageProcessor.ts';

/**
 * What a rendition does to a source of `sourceWidth × sourceHeight`, in plain numbers, so the
 * geometry is decided (and tested) without libvips:
 * - `scale`: resize the whole image to `width × height` (aspect kept, `inside`);
 * - `crop`: resize to `scaledWidth × scaledHeight`, then cut `width × height` at `left, top`
 *   (`cover` with a focal point);
 * - `salientCrop`: let libvips fill `width × height` by cropping where it finds the subject
 *   (`cover` without a focal point);
 * - `pad`: resize to `imageWidth × imageHeight` and centre it on a `width × height` canvas (`contain`).
 *
 * Nothing is ever enlarged: a box that is larger than the image shrinks, keeping the box's
 * aspect ratio, to the largest (`cover`) or smallest (`contain`) box that needs no enlargement.
 */
export type RenditionPlan =
  | { kind: 'scale'; width: number; height: number }
  | { kind: 'crop'; scaledWidth: number; scaledHeight: number; left: number; top: number; width: number; height: number }
  | { kind: 'salientCrop'; width: number; height: number }
  | { kind: 'pad'; imageWidth: number; imageHeight: number; width: number; height: number };

export interface RenditionBox {
  width?: number;
  height?: number;
  fit: RenditionFit;
  focalPoint?: { x: number; y: number };
}

const atLeastOne = (value: number) => Math.max(1, Math.round(value));

/** @example planRendition(1500, 1000, { width: 320, fit: 'inside' }) // { kind: 'scale', width: 320, height: 213 } */
export function planRendition(sourceWidth: number, sourceHeight: number, box: RenditionBox): RenditionPlan {
  const { width, height } = box;
  if (width === undefined || height === undefined || box.fit === 'inside') {
    const scale = Math.min(1, width === undefined ? 1 : width / sourceWidth, height === undefined ? 1 : height / sourceHeight);
    return { kind: 'scale', width: atLeastOne(sourceWidth * scale), height: atLeastOne(sourceHeight * scale) };
  }
  return box.fit === 'cover' ? planCover(sourceWidth, sourceHeight, width, height, box.focalPoint) : planContain(sourceWidth, sourceHeight, width, height);
}

function planCover(sourceWidth: number, sourceHeight: number, width: number, height: number, focalPoint?: { x: number; y: number }): RenditionPlan {
  // The largest box of the asked aspect ratio that the image covers without enlargement.
  const shrink = Math.min(1, sourceWidth / width, sourceHeight / height);
  const boxWidth = Math.max(1, Math.floor(width * shrink));
  const boxHeight = Math.max(1, Math.floor(height * shrink));
  if (focalPoint === undefined) return { kind: 'salientCrop', width: boxWidth, height: boxHeight };
  const scale = Math.max(boxWidth / sourceWidth, boxHeight / sourceHeight);
  const scaledWidth = Math.max(boxWidth, Math.round(sourceWidth * scale));
  const scaledHeight = Math.max(boxHeight, Math.round(sourceHeight * scale));
  const clamp = (centre: number, size: number, limit: number) => Math.min(limit - size, Math.max(0, Math.round(centre - size / 2)));
  return {
    kind: 'crop',
    scaledWidth,
    scaledHeight,
    left: clamp(focalPoint.x * scaledWidth, boxWidth, scaledWidth),
    top: clamp(focalPoint.y * scaledHeight, boxHeight, scaledHeight),
    width: boxWidth,
    height: boxHeight,
  };
}

function planContain(sourceWidth: number, sourceHeight: number, width: number, height: number): RenditionPlan {
  // A box larger than the image on both sides shrinks to the smallest box of its aspect ratio
  // that still holds the image unscaled.
  const shrink = Math.min(1, Math.max(sourceWidth / width, sourceHeight / height));
  const boxWidth = Math.max(1, Math.round(width * shrink));
  const boxHeight = Math.max(1, Math.round(height * shrink));
  const scale = Math.min(1, boxWidth / sourceWidth, boxHeight / sourceHeight);
  return {
    kind: 'pad',
    imageWidth: Math.min(boxWidth, atLeastOne(sourceWidth * scale)),
    imageHeight: Math.min(boxHeight, atLeastOne(sourceHeight * scale)),
    width: boxWidth,
    height: boxHeight,
  };
}
