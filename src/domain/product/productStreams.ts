import type { PkKind } from './productEvents.ts';

/** Stream of one product's registry facts. */
export const productStream = (productPk: number): string => `product-${productPk}`;

/**
 * Stream that guards the uniqueness of one SKU. The SKU is URI-encoded so that any character a
 * client sends yields a valid, unambiguous stream name.
 */
export const productSkuStream = (sku: string): string => `productSku-${encodeURIComponent(sku)}`;

/** Stream whose revisions are the integer pks of one kind (pk = revision + 1). */
export const pkSequenceStream = (kind: PkKind): string => `pkSequence-${kind}`;

export const PRODUCT_STREAM_PREFIX = 'product-';
