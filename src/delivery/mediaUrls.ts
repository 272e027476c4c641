import type { DeliveryConfig } from './deliveryConfig.ts';
import { mediaSigner } from './mediaSignature.ts';

/** The public URL of a stored binary, as both APIs hand it out. */
export type MediaUrl = (key: string) => string;

/**
 * `<MEDIA_BASE_URL>/<key>`; with `MEDIA_ACCESS=signed`, followed by `?expires=…&signature=…`
 * (valid for renditions too: append `&w=320`). `now` gives milliseconds since the epoch.
 */
export function mediaUrls(mediaBaseUrl: string, delivery: Pick<DeliveryConfig, 'access' | 'signingKey' | 'urlTtlSeconds'>, now: () => number = Date.now): MediaUrl {
  if (delivery.access !== 'signed' || delivery.signingKey === undefined) return (key) => `${mediaBaseUrl}/${key}`;
  const signer = mediaSigner(delivery.signingKey, delivery.urlTtlSeconds);
  return (key) => `${mediaBaseUrl}/${key}?${signer.query(key, now())}`;
}
