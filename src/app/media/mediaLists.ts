import { GALLERIES_TABLE, productKeyRange, type GalleryRevision, type MediaStatus } from '../../../projections/gallery.ts';
import type { ReadModelStore } from '../../ports/readModelStore.ts';
import { revisionCache } from './revisionCache.ts';

/** Omnitron `ordering`/`sort` values of the media lists; `-` reverses the whole order, ties included. */
export const MEDIA_ORDERINGS = ['order', '-order', 'pk', '-pk', 'created_date', '-created_date'] as const;
export type MediaOrdering = (typeof MEDIA_ORDERINGS)[number];

export interface MediaFilter {
  productPk?: number;
  /** Any of these products (with `productPk` too: both must hold). */
  productPkIn?: number[];
  /** Sort keys, most significant first (`?ordering=-created_date,pk`). Default `order` (then pk). */
  ordering?: readonly MediaOrdering[];
}

export interface Page {
  offset: number;
  limit: number;
}

export interface ListResult<View> {
  /** Matching media in all pages. */
  count: number;
  items: View[];
}

/** What the lists need of an image or video view. */
interface ListedView {
  pk: number;
  productPk: number;
  order: number;
  status: MediaStatus;
  createdAt: string;
}

/** The tables of one kind of media (images or videos). */
export interface MediaTables {
  views: string;
  /** [productPk, order, pk] → view, live only. */
  byProduct: string;
  /** [order, pk] → productPk, live only. */
  byOrder: string;
}

/**
 * Lists live media of one kind. One product's media, the hottest read, come from a cache of
 * decoded lists checked against the product's gallery revision (one small get per request, none
 * while the store committed nothing since the last check), and
 * are read with one range of the covering `byProduct` index when the revision moved. The whole
 * catalog ordered by `order` is read off `byOrder` with the page's offset and limit, plus one get
 * per item. Any other combination selects the candidates, filters and sorts them in memory.
 */
export function mediaLister<View extends ListedView>(readModels: ReadModelStore, tables: MediaTables, cachedProducts: number) {
  const cache = revisionCache<View>(cachedProducts);

  function list(filter: MediaFilter, page: Page, keep?: (view: View) => boolean): ListResult<View> {
    const ordering = filter.ordering ?? DEFAULT_ORDERING;
    const only = ordering.length === 1 ? ordering[0] : undefined;
    const products = selectedProducts(filter);
    if (keep === undefined && only === 'order' && products?.length === 1) return pageOf(productMedia(products[0]!), page);
    if (keep === undefined && (only === 'order' || only === '-order') && products === undefined) {
      return catalogByOrder(page, only === '-order');
    }
    const candidates = products === undefined ? allLive() : products.flatMap(productMedia);
    const matching = keep === undefined ? candidates : candidates.filter(keep);
    matching.sort(comparator(ordering));
    return pageOf(matching, page);
  }

  /** One product's live media in (order, pk) order; shared and frozen, never to be changed. */
  function productMedia(productPk: number): View[] {
    const changes = readModels.changes();
    const unchanged = cache.unchangedSince(productPk, changes);
    if (unchanged !== undefined) return unchanged;
    const revision = readModels.get<GalleryRevision>(GALLERIES_TABLE, productPk)?.revision;
    if (revision === undefined) return [];
    const cached = cache.get(productPk, revision, changes);
    if (cached !== undefined) return cached;
    const views = readModels.range<View>(tables.byProduct, productKeyRange(productPk)).map((row) => row.value);
    return cache.set(productPk, revision, views, changes);
  }

  function catalogByOrder(page: Page, reverse: boolean): ListResult<View> {
    const rows = readModels.range<number>(tables.byOrder, { reverse, offset: page.offset, limit: page.limit });
    const items: View[] = [];
    for (const { key } of rows) {
      const view = readModels.get<View>(tables.views, (key as readonly [number, number])[1]);
      if (view !== undefined) items.push(view);
    }
    return { count: countOf(rows.length, page, () => readModels.count(tables.byOrder)), items };
  }

  function allLive(): View[] {
    const live: View[] = [];
    for (const { value } of readModels.range<View>(tables.views)) if (value.status === 'live') live.push(value);
    return live;
  }

  return { list, productMedia };
}

/** The page of a list already in order; the list itself when the page covers it (no copy). */
export function pageOf<View>(views: View[], page: Page): ListResult<View> {
  const whole = page.offset === 0 && page.limit >= views.length;
  return { count: views.length, items: whole ? views : views.slice(page.offset, page.offset + page.limit) };
}

/** The products a filter selects; `undefined` for the whole catalog. */
export function selectedProducts(filter: MediaFilter): number[] | undefined {
  const { productPk, productPkIn } = filter;
  if (productPkIn === undefined) return productPk === undefined ? undefined : [productPk];
  if (productPk !== undefined) return productPkIn.includes(productPk) ? [productPk] : [];
  return [...new Set(productPkIn)];
}

/**
 * The total behind a page read with offset and limit. A short, non-empty page (or an empty first
 * page) ends the list, so the total is known without counting the index.
 */
function countOf(got: number, page: Page, count: () => number): number {
  if (got < page.limit && (got > 0 || page.offset === 0)) return page.offset + got;
  return count();
}

const compareNumbers = (a: number, b: number) => a - b;
const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const FIELD_COMPARATORS: Record<string, (a: ListedView, b: ListedView) => number> = {
  order: (a, b) => compareNumbers(a.order, b.order),
  pk: (a, b) => compareNumbers(a.pk, b.pk),
  // ISO-8601 UTC with a fixed number of digits: text order is time order.
  created_date: (a, b) => compareStrings(a.createdAt, b.createdAt),
};

const DEFAULT_ORDERING: readonly MediaOrdering[] = ['order'];

/**
 * Sorts by each key in turn (a leading `-` reverses it), then by pk in the direction of the last
 * key: `-order` is order then pk, both descending.
 */
export function comparator(ordering: readonly MediaOrdering[]): (a: ListedView, b: ListedView) => number {
  const keys = ordering.map((key) => {
    const descending = key.startsWith('-');
    return { byField: FIELD_COMPARATORS[descending ? key.slice(1) : key]!, sign: descending ? -1 : 1 };
  });
  const pkSign = keys.at(-1)?.sign ?? 1;
  return (a, b) => {
    for (const { byField, sign } of keys) {
      const compared = byField(a, b);
      if (compared !== 0) return sign * compared;
    }
    return pkSign * compareNumbers(a.pk, b.pk);
  };
}
