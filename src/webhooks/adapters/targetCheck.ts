import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { isForbiddenAddress } from '../../adapters/http/forbiddenAddress.ts';
import { ValidationError } from '../../errors/appError.ts';
import { isAllowedHost, normalizeHost } from '../../adapters/http/outboundTarget.ts';

/**
 * Checks a target URL when a subscription is created or changed: http(s) only, with a host, and
 * not resolving to a private, loopback, link-local or special address unless the host is in
 * WEBHOOK_ALLOWED_HOSTS. Deliveries check again at connect time (DNS may change).
 * @throws ValidationError `{"url": [...]}`.
 */
export async function checkWebhookTarget(text: string, allowedHosts: ReadonlySet<string>): Promise<void> {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') throw ValidationError.field('url', 'Enter a valid URL.');
  if (url.username !== '' || url.password !== '') throw ValidationError.field('url', 'The URL may not carry credentials.');
  if (isAllowedHost(url, allowedHosts)) return;
  const host = normalizeHost(url.hostname);
  const refused = ValidationError.field('url', 'The URL resolves to a private address.');
  if (net.isIP(host) !== 0) {
    if (isForbiddenAddress(host)) throw refused;
    return;
  }
  let answers: { address: string }[];
  try {
    answers = await lookup(host, { all: true, verbatim: true });
  } catch {
    throw ValidationError.field('url', 'The host name could not be resolved.');
  }
  if (answers.some((answer) => isForbiddenAddress(answer.address))) throw refused;
}
