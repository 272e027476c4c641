import { PRODUCTS_BY_SKU_TABLE, PRODUCTS_TABLE, type ProductView } from '../../../projections/products.ts';
import type { ReadModelStore } from '../../ports/readModelStore.ts';

export interface ProductFilter {
  sku?: string;
  pkIn?: number[];
}

/** SKU answers kept between two commits of the read models. */
const MAX_REMEMBERED_SKUS = 10_000;
const MAX_REMEMBERED_PKS = 100_000;

/** Reads products from the `products` read model. */
export function productQueries(readModels: ReadModelStore) {
  const get = (pk: number) => readModels.get<ProductView>(PRODUCTS_TABLE, pk);

  function list(filter: ProductFilter, page: { offset: number; limit: number }): { count: number; items: ProductView[] } {
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
