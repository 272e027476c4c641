import Router from '@koa/router';
import { feedEntry, readFeedPage } from '../../app/feed/mediaFeed.ts';
import type { ProductQueries } from '../../app/products/productQueries.ts';
import type { EventStore } from '../../ports/eventStore.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../drf/pagination.ts';
import { DEFAULT_EVENT_STREAM_OPTIONS, sharedFrames, streamEvents, type EventStreamOptions } from './eventStreamResponse.ts';
import { parseCursor, parseFeedFilter } from './feedRequests.ts';
import { queryParams } from '../drf/queryParams.ts';

export interface MediaEventsRoutesDeps {
  eventStore: EventStore;
  products: ProductQueries;
  publicBaseUrl: string;
  stream?: Partial<EventStreamOptions>;
}

/**
 * The downstream event feed, independent of the event store engine:
 * `GET /api/v1/media_events/?after=<position>&limit=` (JSON pages in commit order with the next
 * cursor) and `GET /api/v1/media_events/stream` (Server-Sent Events, resumable).
 */
export function mediaEventsRoutes(deps: MediaEventsRoutesDeps) {
  const router = new Router({ prefix: '/api/v1/media_events' });
  const options = { ...DEFAULT_EVENT_STREAM_OPTIONS, ...deps.stream };
  const skuOf = (productPk: number) => deps.products.get(productPk)?.sku;
  const open = new Set<() => void>();
  const frameOf = sharedFrames(skuOf);

  router.get('/', async (ctx) => {
    const query = queryParams(ctx.querystring);
    const filter = parseFeedFilter(query, deps.products);
    const after = await parseCursor(deps.eventStore, query.get('after') ?? undefined);
    const limitText = query.get('limit');
    const limit = limitText !== null && /^\d+$/.test(limitText) && Number(limitText) > 0 ? Math.min(Number(limitText), MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
    const page = await readFeedPage(deps.eventStore, after, limit, filter);
    const cursor = page.cursor ?? null;
    const nextUrl = new URL(ctx.url, deps.publicBaseUrl);
    if (cursor !== null) nextUrl.searchParams.set('after', cursor);
    ctx.body = {
      count: page.entries.length,
      // A full page may have more behind it; at the end of the log, poll `cursor` later.
      next: page.reachedEnd || cursor === null ? null : nextUrl.toString(),
      cursor,
      results: page.entries.map((event) => feedEntry(event, skuOf)),
    };
  });

  router.get('/stream', async (ctx) => {
    const query = queryParams(ctx.querystring);
    const filter = parseFeedFilter(query, deps.products);
    const lastEventId = ctx.get('last-event-id');
    const after = lastEventId !== ''
      ? await parseCursor(deps.eventStore, lastEventId, 'Last-Event-ID')
      : await parseCursor(deps.eventStore, query.get('after') ?? undefined);
    ctx.respond = false;
    const end = streamEvents(ctx.res, { eventStore: deps.eventStore, frameOf }, { after, filter }, options);
    open.add(end);
    ctx.res.once('close', () => open.delete(end));
  });

  return {
    router,
    /** Clients following the feed now (metrics). */
    consumers: () => open.size,
    /** Ends every open event stream (a graceful stop would otherwise wait for them). */
    closeStreams: () => {
      for (const end of open) end();
      open.clear();
    },
  };
}
