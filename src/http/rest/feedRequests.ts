import type { FeedFilter } from '../../app/feed/mediaFeed.ts';
import type { ProductQueries } from '../../app/products/productQueries.ts';
import { EVENT_CATALOG } from '../../domain/events.ts';
import { isAppError, ValidationError } from '../../errors/appError.ts';
import type { EventStore, Position } from '../../ports/eventStore.ts';
import { MESSAGES } from '../drf/serializerFields.ts';

const FEED_EVENT_TYPES: readonly string[] = EVENT_CATALOG.filter((entry) => entry.category === 'productMedia').map((entry) => entry.type);
const INVALID_CURSOR = 'Invalid cursor.';

/**
 * `product` and `sku` (comma lists) and `type` (comma list of event types) of the feed
 * endpoints. A SKU is turned into its product pk through the products read model.
 * @throws ValidationError (DRF 400) for a malformed pk, an unknown SKU or event type.
 */
export function parseFeedFilter(query: URLSearchParams, products: ProductQueries): FeedFilter {
  const filter: { productPks?: Set<number>; types?: Set<string> } = {};
  const list = (name: string) => (query.get(name) ?? '').split(',').map((part) => part.trim()).filter((part) => part !== '');
  const pks = list('product');
  if (pks.some((pk) => !/^\d{1,15}$/.test(pk))) throw ValidationError.field('product', 'Enter a whole number.');
  const skus = list('sku');
  const skuPks = skus.map((sku) => {
    const product = products.bySku(sku);
    if (!product) throw ValidationError.field('sku', MESSAGES.notAvailableChoice(sku));
    return product.pk;
  });
  if (pks.length + skus.length > 0) filter.productPks = new Set([...pks.map(Number), ...skuPks]);
  const types = list('type');
  const unknown = types.find((type) => !FEED_EVENT_TYPES.includes(type));
  if (unknown !== undefined) throw ValidationError.field('type', MESSAGES.notAvailableChoice(unknown));
  if (types.length > 0) filter.types = new Set(types);
  return filter;
}

/**
 * The cursor a consumer resumes after: `Last-Event-ID` (SSE reconnects) or `?after=`; `0` or
 * nothing is the start of the log. Checked against the store (positions are opaque and each
 * engine writes its own), so a cursor of another store or a typo is a DRF 400, never a 500.
 */
export async function parseCursor(eventStore: EventStore, text: string | undefined, field = 'after'): Promise<Position | undefined> {
  const value = text?.trim() ?? '';
  if (value === '' || value === '0') return undefined;
  if (!/^[0-9a-f]{1,64}$/.test(value)) throw ValidationError.field(field, INVALID_CURSOR);
  try {
    await eventStore.readAll({ fromPosition: value as Position, maxCount: 1 });
  } catch (error) {
    if (isAppError(error) && error.status === 400) throw ValidationError.field(field, INVALID_CURSOR);
    throw error;
  }
  return value as Position;
}
