import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Expiring HMAC-SHA256 signatures of media URLs (`MEDIA_ACCESS=signed`). A signature covers the
 * object key and the expiry, not the rendition parameters: one signed URL of an image serves
 * every rendition of it.
 */
export interface MediaSigner {
  /** `?expires=…&signature=…` for `key`, valid for at least the configured lifetime. */
  query(key: string, nowMs: number): string;
  /** Whether the signature is this service's for `key` and has not expired. */
  verify(key: string, expires: string, signature: string, nowMs: number): 'valid' | 'expired' | 'invalid';
}

export function mediaSigner(secret: string, ttlSeconds: number): MediaSigner {
  const sign = (key: string, expires: string) => createHmac('sha256', secret).update(`${key}\n${expires}`).digest('base64url');
  // Expiries are rounded up to a step, so the URL of an image stays the same for a while and
  // browsers and CDNs can keep it: each URL is valid for between ttl and ttl + step seconds.
  const step = Math.max(60, Math.floor(ttlSeconds / 4));
  return {
    query(key, nowMs) {
      const expires = String(Math.ceil((Math.floor(nowMs / 1000) + ttlSeconds) / step) * step);
      return `expires=${expires}&signature=${sign(key, expires)}`;
    },
    verify(key, expires, signature, nowMs) {
      const expected = Buffer.from(sign(key, expires));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
      return Number(expires) * 1000 > nowMs ? 'valid' : 'expired';
    },
  };
}
