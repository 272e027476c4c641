import { suite } from 'uvu';
import { productDecider, type ProductCommand } from '../../src/domain/product/productDecider.ts';
import type { ProductEvent } from '../../src/domain/product/productEvents.ts';
import { deciderSpec } from '../support/deciderSpec.ts';

const spec = deciderSpec(productDecider);
const metadata = { now: '2024-05-25T10:00:00.000000Z' };
const registered: ProductEvent = {
  type: 'ProductRegistered',
  data: { productPk: 7, sku: 'SKU-7', name: 'Lamp', mediaEnabled: true },
};
const register: ProductCommand = {
  type: 'RegisterProduct',
  data: { productPk: 7, sku: 'SKU-7', name: 'Lamp', mediaEnabled: true },
  metadata,
};
const change = (data: { name?: string; mediaEnabled?: boolean }): ProductCommand => ({
  type: 'ChangeProductDetails',
  data,
  metadata,
});

const test = suite('product decider');

test('registers a product on an empty stream', () => {
  spec.given([]).when(register).then([registered]);
});

test('refuses to register a pk twice', () => {
  spec
    .given([registered])
    .when(register)
    .thenThrows('PRODUCT_PK_TAKEN', 'product with this pk already exists.', {
      pk: ['product with this pk already exists.'],
    });
});

test('renames with the previous name recorded', () => {
  spec
    .given([registered])
    .when(change({ name: 'Desk lamp' }))
    .then([{ type: 'ProductRenamed', data: { productPk: 7, name: 'Desk lamp', previousName: 'Lamp' } }]);
});

test('disables and re-enables media', () => {
  spec.given([registered]).when(change({ mediaEnabled: false })).then([
    { type: 'ProductMediaDisabled', data: { productPk: 7 } },
  ]);
  spec
    .given([registered, { type: 'ProductMediaDisabled', data: { productPk: 7 } }])
    .when(change({ mediaEnabled: true }))
    .then([{ type: 'ProductMediaEnabled', data: { productPk: 7 } }]);
});

test('emits nothing when the details do not change', () => {
  spec.given([registered]).when(change({ name: 'Lamp', mediaEnabled: true })).then([]);
});

test('refuses to change a product that does not exist', () => {
  spec.given([]).when(change({ name: 'x' })).thenThrows('NOT_FOUND', 'Not found.');
});

test('decides against the name and media flag of the latest events', () => {
  const renamed: ProductEvent = { type: 'ProductRenamed', data: { productPk: 7, name: 'Desk lamp', previousName: 'Lamp' } };
  spec.given([registered, renamed]).when(change({ name: 'Desk lamp' })).then([]);
  spec.given([registered, renamed]).when(change({ name: 'Lamp' })).then([
    { type: 'ProductRenamed', data: { productPk: 7, name: 'Lamp', previousName: 'Desk lamp' } },
  ]);
  const reEnabled: ProductEvent[] = [registered, { type: 'ProductMediaDisabled', data: { productPk: 7 } }, { type: 'ProductMediaEnabled', data: { productPk: 7 } }];
  spec.given(reEnabled).when(change({ mediaEnabled: true })).then([]);
  spec.given(reEnabled).when(change({ mediaEnabled: false })).then([{ type: 'ProductMediaDisabled', data: { productPk: 7 } }]);
});

test.run();
