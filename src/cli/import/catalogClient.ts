import { createHash } from 'node:crypto';
import type { ImageRoleName } from './importRows.ts';
import { multipartForm, type MultipartForm } from './multipartForm.ts';

/** A product as the REST API shows it (the fields the import uses). */
export interface RemoteProduct {
  pk: number;
  sku: string;
  media_enabled: boolean;
}

/** An image as ShipStream's `product_media.list` shows it. */
export interface RemoteImage {
  file: string;
  label: string;
  position: number;
  exclude: number;
  url: string;
  types: string[];
}

export interface NewRemoteImage {
  content: Buffer;
  mime: string;
  /** Gallery file name stem (the service adds the directory and the extension). */
  name: string;
  label?: string;
  exclude?: boolean;
  position?: number;
  types: ImageRoleName[];
}

/** A refusal of one request: the row fails with `message`; `fatal` stops the whole import (bad credentials). */
export class RemoteError extends Error {
  constructor(
    message: string,
    readonly fatal = false,
  ) {
    super(message);
  }
}

export interface CatalogClientOptions {
  baseUrl: string;
  /** A key of the service's user directory. */
  token: string;
  /** The user the key belongs to (the JSON-RPC API authenticates by user and key). */
  user: string;
  timeoutMs: number;
}

/**
 * The two public APIs as the import needs them: products through REST (created with an
 * Idempotency-Key, so a retried create never makes two), images through ShipStream's
 * `product_media`, whose gallery file names the import uses as content addresses and which
 * carries label, roles and exclusion.
 */
