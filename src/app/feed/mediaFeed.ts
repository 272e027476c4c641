import type { EventMetadata } from '../../domain/eventMetadata.ts';
import { PRODUCT_MEDIA_CATEGORY } from '../../domain/gallery/galleryStream.ts';
import type { EventStore, Position, RecordedEvent } from '../../ports/eventStore.ts';

/** The streams the downstream feed carries: every gallery (`productMedia-<pk>`). */
export const FEED_STREAM_PREFIXES = [`${PRODUCT_MEDIA_CATEGORY}-`] as const;

/** One event as downstream services receive it (JSON pages and SSE `data:` alike). */
export interface FeedEntry {
  /** Opaque, ordered: the cursor to resume after this event. */
  position: Position;
  stream: string;
  revision: number;
  type: string;
  data: unknown;
  metadata: {
    occurred_at: string;
    actor: string;
    api: string;
    correlation_id: string;
    causation_id: string;
    schema_version: number;
  };
  product: number | null;
  sku: string | null;
}

/** Which events a consumer wants; every field is optional (all gallery events). */
export interface FeedFilter {
  productPks?: ReadonlySet<number>;
  types?: ReadonlySet<string>;
}

/** The product pk of a gallery stream name, `null` for other streams. */
export function productPkOfStream(streamName: string): number | null {
  const prefix = FEED_STREAM_PREFIXES[0];
  if (!streamName.startsWith(prefix)) return null;
  const pk = Number(streamName.slice(prefix.length));
  return Number.isSafeInteger(pk) ? pk : null;
}

export function isFeedEvent(event: RecordedEvent, filter: FeedFilter): boolean {
  if (!FEED_STREAM_PREFIXES.some((prefix) => event.streamName.startsWith(prefix))) return false;
  if (filter.types !== undefined && !filter.types.has(event.type)) return false;
  if (filter.productPks === undefined) return true;
  const productPk = productPkOfStream(event.streamName);
  return productPk !== null && filter.productPks.has(productPk);
}

/** A recorded event (already upcast to its current version) as a feed entry. */
export function feedEntry(event: RecordedEvent, skuOf: (productPk: number) => string | undefined): FeedEntry {
  const metadata = event.metadata as EventMetadata;
  const product = productPkOfStream(event.streamName);
  return {
    position: event.position,
    stream: event.streamName,
    revision: event.revision,
    type: event.type,
    data: event.data,
    metadata: {
      occurred_at: metadata.occurredAt,
      actor: metadata.actor,
      api: metadata.api,
      correlation_id: metadata.correlationId,
      causation_id: metadata.causationId,
      schema_version: metadata.schemaVersion,
    },
    product,
    sku: product === null ? null : (skuOf(product) ?? null),
  };
}

export interface FeedPage {
  entries: RecordedEvent[];
  /** Where the next page starts (exclusive): the last event read, even one the filter skipped. */
  cursor: Position | undefined;
  /** Whether the log ended inside this page (a consumer polls again later). */
  reachedEnd: boolean;
}

const SCAN_BATCH = 1_000;
const MAX_SCANNED = 50_000;

/**
 * A page of the feed in commit order, strictly after `after` (the start when undefined), read
 * from `$all` with the port's own readAll, so it works on either event store. A page scans at
 * most {@link MAX_SCANNED} events of the log: a filter that skips many answers a short page with
 * a cursor further on rather than holding the request.
 * @throws AppError `INVALID_POSITION` for a cursor this store never produced.
 */
export async function readFeedPage(eventStore: EventStore, after: Position | undefined, limit: number, filter: FeedFilter): Promise<FeedPage> {
  const entries: RecordedEvent[] = [];
  // A small page reads little more than it returns (many SSE replays read at once); a filter
  // that skips most events still scans in batches of up to SCAN_BATCH.
  const scanBatch = Math.min(SCAN_BATCH, Math.max(64, limit));
  let cursor = after;
  let scanned = 0;
  while (entries.length < limit && scanned < MAX_SCANNED) {
    const batch = await eventStore.readAll({ ...(cursor === undefined ? {} : { fromPosition: cursor }), maxCount: scanBatch + 1 });
    // readAll forwards from P includes P: the event at the cursor was delivered already.
    const fresh = cursor === undefined ? batch : batch.filter((event) => event.position > cursor!);
    for (const event of fresh) {
      scanned++;
      cursor = event.position;
      if (isFeedEvent(event, filter)) {
        entries.push(event);
        if (entries.length >= limit) return { entries, cursor, reachedEnd: false };
      }
    }
    if (batch.length < scanBatch + 1) return { entries, cursor, reachedEnd: true };
  }
  return { entries, cursor, reachedEnd: false };
}
