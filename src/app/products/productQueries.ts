import { PRODUCTS_BY_SKU_TABLE, PRODUCTS_TABLE, type ProductView } from '../../../projections/products.ts';
import type { ReadModelStore } from '../../ports/readModelStore.ts';

export interface ProductFilter {
  sku?: string;
  pkIn?: number[];
  /** Case-insensitive part of the SKU or the name (the admin's search as you type). */
  search?: string;
}

/**
 * Products a search reads at most by name: a name has no index, so a search looks through this
 * many products (in pk order) and no more; SKUs that start with the term are found in the SKU
 * index wherever they are.
 */
export const MAX_SEARCH_SCAN = 10_000;
/** SKU-index entries a search takes at most. */
const MAX_SKU_PREFIX_MATCHES = 100;

/** SKU answers kept between two commits of the read models. */
const MAX_REMEMBERED_SKUS = 10_000;
const MAX_REMEMBERED_PKS = 100_000;

/** Reads products from the `products` read model. */
export function productQueries(readModels: ReadModelStore) {
  const get = (pk: number) => readModels.get<ProductView>(PRODUCTS_TABLE, pk);

  // What a search looks through: the first MAX_SEARCH_SCAN products as lower-case text, read
  // once and kept while the read models commit nothing (the store's change count says when).
  let searchable: { at: number; rows: Array<{ pk: number; text: string }> } | undefined;
  const searchRows = () => {
    const at = readModels.changes();
    if (searchable?.at !== at) {
      const rows = readModels.range<ProductView>(PRODUCTS_TABLE, { limit: MAX_SEARCH_SCAN }).map(({ value }) => ({ pk: value.pk, text: `${value.sku}\u0000${value.name}`.toLowerCase() }));
      searchable = { at, rows };
    }
    return searchable.rows;
  };

  function search(term: string): ProductView[] {
    const needle = term.toLowerCase();
    const pks = new Set<number>();
    for (const { value: pk } of readModels.range<number>(PRODUCTS_BY_SKU_TABLE, { start: term, end: `${term}\u{10FFFF}`, limit: MAX_SKU_PREFIX_MATCHES })) pks.add(pk);
    for (const row of searchRows()) if (row.text.includes(needle)) pks.add(row.pk);
    return [...pks].sort((a, b) => a - b).map(get).filter((view): view is ProductView => view !== undefined);
  }

  function list(filter: ProductFilter, page: { offset: number; limit: number }): { count: number; items: ProductView[] } {
    if (filter.search !== undefined) {
      const matching = search(filter.search).filter((view) => (filter.sku === undefined || view.sku === filter.sku) && (filter.pkIn === undefined || filter.pkIn.includes(view.pk)));
      return { count: matching.length, items: matching.slice(page.offset, page.offset + page.limit) };
    }
    if (filter.sku === undefined && filter.pkIn === undefined) {
      const count = readModels.count(PRODUCTS_TABLE);
      const items = readModels.range<ProductView>(PRODUCTS_TABLE, page).map((entry) => entry.value);
      return { count, items };
    }
    // Filtered lists are small (one SKU, or pks a URL can carry): select, then page in memory.
    const skuPk = filter.sku === undefined ? undefined : readModels.get<number>(PRODUCTS_BY_SKU_TABLE, filter.sku);
    const candidates = filter.sku === undefined ? [...new Set(filter.pkIn)] : skuPk === undefined ? [] : [skuPk];
    const matching = candidates
      .filter((pk) => filter.pkIn === undefined || filter.pkIn.includes(pk))
      .sort((a, b) => a - b)
      .map(get)
      .filter((view): view is ProductView => view !== undefined);
    return { count: matching.length, items: matching.slice(page.offset, page.offset + page.limit) };
  }

  // SKU lookups (every JSON-RPC call names its product by SKU) are answered from memory while the
  // read models commit nothing: the store's change count says when the answers may be stale.
  const bySkuAnswers = new Map<string, ProductView | undefined>();
  let answersAt = readModels.changes();

  /** The product with this SKU (exact match), from the SKU index. Frozen: never change it. */
  const bySku = (sku: string): ProductView | undefined => {
    const changes = readModels.changes();
    if (changes !== answersAt || bySkuAnswers.size >= MAX_REMEMBERED_SKUS) {
      bySkuAnswers.clear();
      answersAt = changes;
    }
    if (bySkuAnswers.has(sku)) return bySkuAnswers.get(sku);
    const pk = readModels.get<number>(PRODUCTS_BY_SKU_TABLE, sku);
    const view = pk === undefined ? undefined : get(pk);
    bySkuAnswers.set(sku, view === undefined ? undefined : Object.freeze(view));
    return view;
  };

  // Products are never deleted and pks never reused: a pk once found stays a product, so the
  // filters of the hot list requests (`?product=<pk>`) ask the store only the first time.
  const knownPks = new Set<number>();
  /** Whether `pk` names a product. */
  const exists = (pk: number): boolean => {
    if (knownPks.has(pk)) return true;
    if (get(pk) === undefined) return false;
    if (knownPks.size >= MAX_REMEMBERED_PKS) knownPks.clear();
    knownPks.add(pk);
    return true;
  };

  return { get, bySku, list, exists };
}

export type ProductQueries = ReturnType<typeof productQueries>;
