import { FORBIDDEN_ADDRESS } from './guardedAgents.ts';

/** request-filtering-agent's refusal of a private address (it has no error code). */
const BLOCKED_ADDRESS = /is not allowed\. Because/;

/**
 * Why an outbound request failed, in words for the client: `peer` names the other side ("server",
 * "receiver"), `fallback` is said when the error is none of the known ones.
 */
export function connectionFailureReason(error: unknown, peer: string, fallback: string): string {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if (code === FORBIDDEN_ADDRESS || BLOCKED_ADDRESS.test(message ?? '')) return 'The URL resolves to a private address.';
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'The host name could not be resolved.';
    case 'ECONNREFUSED':
      return `The ${peer} refused the connection.`;
    case 'ECONNRESET':
    case 'ERR_STREAM_PREMATURE_CLOSE':
      return `The ${peer} closed the connection.`;
    default:
      return code?.startsWith('ERR_TLS') || code?.includes('CERT') ? `The ${peer}'s TLS certificate was refused.` : fallback;
  }
}
