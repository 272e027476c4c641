import type Router from '@koa/router';
import { pathPk } from './pathPk.ts';
import type { Context } from 'koa';
import type { HistoryEntry, HistoryFilter, HistorySubject, MediaHistory } from '../../app/history/mediaHistory.ts';
import type { GalleryQueries } from '../../app/media/galleryQueries.ts';
import type { ProductQueries } from '../../app/products/productQueries.ts';
import { EVENT_CATALOG } from '../../domain/events.ts';
import { NotFoundError, ValidationError } from '../../errors/appError.ts';
import { parsePageRequest, resolvePage, toPage } from '../drf/pagination.ts';
import { parseInstant } from './timeTravelQuery.ts';
import { queryParams } from '../drf/queryParams.ts';
import { CHANGE_KEYS } from '../../app/history/eventChanges.ts';
import { MESSAGES } from '../drf/serializerFields.ts';

export interface HistoryRoutesDeps {
  history: MediaHistory;
  gallery: GalleryQueries;
  products: ProductQueries;
  publicBaseUrl: string;
}

const GALLERY_EVENT_TYPES: readonly string[] = EVENT_CATALOG.filter((entry) => entry.category === 'productMedia').map((entry) => entry.type);
const HISTORY_ORDERINGS = ['occurred_at', '-occurred_at'];

/** The REST representation of a history entry. */
export function representHistoryEntry(entry: HistoryEntry) {
  return {
    position: entry.position,
    revision: entry.revision,
    event: entry.type,
    occurred_at: entry.occurredAt,
    actor: entry.actor,
    api: entry.api,
    correlation_id: entry.correlationId,
    image: entry.imagePk,
    video: entry.videoPk,
    changes: entry.changes,
  };
}

/** The routers of the resources whose history is served (their prefixes: see below). */
export interface HistoryRouters {
  /** `/api/v1/product_image` */
  images: Router;
  /** `/api/v1/product_video` */
  videos: Router;
  /** `/api/v1/products` */
  products: Router;
}

/**
 * The audit trail: `GET /api/v1/product_image/<pk>/history/`, `/product_video/<pk>/history/`
 * (deleted media included) and `/products/<pk>/media_history/`. DRF pages, oldest first.
 * The routes join the resources' own routers: a router of its own on `/api/v1` would be asked
 * about every API request (see routeByPrefix in app.ts).
 */
export function addHistoryRoutes(routers: HistoryRouters, deps: HistoryRoutesDeps): void {
  const answer = async (ctx: Context, subject: HistorySubject) => {
    const query = queryParams(ctx.querystring);
    const requested = parsePageRequest(query);
    const entries = await deps.history(subject, parseHistoryFilter(query));
    const page = resolvePage(requested, () => entries.length);
    const results = entries.slice(page.offset, page.offset + page.limit).map(representHistoryEntry);
    ctx.body = toPage(results, entries.length, page, new URL(ctx.url, deps.publicBaseUrl));
  };

  routers.images.get('/:pk/history', async (ctx) => {
    const image = deps.gallery.image(pathPk(ctx), { includeDeleted: true });
    if (!image) throw new NotFoundError();
    await answer(ctx, { productPk: image.productPk, imagePk: image.pk });
  });

  routers.videos.get('/:pk/history', async (ctx) => {
    const video = deps.gallery.video(pathPk(ctx), { includeDeleted: true });
    if (!video) throw new NotFoundError();
    await answer(ctx, { productPk: video.productPk, videoPk: video.pk });
  });

  routers.products.get('/:pk/media_history', async (ctx) => {
    const product = deps.products.get(pathPk(ctx));
    if (!product) throw new NotFoundError();
    await answer(ctx, { productPk: product.pk });
  });
}

/** `event` (comma list), `occurred_after`, `occurred_before`, `changed`, `ordering`: bad values are DRF 400s. */
export function parseHistoryFilter(query: URLSearchParams): HistoryFilter {
  const filter: HistoryFilter = {};
  const event = query.get('event');
  if (event !== null && event !== '') {
    const types = event.split(',').map((type) => type.trim());
    const unknown = types.find((type) => !GALLERY_EVENT_TYPES.includes(type));
    if (unknown !== undefined) throw ValidationError.field('event', MESSAGES.notAvailableChoice(unknown));
    filter.types = types;
  }
  const after = query.get('occurred_after');
  if (after !== null && after !== '') filter.occurredAfter = parseInstant(after, 'occurred_after');
  const before = query.get('occurred_before');
  if (before !== null && before !== '') filter.occurredBefore = parseInstant(before, 'occurred_before');
  const changed = query.get('changed');
  if (changed !== null && changed !== '') {
    if (!CHANGE_KEYS.includes(changed)) throw ValidationError.field('changed', MESSAGES.notAvailableChoice(changed));
    filter.changed = changed;
  }
  const ordering = query.get('ordering') ?? query.get('sort');
  if (ordering !== null && ordering !== '') {
    if (!HISTORY_ORDERINGS.includes(ordering)) throw ValidationError.field('ordering', MESSAGES.notAvailableChoice(ordering));
    filter.newestFirst = ordering === '-occurred_at';
  }
  return filter;
}
