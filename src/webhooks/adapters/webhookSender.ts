import { connectionFailureReason } from '../../adapters/http/connectionFailureReason.ts';
import http from 'node:http';
import https from 'node:https';
import { guardedAgents } from '../../adapters/http/guardedAgents.ts';
import { isAllowedHost, normalizeHost, requestTo } from '../../adapters/http/outboundTarget.ts';

/** What one POST to a receiver came to. `status` is undefined when no answer arrived. */
export interface SendResult {
  status: number | undefined;
  latencyMs: number;
  error: string | undefined;
}

export interface WebhookSenderOptions {
  /** Hosts (lower-case names or IPs, optionally `host:port`) reached even on private addresses. */
  allowedHosts: readonly string[];
  /** Budget for one attempt, response included. */
  timeoutMs: number;
  /** Bytes of the response body read at most (the rest is discarded with the connection). */
  maxResponseBytes: number;
  /** Connections kept open per receiver host, so a fast receiver is not paid a TCP handshake per event. */
  maxSockets: number;
}


/**
 * POSTs signed webhook bodies. Hosts outside `allowedHosts` go through the ERP downloader's
 * guarded agents (`isForbiddenAddress` on literals and on every DNS answer, then
 * request-filtering-agent), checked at every delivery, since DNS may change after creation.
 * Redirects are not followed (a 3xx is a failed attempt); at most `maxResponseBytes` of an answer
 * are read; proxy variables are never consulted.
 */
export function createWebhookSender(options: WebhookSenderOptions) {
  const allowed = new Set(options.allowedHosts.map(normalizeHost));
  const guarded = guardedAgents();
  // The guarded agents do not keep connections alive (a checked connection must not be reused
  // after DNS changes); trusted hosts do, which is what a fast receiver in the same network needs.
  const trusted = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: options.maxSockets }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: options.maxSockets }),
  };

  return {
    async send(target: string, headers: Record<string, string>, body: string, signal?: AbortSignal): Promise<SendResult> {
      const started = performance.now();
      const url = new URL(target);
      const protocol = url.protocol as 'http:' | 'https:';
      const agent = (isAllowedHost(url, allowed) ? trusted : guarded)[protocol];
      const abort = new AbortController();
      const onAbort = () => abort.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => abort.abort(), options.timeoutMs);
      const result = (status: number | undefined, error: string | undefined): SendResult => ({
        status,
        latencyMs: Math.round(performance.now() - started),
        error,
      });
      try {
        const status = await post(url, agent, abort.signal, { ...headers, 'content-type': 'application/json', 'user-agent': 'product-media-catalog/webhooks' }, body, options.maxResponseBytes);
        if (status >= 200 && status < 300) return result(status, undefined);
        return result(status, status >= 300 && status < 400 ? 'Redirects are not followed.' : `The receiver answered ${status}.`);
      } catch (error) {
        if (abort.signal.aborted) return result(undefined, `No answer within ${options.timeoutMs} ms.`);
        return result(undefined, connectionFailureReason(error, 'receiver', 'The webhook could not be delivered.'));
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
    },
    close() {
      trusted['http:'].destroy();
      trusted['https:'].destroy();
    },
  };
}

export type WebhookSender = ReturnType<typeof createWebhookSender>;

function post(url: URL, agent: http.Agent, signal: AbortSignal, headers: Record<string, string>, body: string, maxBytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = requestTo(
      url,
      'POST',
      agent,
      signal,
      { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      (response) => {
        const status = response.statusCode ?? 0;
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          // Enough of an answer: the connection is dropped rather than read on.
          if (read > maxBytes) {
            response.destroy();
            resolve(status);
          }
        });
        response.once('end', () => resolve(status));
        response.once('error', (error) => (read > maxBytes ? resolve(status) : reject(error)));
        response.once('close', () => resolve(status));
      },
    );
    outgoing.once('error', reject);
    outgoing.end(body);
  });
}
