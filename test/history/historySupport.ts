import sharp from 'sharp';
import * as assert from 'uvu/assert';
import { callOk, imageBase64, imageData, login, registerProduct } from '../support/rpcClient.ts';
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

export interface Day {
  productPk: number;
  sku: string;
  pks: { a: number; b: number; c: number };
  /** occurred_at of the last event before each snapshot, and the REST list then. */
  moments: Array<{ asOf: string; revision: number; list: unknown[] }>;
}

/** A day of changes through both APIs, with three snapshots of the REST list on the way. */
export async function scriptedDay(api: TestService): Promise<Day> {
  const sku = `DAY-${Math.random().toString(36).slice(2, 8)}`;
  const productPk = await registerProduct(api, sku);
  const moments: Day['moments'] = [];
  const snapshot = async () => {
    const history = await api.request('GET', `/api/v1/products/${productPk}/media_history/?ordering=-occurred_at&limit=1`);
    const [last] = history.body.results;
    moments.push({ asOf: last.occurred_at, revision: last.revision, list: await imageList(api, productPk) });
  };
  const a = await uploadImage(api, productPk, { order: 0, correlationId: 'corr-upload-a' });
  const b = await uploadImage(api, productPk, { order: 1, background: '#a36' });
  await snapshot();
  const special = await api.request('POST', `/api/v1/product_image/${b.pk}/make_special/`, {
    body: { special_image_type: 'base' },
    auth: BACKOFFICE,
    headers: { 'x-correlation-id': 'corr-main-b' },
  });
  assert.is(special.status, 200);
  const session = await login(api);
  await callOk(api, session, 'product_media.create', [sku, imageData(await imageBase64('jpeg', 40, 30, '#63a'), 'image/jpeg', { position: 2, types: ['image'] })]);
  await snapshot();
  assert.is((await api.request('PATCH', `/api/v1/product_image/${a.pk}/`, { body: { order: 5 } })).status, 200);
  assert.is((await api.request('DELETE', `/api/v1/product_image/${b.pk}/`)).status, 204);
  await snapshot();
  const c = (await imageList(api, productPk)).find((image: { pk: number }) => image.pk !== a.pk && image.pk !== b.pk);
  return { productPk, sku, pks: { a: a.pk, b: b.pk, c: c.pk }, moments };
}

