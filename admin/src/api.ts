/** The REST API as the admin uses it: every call carries the user's key. */

export interface Product { pk: number; sku: string; name: string; media_enabled: boolean }
export interface Image { pk: number; product: number; image: string; order: number; source: string | null; focal_point: unknown }
export interface Video { pk: number; product: number; video: string; order: number }
export interface Page<T> { count: number; next: string | null; results: T[] }
export interface HistoryEntry {
  position: string;
  revision: number;
  event: string;
  occurred_at: string;
  actor: string;
  api: string;
  image: number | null;
  video: number | null;
  changes: Record<string, [unknown, unknown]>;
}

/** A refused call: the status and the API's own message, ready to show. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** The message a person reads for a refused call (DRF bodies: `detail`, or field lists). */
export function messageOf(status: number, body: unknown): string {
  if (status === 412) return 'This gallery changed, reload.';
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    if (typeof record.detail === 'string') return record.detail;
    const parts = Object.entries(record).flatMap(([field, value]) =>
      Array.isArray(value) ? value.map((text) => (field === 'non_field_errors' ? String(text) : `${field}: ${String(text)}`)) : [],
    );
    if (parts.length > 0) return parts.join(' ');
  }
  return `The request failed (HTTP ${status}).`;
}

export const etagOf = (revision: number) => `W/"${revision}"`;

/** A client for one signed-in key. */
export function apiClient(key: string) {
  const headers = (extra: Record<string, string> = {}) => ({ Authorization: `Token ${key}`, Accept: 'application/json', ...extra });

  async function call<T>(method: string, path: string, options: { body?: unknown; ifMatch?: string } = {}): Promise<{ body: T; etag: string | null }> {
    const extra: Record<string, string> = {};
    if (options.body !== undefined) extra['Content-Type'] = 'application/json';
    if (options.ifMatch) extra['If-Match'] = options.ifMatch;
    let response: Response;
    try {
      response = await fetch(path, { method, headers: headers(extra), body: options.body === undefined ? null : JSON.stringify(options.body) });
    } catch {
      throw new ApiError(0, 'The service cannot be reached.');
    }
    const text = await response.text();
    const body = text === '' ? undefined : safeJson(text);
    if (!response.ok) throw new ApiError(response.status, messageOf(response.status, body));
    return { body: body as T, etag: response.headers.get('ETag') };
  }

  /** Every page of a DRF list (pages of 1000; a gallery or history is read whole). */
  async function all<T>(path: string): Promise<T[]> {
    const results: T[] = [];
    for (let page = 1; page <= 100; page += 1) {
      const separator = path.includes('?') ? '&' : '?';
      const { body } = await call<Page<T>>('GET', `${path}${separator}limit=1000&page=${page}`);
      results.push(...body.results);
      if (body.next === null) break;
    }
    return results;
  }

  return {
    key,
    headers,
    call,
    searchProducts: (term: string) => call<Page<Product>>('GET', `/api/v1/products/?limit=20&search=${encodeURIComponent(term)}`).then((r) => r.body),
    product: (pk: number) => call<Product>('GET', `/api/v1/products/${pk}/`).then((r) => r.body),
    history: (pk: number) => all<HistoryEntry>(`/api/v1/products/${pk}/media_history/`),
    images: (pk: number, asOf?: string) => all<Image>(`/api/v1/product_image/?product=${pk}${asOf ? `&as_of=${encodeURIComponent(asOf)}` : ''}`),
    videos: (pk: number, asOf?: string) => all<Video>(`/api/v1/product_video/?product=${pk}${asOf ? `&as_of=${encodeURIComponent(asOf)}` : ''}`),
    makeMain: (imagePk: number, ifMatch: string) =>
      call('POST', `/api/v1/product_image/${imagePk}/make_special/`, { body: { special_image_type: 'base' }, ifMatch }),
    setOrder: (imagePk: number, order: number, ifMatch: string) => call<Image>('PATCH', `/api/v1/product_image/${imagePk}/`, { body: { order }, ifMatch }),
    remove: (imagePk: number, ifMatch: string) => call('DELETE', `/api/v1/product_image/${imagePk}/`, { ifMatch }),
    restore: (imagePk: number, ifMatch: string) => call<Image>('POST', `/api/v1/product_image/${imagePk}/restore/`, { body: {}, ifMatch }),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
