import type { DomainEvent } from '../decider.ts';

/** A product joined the catalog (stream `product-<pk>`). */
export type ProductRegistered = DomainEvent<
  'ProductRegistered',
  { productPk: number; sku: string; name: string; mediaEnabled: boolean }
>;
/** The product's display name changed. */
export type ProductRenamed = DomainEvent<'ProductRenamed', { productPk: number; name: string; previousName: string }>;
/** The product accepts media again. */
export type ProductMediaEnabled = DomainEvent<'ProductMediaEnabled', { productPk: number }>;
/** The product refuses new media from now on; existing media stay. */
export type ProductMediaDisabled = DomainEvent<'ProductMediaDisabled', { productPk: number }>;

export type ProductEvent = ProductRegistered | ProductRenamed | ProductMediaEnabled | ProductMediaDisabled;

/** A SKU was reserved for a product (stream `productSku-<sku>`): the uniqueness guard. */
export type SkuClaimed = DomainEvent<'SkuClaimed', { sku: string; productPk: number }>;
/** A claim was given up (its product registration failed), so the SKU is free again. */
export type SkuReleased = DomainEvent<'SkuReleased', { sku: string; productPk: number }>;

export type SkuEvent = SkuClaimed | SkuReleased;

/** One integer pk was handed out (stream `pkSequence-<kind>`); the pk is the event's revision + 1. */
export type PkAllocated = DomainEvent<'PkAllocated', { kind: PkKind }>;

export const PK_KINDS = ['product', 'image', 'video', 'webhook'] as const;
export type PkKind = (typeof PK_KINDS)[number];
