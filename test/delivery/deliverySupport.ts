import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { TOKEN, type TestService } from '../support/testService.ts';

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
export const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;

/**
 * A 1500×1000 photo whose every pixel says where it is: red grows left to right, green top to
 * bottom. A crop taken from the wrong place has the wrong colours.
 */
export async function positionCodedJpeg(width = 1500, height = 1000): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 3;
      pixels[at] = Math.round((x * 255) / (width - 1));
      pixels[at + 1] = Math.round((y * 255) / (height - 1));
      pixels[at + 2] = 128;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
}

/** Mean absolute difference of two images' RGB pixels (same size required), 0–255. */
export async function meanDifference(a: Buffer, b: Buffer): Promise<number> {
  const [left, right] = await Promise.all([a, b].map((image) => sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true })));
  if (left!.info.width !== right!.info.width || left!.info.height !== right!.info.height) return 255;
  let total = 0;
  for (let index = 0; index < left!.data.length; index++) total += Math.abs(left!.data[index]! - right!.data[index]!);
  return total / left!.data.length;
}

/** An anonymous GET (or `method`) of a path of the service, as a storefront makes it. */
export async function fetchMedia(api: TestService, path: string, headers: Record<string, string> = {}, method = 'GET') {
  const response = await fetch(`${api.service.url}${path}`, { method, headers });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, bytes, json: () => JSON.parse(bytes.toString()) as unknown };
}

/** Uploads an image to a new product through REST; answers the image's representation. */
export async function uploadImage(api: TestService, bytes: Buffer, type = 'image/jpeg'): Promise<{ pk: number; product: number; image: string }> {
  const product = await api.request('POST', '/api/v1/products/', { body: { sku: `DELIVERY-${Math.random()}` } });
  const data = new FormData();
  data.append('product', String(product.body.pk));
  data.append('image', new Blob([bytes], { type }), 'upload.jpg');
  const response = await fetch(`${api.service.url}/api/v1/product_image/`, { method: 'POST', headers: { authorization: TOKEN }, body: data });
  if (response.status !== 201) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { pk: number; product: number; image: string };
}

/** Counts image jobs by kind, for `startTestService({ imageJobs })`. */
export function jobCounter() {
  const counts = { upload: 0, rendition: 0 };
  return { counts, imageJobs: { onJobStart: (kind: 'upload' | 'rendition') => void (counts[kind] += 1) } };
}
