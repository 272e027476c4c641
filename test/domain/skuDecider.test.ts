import { suite } from 'uvu';
import { skuDecider, type SkuCommand } from '../../src/domain/product/skuDecider.ts';
import type { SkuEvent } from '../../src/domain/product/productEvents.ts';
import { deciderSpec } from '../support/deciderSpec.ts';

const spec = deciderSpec(skuDecider);
const metadata = { now: '2024-05-25T10:00:00.000000Z' };
const claim = (productPk: number, claimInUse = true): SkuCommand => ({
  type: 'ClaimSku',
  data: { sku: 'ABC', productPk, claimInUse },
  metadata,
});
const claimed = (productPk: number): SkuEvent => ({ type: 'SkuClaimed', data: { sku: 'ABC', productPk } });
const released = (productPk: number): SkuEvent => ({ type: 'SkuReleased', data: { sku: 'ABC', productPk } });

const test = suite('sku decider');

test('claims a free sku', () => {
  spec.given([]).when(claim(1)).then([claimed(1)]);
});

test('refuses a sku held by a registered product', () => {
  spec
    .given([claimed(1)])
    .when(claim(2))
    .thenThrows('SKU_TAKEN', 'product with this sku already exists.', { sku: ['product with this sku already exists.'] });
});

test('takes over a stale claim whose product was never registered', () => {
  spec.given([claimed(1)]).when(claim(2, false)).then([released(1), claimed(2)]);
});

test('treats a repeated claim by the same product as done', () => {
  spec.given([claimed(1)]).when(claim(1)).then([]);
});

test('claims a sku again after it was released', () => {
  spec.given([claimed(1), released(1)]).when(claim(2)).then([claimed(2)]);
});

test('releases only its own claim', () => {
  const release = (productPk: number): SkuCommand => ({ type: 'ReleaseSku', data: { sku: 'ABC', productPk }, metadata });
  spec.given([claimed(1)]).when(release(1)).then([released(1)]);
  spec.given([claimed(1)]).when(release(2)).then([]);
  spec.given([]).when(release(1)).then([]);
});

test.run();
