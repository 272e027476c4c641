import type { RecordedEvent } from '../src/ports/eventStore.ts';
import type { Projection, ReadModelTx } from '../src/ports/readModelStore.ts';
import type { EventMetadata } from '../src/domain/eventMetadata.ts';
import type { ProductEvent } from '../src/domain/product/productEvents.ts';
import { PRODUCT_STREAM_PREFIX } from '../src/domain/product/productStreams.ts';

/** One product as the APIs read it. */
export interface ProductView {
  pk: number;
  sku: string;
  name: string;
  mediaEnabled: boolean;
  createdAt: string;
  modifiedAt: string;
  /** Revision of `product-<pk>` this view includes (ETag, idempotent replays). */
  revision: number;
}

export const PRODUCTS_TABLE = 'products';
export const PRODUCTS_BY_SKU_TABLE = 'productsBySku';

/** Products by pk, and a SKU index. Fed by the `product-<pk>` streams. */
export const productsProjection: Projection = {
  name: 'products',
  version: 1,
  tables: [PRODUCTS_TABLE, PRODUCTS_BY_SKU_TABLE],
  streamNamePrefixes: [PRODUCT_STREAM_PREFIX],
  apply(tx: ReadModelTx, recorded: RecordedEvent) {
    const event = { type: recorded.type, data: recorded.data } as ProductEvent;
    const { occurredAt } = recorded.metadata as EventMetadata;
    const pk = event.data.productPk;
    const view = tx.get<ProductView>(PRODUCTS_TABLE, pk);
    // The same event twice (or an older one) changes nothing.
    if (view && view.revision >= recorded.revision) return;

    if (event.type === 'ProductRegistered') {
      const { sku, name, mediaEnabled } = event.data;
      const created: ProductView = { pk, sku, name, mediaEnabled, createdAt: occurredAt, modifiedAt: occurredAt, revision: recorded.revision };
      tx.put(PRODUCTS_TABLE, pk, created);
      tx.put(PRODUCTS_BY_SKU_TABLE, sku, pk);
      return;
    }
    if (!view) return;
    const touched = { modifiedAt: occurredAt, revision: recorded.revision };
    switch (event.type) {
      case 'ProductRenamed':
        return tx.put(PRODUCTS_TABLE, pk, { ...view, ...touched, name: event.data.name });
      case 'ProductMediaEnabled':
        return tx.put(PRODUCTS_TABLE, pk, { ...view, ...touched, mediaEnabled: true });
      case 'ProductMediaDisabled':
        return tx.put(PRODUCTS_TABLE, pk, { ...view, ...touched, mediaEnabled: false });
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  },
};
