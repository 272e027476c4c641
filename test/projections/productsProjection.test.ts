import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PRODUCTS_BY_SKU_TABLE, PRODUCTS_TABLE, productsProjection, type ProductView } from '../../projections/products.ts';
import { memoryReadModel, project, recorded } from '../support/projectionSpec.ts';

const test = suite('products projection');

const registered = recorded('product-5', 0, 'ProductRegistered', { productPk: 5, sku: 'S5', name: 'Lamp', mediaEnabled: true }, '2024-05-25T10:00:00.000001Z');
const renamed = recorded('product-5', 1, 'ProductRenamed', { productPk: 5, name: 'Desk lamp', previousName: 'Lamp' }, '2024-05-25T11:00:00.000002Z');
const disabled = recorded('product-5', 2, 'ProductMediaDisabled', { productPk: 5 }, '2024-05-25T12:00:00.000003Z');

test('builds the product view and the SKU index', () => {
  const model = project(productsProjection, [registered, renamed, disabled]);
  const view = model.tx.get<ProductView>(PRODUCTS_TABLE, 5);
  assert.equal(view, {
    pk: 5,
    sku: 'S5',
    name: 'Desk lamp',
    mediaEnabled: false,
    createdAt: '2024-05-25T10:00:00.000001Z',
    modifiedAt: '2024-05-25T12:00:00.000003Z',
    revision: 2,
  });
  assert.is(model.tx.get(PRODUCTS_BY_SKU_TABLE, 'S5'), 5);
});

test('applying the same event twice changes nothing', () => {
  const once = project(productsProjection, [registered, renamed]);
  const twice = project(productsProjection, [registered, renamed, renamed, registered]);
  assert.is(twice.snapshot(), once.snapshot());
});

test('an event for an unknown product is ignored rather than inventing one', () => {
  const model = memoryReadModel();
  productsProjection.apply(model.tx, renamed);
  assert.is(model.tx.get(PRODUCTS_TABLE, 5), undefined);
});

test('ProductMediaEnabled turns media back on', () => {
  const enabled = recorded('product-5', 3, 'ProductMediaEnabled', { productPk: 5 }, '2024-05-25T13:00:00.000004Z');
  const view = project(productsProjection, [registered, renamed, disabled, enabled]).tx.get<ProductView>(PRODUCTS_TABLE, 5);
  assert.equal([view?.mediaEnabled, view?.modifiedAt, view?.revision], [true, '2024-05-25T13:00:00.000004Z', 3]);
});

test.run();
