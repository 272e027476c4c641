/**
 * The Content-Security-Policy of the admin page: its own scripts and styles only (no inline
 * code, no eval), API calls to its own origin, images and videos from its own origin and the
 * media origin (a CDN when `MEDIA_BASE_URL` names one), blob: for upload previews. No framing.
 */
export function adminContentSecurityPolicy(mediaBaseUrl: string): string {
  const media = new URL(mediaBaseUrl).origin;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' ${media} blob: data:`,
    `media-src 'self' ${media} blob:`,
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers every admin answer carries. */
export function adminSecurityHeaders(mediaBaseUrl: string): Record<string, string> {
  return {
    'Content-Security-Policy': adminContentSecurityPolicy(mediaBaseUrl),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  };
}
