import sharp from 'sharp';
import { TEST_USERS, type TestService } from '../support/testService.ts';

export const BACKOFFICE = `Token ${TEST_USERS[1]!.key}`;

/** A small JPEG (each background a different binary). */
export const jpeg = (background = '#3a6') => sharp({ create: { width: 40, height: 30, channels: 3, background } }).jpeg().toBuffer();

/** POSTs a multipart image upload through REST; answers the created image. */
export async function uploadImage(
  api: TestService,
  productPk: number,
  options: { order?: number; auth?: string; correlationId?: string; background?: string } = {},
): Promise<any> {
  const data = new FormData();
  data.append('product', String(productPk));
  data.append('order', String(options.order ?? 0));
  data.append('image', new Blob([await jpeg(options.background)], { type: 'image/jpeg' }), 'photo.jpg');
  const headers: Record<string, string> = { authorization: options.auth ?? `Token ${TEST_USERS[0]!.key}` };
  if (options.correlationId) headers['x-correlation-id'] = options.correlationId;
  const response = await fetch(`${api.service.url}/api/v1/product_image/`, { method: 'POST', headers, body: data });
  const body = (await response.json()) as any;
  if (response.status !== 201) throw new Error(`upload failed: ${JSON.stringify(body)}`);
  return body;
}

/** The current REST list of a product's images, page 1 of 100. */
export async function imageList(api: TestService, productPk: number, extra = ''): Promise<any> {
  const response = await api.request('GET', `/api/v1/product_image/?product=${productPk}&limit=100${extra}`);
  if (response.status !== 200) throw new Error(`list failed: ${response.text}`);
  return response.body.results;
}
