import { connectionFailureReason } from './connectionFailureReason.ts';
import http from 'node:http';
import https from 'node:https';
import { AppError } from '../../errors/appError.ts';
import type { DownloadedFile, Downloader } from '../../ports/downloader.ts';
import { guardedAgents } from './guardedAgents.ts';
import { isAllowedHost, normalizeHost, requestTo } from './outboundTarget.ts';

export interface ErpDownloaderOptions {
  /** Hosts (lower-case names or IPs, optionally `host:port`) reached even on private addresses. */
  allowedHosts: string[];
  /** Largest body accepted, in bytes. */
  maxBytes: number;
  /** Budget for the whole download, redirects included. */
  timeoutMs: number;
  /** Redirects followed before giving up. */
  maxRedirects: number;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** A refused or failed download; the message is what the client reads under `url`. */
export const downloadFailed = (reason: string, cause?: unknown) => new AppError('DOWNLOAD_FAILED', reason, { status: 400, cause });

/**
 * Downloads for `downloadable_image` (the webhook sender shares its guards). Hosts outside `allowedHosts` go through guarded agents
 * (guardedAgents.ts: `isForbiddenAddress`, then `request-filtering-agent`), which check the
 * address before connecting, after DNS, so a name that resolves to a private, loopback,
 * link-local or special address, or a literal in any spelling that maps to one (`127.1`,
 * `[::ffff:127.0.0.1]`, `[::127.0.0.1]`, `[64:ff9b::10.0.0.1]`, `[2002:7f00:1::]`), is refused
 * without a packet sent. Redirects are followed here, one hop at a time, so every hop's scheme
 * and host are checked again. Explicit agents mean proxy variables are never consulted.
 * @example
 * const downloader = createErpDownloader({ allowedHosts: [], maxBytes: 25 << 20, timeoutMs: 20_000, maxRedirects: 5 });
 * const { bytes } = await downloader.download('https://erp.example.com/p/1.jpg');
 * @throws AppError `DOWNLOAD_FAILED` (400).
 */
export function createErpDownloader(options: ErpDownloaderOptions): Downloader {
  const allowed = new Set(options.allowedHosts.map(normalizeHost));
  const agents = {
    filtered: guardedAgents(),
    plain: { 'http:': new http.Agent({ keepAlive: false }), 'https:': new https.Agent({ keepAlive: false }) },
  };
  const seconds = options.timeoutMs / 1000;

  const agentFor = (url: URL) => (isAllowedHost(url, allowed) ? agents.plain : agents.filtered)[url.protocol as 'http:' | 'https:'];

  return {
    async download(url: string): Promise<DownloadedFile> {
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), options.timeoutMs);
      try {
        let current = parseHttpUrl(url);
        for (let hop = 0; ; hop++) {
          const response = await get(current, agentFor(current), abort.signal);
          if (REDIRECT_STATUSES.has(response.statusCode ?? 0) && response.headers.location) {
            response.resume();
            if (hop >= options.maxRedirects) throw downloadFailed('Too many redirects.');
            current = parseHttpUrl(new URL(response.headers.location, current).href);
            continue;
          }
          if (response.statusCode !== 200) {
            response.resume();
            throw downloadFailed(`The server answered ${response.statusCode}.`);
          }
          const bytes = await readCapped(response, options.maxBytes);
          // A body delimited by the connection's close ends without an error when the timeout
          // aborts it: what was read is then a part, never the file.
          if (abort.signal.aborted) throw abort.signal.reason; // worded below, with the other timeouts
          return { bytes, finalUrl: current.href, contentType: response.headers['content-type'] ?? null };
        }
      } catch (error) {
        if (abort.signal.aborted) throw downloadFailed(`The download took longer than ${seconds} seconds.`, error);
        if (error instanceof AppError) throw error;
        throw downloadFailed(connectionFailureReason(error, 'server', 'The file could not be downloaded.'), error);
      } finally {
        clearTimeout(timer);
        abort.abort(); // frees any socket still open after a refusal
      }
    },
  };
}

function parseHttpUrl(text: string): URL {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw downloadFailed('Only http and https URLs can be downloaded.');
  if (url.hostname === '') throw downloadFailed('The URL has no host.');
  return url;
}

function get(url: URL, agent: http.Agent, signal: AbortSignal): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const outgoing = requestTo(url, 'GET', agent, signal, { accept: 'image/*, */*;q=0.5', 'user-agent': 'product-media-catalog/erp-downloader' }, resolve);
    outgoing.once('error', reject);
    outgoing.end();
  });
}

async function readCapped(response: http.IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => downloadFailed(`The file is larger than ${maxBytes} bytes.`);
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      response.destroy();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}
