import http from 'node:http';
import https from 'node:https';

/** A URL's host as the allow-list and the agents compare it: lower case, IPv6 without brackets. */
export function normalizeHost(host: string): string {
  return host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
}

/** Whether `url`'s host is in `allowedHosts` (normalized names or IPs, or `host:port`). */
export function isAllowedHost(url: URL, allowedHosts: ReadonlySet<string>): boolean {
  const host = normalizeHost(url.hostname);
  return allowedHosts.has(host) || (url.port !== '' && allowedHosts.has(`${host}:${url.port}`));
}

/**
 * Starts a request to `url` through `agent` (always explicit: proxy variables are never
 * consulted), with the host normalized as the agents checked it. The caller writes the body and ends it.
 */
export function requestTo(
  url: URL,
  method: 'GET' | 'POST',
  agent: http.Agent,
  signal: AbortSignal,
  headers: Record<string, string>,
  onResponse: (response: http.IncomingMessage) => void,
): http.ClientRequest {
  const request = url.protocol === 'https:' ? https.request : http.request;
  return request(
    { protocol: url.protocol, hostname: normalizeHost(url.hostname), port: url.port || undefined, path: `${url.pathname}${url.search}`, method, agent, signal, headers },
    onResponse,
  );
}
