import sharp, { type Sharp } from 'sharp';
import {
  RENDITION_CONTENT_TYPE_OF,
  type RenderedImage,
  type RenditionFormat,
  type RenditionInstruction,
} from '../../ports/imageProcessor.ts';
import { planRendition, type RenditionPlan } from './renditionGeometry.ts';

/**
 * AVIF effort 2 of 0–9 (sharp's default is 4): a 1500×1000 photo resized to 640 wide encoded in
 * 131 ms against 1,451 ms at effort 4, to a file of about the same size (15.8 KB against 16.2 KB,
 * measured here). A rendition is made while a client waits.
 */
const AVIF_EFFORT = 2;
const WHITE = { r: 255, g: 255, b: 255, alpha: 1 };
const TRANSPARENT = { r: 0, g: 0, b: 0, alpha: 0 };

/**
 * One rendition of a stored image: read (first frame only), orient, resize/crop/pad as planned by
 * {@link planRendition} from the recorded size (else from the header: one more trip through
 * libvips), convert to sRGB, encode without metadata. A wrong recorded size could only distort:
 * every plan resizes to exact dimensions before it crops or pads. Runs inside the caller's job slot;
 * libvips stops after `timeoutSeconds`.
 */
export async function renderRendition(input: Buffer, instruction: RenditionInstruction, timeoutSeconds: number): Promise<RenderedImage> {
  const image = sharp(input, { failOn: 'warning', pages: 1, limitInputPixels: instruction.maxInputPixels }).timeout({ seconds: timeoutSeconds }).autoOrient();
  const { width: sourceWidth, height: sourceHeight } = instruction.sourceSize ?? (await displayedSize(image));
  const plan = planRendition(sourceWidth, sourceHeight, instruction);
  const { format } = instruction;
  const shaped = applyPlan(image, plan, format === 'jpeg' ? WHITE : TRANSPARENT).toColourspace('srgb');
  // JPEG has no alpha: transparent pixels become white, as they would show on a white page.
  const flattened = format === 'jpeg' ? shaped.flatten({ background: WHITE }) : shaped;
  const { data, info } = await encodeRendition(flattened, format, instruction.quality).toBuffer({ resolveWithObject: true });
  return { data, format, contentType: RENDITION_CONTENT_TYPE_OF[format], width: info.width, height: info.height };
}

/** The size of the first frame as displayed (after orientation), from the header. */
async function displayedSize(image: Sharp): Promise<{ width: number; height: number }> {
  const header = await image.metadata();
  return { width: header.autoOrient?.width ?? header.width, height: header.autoOrient?.height ?? header.pageHeight ?? header.height };
}

function applyPlan(image: Sharp, plan: RenditionPlan, background: typeof WHITE): Sharp {
  switch (plan.kind) {
    case 'scale':
      return image.resize({ width: plan.width, height: plan.height, fit: 'fill' });
    case 'crop':
      return image
        .resize({ width: plan.scaledWidth, height: plan.scaledHeight, fit: 'fill' })
        .extract({ left: plan.left, top: plan.top, width: plan.width, height: plan.height });
    case 'salientCrop':
      return image.resize({ width: plan.width, height: plan.height, fit: 'cover', position: sharp.strategy.attention });
    case 'pad': {
      const left = Math.floor((plan.width - plan.imageWidth) / 2);
      const top = Math.floor((plan.height - plan.imageHeight) / 2);
      return image.resize({ width: plan.imageWidth, height: plan.imageHeight, fit: 'fill' }).extend({
        left,
        right: plan.width - plan.imageWidth - left,
        top,
        bottom: plan.height - plan.imageHeight - top,
        background,
      });
    }
    default: {
      const unknown: never = plan;
      throw new Error(`Unknown rendition plan ${JSON.stringify(unknown)}`);
    }
  }
}

function encodeRendition(image: Sharp, format: RenditionFormat, quality: number): Sharp {
  switch (format) {
    case 'jpeg':
      return image.jpeg({ quality, chromaSubsampling: '4:2:0', mozjpeg: false, progressive: true });
    case 'png':
      return image.png({ compressionLevel: 6, adaptiveFiltering: false });
    case 'webp':
      return image.webp({ quality, effort: 4 });
    case 'avif':
      return image.avif({ quality, effort: AVIF_EFFORT });
    case 'gif':
      return image.gif();
    default: {
      const unknown: never = format;
      throw new Error(`No rendition encoder for ${String(unknown)}.`);
    }
  }
}
