import sharp from 'sharp';
import type { TestService } from './testService.ts';

export interface RpcResponse {
  status: number;
  /** The body as sent, e.g. to check that `"jsonrpc":2.0` is written as the seed writes it. */
  text: string;
  body: any;
}

/** POSTs `body` (a value to encode, or raw text) to `/api/jsonrpc`. */
export async function postRpc(api: TestService, body: unknown, options: { raw?: boolean; headers?: Record<string, string> } = {}): Promise<RpcResponse> {
  // No Token: the endpoint authenticates by session or by the Basic credentials in `headers`.
  const response = await api.request('POST', '/api/jsonrpc', {
    rawBody: options.raw ? (body as string) : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...options.headers },
    auth: null,
  });
  return { status: response.status, text: response.text, body: response.body };
}

/** A session of user `erp`. */
export async function login(api: TestService, username = 'erp', apiKey = 'erp-key-0123456789abcdef'): Promise<string> {
  const response = await postRpc(api, { jsonrpc: '2.0', id: 1, method: 'login', params: [username, apiKey] });
  if (typeof response.body?.result !== 'string') throw new Error(`login failed: ${response.text}`);
  return response.body.result;
}

/** `call(session, path, args)`; answers the whole response body. */
export async function call(api: TestService, session: string | null, path: string, args: unknown[], headers?: Record<string, string>): Promise<any> {
  const response = await postRpc(api, { jsonrpc: 2.0, id: 7, method: 'call', params: [session, path, args] }, headers ? { headers } : {});
  return response.body;
}

/** `call` that must succeed; answers its result. */
export async function callOk(api: TestService, session: string, path: string, args: unknown[]): Promise<any> {
  const body = await call(api, session, path, args);
  if (body?.error !== null) throw new Error(`${path} failed: ${JSON.stringify(body?.error)}`);
  return body.result;
}

/** Registers a product through REST; answers its pk. */
export async function registerProduct(api: TestService, sku: string, mediaEnabled = true): Promise<number> {
  const response = await api.request('POST', '/api/v1/products/', { body: { sku, media_enabled: mediaEnabled } });
  if (response.status !== 201) throw new Error(`product ${sku}: ${response.text}`);
  return response.body.pk;
}

/** A small solid image of `format`, as base64. */
export async function imageBase64(format: 'jpeg' | 'png' | 'gif', width = 40, height = 30, background = '#3a6'): Promise<string> {
  const image = sharp({ create: { width, height, channels: 3, background } });
  const bytes = await (format === 'jpeg' ? image.jpeg() : format === 'png' ? image.png() : image.gif()).toBuffer();
  return bytes.toString('base64');
}

/** Image data for `create`. */
export function imageData(content: string, mime = 'image/jpeg', extra: Record<string, unknown> = {}) {
  return { file: { content, mime, ...(extra.name === undefined ? {} : { name: extra.name }) }, ...Object.fromEntries(Object.entries(extra).filter(([key]) => key !== 'name')) };
}
