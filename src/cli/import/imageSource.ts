import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { HashCache } from './hashCache.ts';

/** The bytes of a row's image, with what the import needs to know about them. */
export interface SourceImage {
  content: Buffer;
  mime: 'image/jpeg' | 'image/png' | 'image/gif';
  /** Lower-case hex SHA-256 of the bytes as read: the image's identity across runs. */
  sha256: string;
}

export interface ImageSourceOptions {
  /** Folder local paths are relative to (the import file's). */
  baseDir: string;
  /** Largest image read (bytes); larger ones fail their row. */
  maxBytes: number;
  /** Time allowed for one download. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Why a row's image could not be read; the message goes into the errors file. */
export class ImageSourceError extends Error {}

/** Reads an http(s) URL or a local file, bounded in bytes and time, and checks it is an image format the API takes. */
export async function readSourceImage(location: string, options: ImageSourceOptions): Promise<SourceImage> {
  const content = /^https?:\/\//i.test(location) ? (await download(location, options)).content! : await readLocal(location, options);
  return identify(content);
}

function identify(content: Buffer): SourceImage {
  const mime = mimeOf(content);
  if (mime === undefined) throw new ImageSourceError('image: The file is not a JPEG, PNG or GIF image.');
  return { content, mime, sha256: createHash('sha256').update(content).digest('hex') };
}

/** A source's hash and format; its bytes only when they had to be read (the cache did not vouch for them). */
export type SourceIdentity = Omit<SourceImage, 'content'> & { content?: Buffer };

/**
 * The hash of a source, read again only when it may have changed since `cache` saw it: an
 * unchanged local file (same size and time) or a 304 to a conditional GET costs no transfer.
 */
export async function identifySource(location: string, options: ImageSourceOptions, cache: HashCache): Promise<SourceIdentity> {
  const known = cache.get(location);
  if (!/^https?:\/\//i.test(location)) {
    const full = isAbsolute(location) ? location : resolve(options.baseDir, location);
    const info = await stat(full).catch(() => undefined);
    if (known && info && known.size === info.size && known.mtimeMs === info.mtimeMs) return { sha256: known.sha256, mime: known.mime as SourceImage['mime'] };
    const image = identify(await readLocal(location, options));
    if (info) cache.set(location, { sha256: image.sha256, mime: image.mime, size: info.size, mtimeMs: info.mtimeMs });
    return image;
  }
  const validators = known === undefined ? undefined : { etag: known.etag, lastModified: known.lastModified };
  const answer = await download(location, options, validators);
  if (answer.content === undefined) return { sha256: known!.sha256, mime: known!.mime as SourceImage['mime'] };
  const image = identify(answer.content);
  if (answer.etag !== undefined || answer.lastModified !== undefined) {
    cache.set(location, { sha256: image.sha256, mime: image.mime, ...(answer.etag ? { etag: answer.etag } : {}), ...(answer.lastModified ? { lastModified: answer.lastModified } : {}) });
  }
  return image;
}

async function readLocal(path: string, { baseDir, maxBytes }: ImageSourceOptions): Promise<Buffer> {
  const full = isAbsolute(path) ? path : resolve(baseDir, path);
  try {
    const info = await stat(full);
    if (!info.isFile()) throw new ImageSourceError(`image: "${path}" is not a file.`);
    if (info.size > maxBytes) throw new ImageSourceError(`image: "${path}" has ${info.size} bytes, more than the ${maxBytes} allowed.`);
    return await readFile(full);
  } catch (error) {
    if (error instanceof ImageSourceError) throw error;
    throw new ImageSourceError(`image: "${path}" cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
}

interface Downloaded {
  /** Undefined when the server answered 304 to the validators. */
  content?: Buffer;
  etag?: string;
  lastModified?: string;
}

async function download(url: string, { maxBytes, timeoutMs, signal }: ImageSourceOptions, validators?: { etag?: string | undefined; lastModified?: string | undefined }): Promise<Downloaded> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const headers: Record<string, string> = {};
  if (validators?.etag) headers['if-none-match'] = validators.etag;
  if (validators?.lastModified) headers['if-modified-since'] = validators.lastModified;
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: signal ? AbortSignal.any([signal, timeout]) : timeout, redirect: 'follow' });
  } catch (error) {
    if (timeout.aborted) throw new ImageSourceError(`image: ${url} did not answer within ${timeoutMs} ms.`);
    throw new ImageSourceError(`image: ${url} cannot be fetched (${causeOf(error)}).`);
  }
  if (response.status === 304 && validators !== undefined) {
    await response.body?.cancel();
    return {};
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ImageSourceError(`image: ${url} answered HTTP ${response.status}.`);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new ImageSourceError(`image: ${url} has ${declared} bytes, more than the ${maxBytes} allowed.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += chunk.length;
      if (size > maxBytes) throw new ImageSourceError(`image: ${url} has more than the ${maxBytes} bytes allowed.`);
      // A view, not a copy: each chunk fetch yields is a fresh array of its own.
      chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
  } catch (error) {
    if (error instanceof ImageSourceError) throw error;
    throw new ImageSourceError(`image: ${url} broke off while downloading (${causeOf(error)}).`);
  }
  const etag = response.headers.get('etag') ?? undefined;
  const lastModified = response.headers.get('last-modified') ?? undefined;
  return { content: Buffer.concat(chunks, size), ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

/** The format by signature: what the service would accept is decided by the service itself. */
export function mimeOf(content: Buffer): SourceImage['mime'] | undefined {
  if (content.length >= 3 && content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff) return 'image/jpeg';
  if (content.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (content.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  return undefined;
}