export function catalogClient(options: CatalogClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const basic = `Basic ${Buffer.from(`${options.user}:${options.token}`).toString('base64')}`;

  async function send(path: string, init: { method: string; headers: Record<string, string>; body?: string | Buffer }, signal?: AbortSignal) {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    try {
      return await fetch(`${base}${path}`, { ...init, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (error) {
      if (timeout.aborted) throw new RemoteError(`${init.method} ${path}: no answer within ${options.timeoutMs} ms.`);
      if (signal?.aborted) throw new RemoteError('Interrupted.');
      throw new RemoteError(`${init.method} ${path}: ${(error as { cause?: Error }).cause?.message ?? (error as Error).message}`);
    }
  }

  /** A REST call with a JSON body, a multipart form, or none. */
  async function rest(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) {
    const form = body instanceof FormBody ? body.form : undefined;
    const type: Record<string, string> = body === undefined ? {} : { 'content-type': form?.contentType ?? 'application/json' };
    const response = await send(
      path,
      {
        method,
        headers: { authorization: `Token ${options.token}`, ...type, ...headers },
        ...(body === undefined ? {} : { body: form?.body ?? JSON.stringify(body) }),
      },
      signal,
    );
    const text = await response.text();
    const parsed = text === '' ? null : safeJson(text);
    if (response.status === 401 || response.status === 403) throw new RemoteError(`The service refused the token (HTTP ${response.status}: ${text.slice(0, 200)}).`, true);
    return { status: response.status, body: parsed as any, text };
  }

  async function rpc(method: string, params: unknown[], signal?: AbortSignal): Promise<unknown> {
    return rpcBody(method, JSON.stringify(rpcRequest(method, params)), signal);
  }

  async function rpcBody(method: string, body: string | Buffer, signal?: AbortSignal): Promise<unknown> {
    const response = await send('/api/jsonrpc', { method: 'POST', headers: { authorization: basic, 'content-type': 'application/json' }, body }, signal);
    const text = await response.text();
    const answer = safeJson(text) as { result?: unknown; error?: { code: number; message: string } | null } | undefined;
    if (answer === undefined) throw new RemoteError(`${method}: HTTP ${response.status}, not a JSON-RPC answer.`);
    if (answer.error) {
      // -32002: access denied (ShipStream fault 2): the user and key do not match.
      const fatal = answer.error.code === -32002 || response.status === 401;
      throw new RemoteError(`${method}: ${answer.error.message} (${answer.error.code})`, fatal);
    }
    return answer.result;
  }

  /** ShipStream's `create`: the image in base64 inside the JSON-RPC request. */
  async function createThroughRpc(sku: string, image: NewRemoteImage, signal?: AbortSignal): Promise<string> {
    const data = {
      file: { content: BASE64_SLOT, mime: image.mime, name: image.name },
      types: image.types,
      ...(image.label === undefined ? {} : { label: image.label }),
      ...(image.exclude === undefined ? {} : { exclude: image.exclude ? 1 : 0 }),
      ...(image.position === undefined ? {} : { position: image.position }),
    };
    const [file] = (await rpcBody('product_media.create', withBase64(JSON.stringify(rpcRequest('product_media.create', [sku, data])), image.content), signal)) as string[];
    return file!;
  }


  return {
    async findProduct(sku: string, signal?: AbortSignal): Promise<RemoteProduct | undefined> {
      const { status, body, text } = await rest('GET', `/api/v1/products/?sku=${encodeURIComponent(sku)}`, undefined, {}, signal);
      if (status !== 200) throw new RemoteError(`Looking up product ${sku}: HTTP ${status} ${text.slice(0, 200)}`);
      return (body.results as RemoteProduct[]).find((product) => product.sku === sku);
    },

    /** Creates the product; a lost answer retried with the same key creates nothing more. */
    async createProduct(sku: string, name: string | undefined, signal?: AbortSignal): Promise<RemoteProduct | undefined> {
      const key = `catalog-import-product-${createHash('sha256').update(sku).digest('hex').slice(0, 40)}`;
      const { status, body, text } = await rest('POST', '/api/v1/products/', { sku, ...(name ? { name } : {}) }, { 'idempotency-key': key }, signal);
      if (status === 201) return body as RemoteProduct;
      // Another importer created it first: the caller reads it back.
      if (status === 400 && Array.isArray(body?.sku) && String(body.sku[0]).includes('already exists')) return undefined;
      throw new RemoteError(`Creating product ${sku}: HTTP ${status} ${text.slice(0, 300)}`);
    },

    listImages: (sku: string, signal?: AbortSignal) => rpc('product_media.list', [sku], signal) as Promise<RemoteImage[]>,

    /**
     * Uploads a JPEG or PNG as it is (REST multipart, with ShipStream's label, roles, exclusion and
     * file name as form fields); a GIF, which Omnitron's upload does not take, through
     * ShipStream's `create` in base64. Answers the gallery file name asked for (the service may
     * have added a `_1` suffix; both carry the stem).
     */
    async createImage(product: RemoteProduct, image: NewRemoteImage, signal?: AbortSignal): Promise<string> {
      if (image.mime === 'image/gif') return createThroughRpc(product.sku, image, signal);
      const fields: Record<string, string> = {
        product: String(product.pk),
        file_name: image.name,
        types: image.types.join(','),
        ...(image.label === undefined ? {} : { label: image.label }),
        ...(image.exclude === undefined ? {} : { exclude: image.exclude ? 'true' : 'false' }),
        ...(image.position === undefined ? {} : { order: String(image.position) }),
      };
      const extension = image.mime === 'image/png' ? 'png' : 'jpg';
      const form = multipartForm(fields, { field: 'image', fileName: `${image.name}.${extension}`, type: image.mime, content: image.content });
      const { status, text } = await rest('POST', '/api/v1/product_image/', new FormBody(form), {}, signal);
      if (status !== 201) throw new RemoteError(`Uploading the image to product ${product.sku}: HTTP ${status} ${text.slice(0, 300)}`);
      return `${image.name}.${extension}`;
    },
  };
}

/** Marks a multipart form among `rest`'s bodies (anything else goes as JSON). */
class FormBody {
  constructor(readonly form: MultipartForm) {}
}

export type CatalogClient = ReturnType<typeof catalogClient>;

const rpcRequest = (method: string, params: unknown[]) => ({ jsonrpc: '2.0', id: 1, method, params: [null, ...params] });

/** Stands for the image in a request's JSON until {@link withBase64} puts the bytes there. */
const BASE64_SLOT = '\u0000base64\u0000';
const BASE64_SLOT_JSON = JSON.stringify(BASE64_SLOT);

/**
 * The request body with `content` as base64 text in place of the slot, written as bytes: base64
 * needs no JSON escaping, so the megabyte of text is neither scanned by JSON.stringify nor
 * encoded to UTF-8 again on its way out.
 */
export function withBase64(json: string, content: Buffer): Buffer {
  const at = json.indexOf(BASE64_SLOT_JSON);
  if (at < 0 || json.indexOf(BASE64_SLOT_JSON, at + 1) >= 0) throw new Error('withBase64: the request must hold the slot exactly once.');
  return Buffer.concat([Buffer.from(`${json.slice(0, at)}"`), ...base64Chunks(content), Buffer.from(`"${json.slice(at + BASE64_SLOT_JSON.length)}`)]);
}

/** Bytes encoded at a time: a multiple of 3, so the pieces join into one base64 text. */
const BASE64_CHUNK_BYTES = 48 * 1024;

/**
 * `content` as base64 text in pieces of bytes. One `toString('base64')` of a 576 KB image took
 * 4–8 ms here (most of it making one large string), 48 KB pieces 0.5–1.3 ms in all.
 */
function base64Chunks(content: Buffer): Buffer[] {
  const pieces: Buffer[] = [];
  for (let start = 0; start < content.length; start += BASE64_CHUNK_BYTES) {
    pieces.push(Buffer.from(content.subarray(start, start + BASE64_CHUNK_BYTES).toString('base64'), 'latin1'));
  }
  return pieces;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
