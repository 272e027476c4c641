import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hasUpcasters, upcast } from '../../src/domain/upcasters.ts';

/** Stored payloads read at the catalog's current schema version (ImageRestored is at v2). */

test('an ImageRestored v1 payload gains the product pk of its stream', () => {
  assert.equal(upcast('ImageRestored', 1, { streamName: 'productMedia-16201', data: { imagePk: 7 } }), {
    data: { imagePk: 7, productPk: 16201 },
    schemaVersion: 2,
  });
});

test('a payload stored without a version counts as v1', () => {
  assert.equal(upcast('ImageRestored', undefined, { streamName: 'productMedia-5', data: { imagePk: 3 } }), {
    data: { imagePk: 3, productPk: 5 },
    schemaVersion: 2,
  });
});

test('a current payload, a newer one and one of a type without upcasters pass untouched', () => {
  const data = { imagePk: 7, productPk: 42 };
  const current = upcast('ImageRestored', 2, { streamName: 'productMedia-42', data });
  assert.is(current.data, data);
  assert.is(current.schemaVersion, 2);
  const newer = upcast('ImageRestored', 3, { streamName: 'productMedia-42', data });
  assert.is(newer.data, data);
  assert.is(newer.schemaVersion, 3, 'a version written by a newer instance is kept');
  const uncatalogued = upcast('SomethingElse', 1, { streamName: 'x-1', data });
  assert.is(uncatalogued.data, data);
  assert.is(uncatalogued.schemaVersion, 1);
  const notUpcast = upcast('ImageUploaded', 1, { streamName: 'productMedia-42', data });
  assert.equal([notUpcast.data, notUpcast.schemaVersion], [data, 1]);
});

test('a missing step is a bug: upcast names it', () => {
  assert.throws(() => upcast('ImageRestored', 0, { streamName: 'productMedia-1', data: {} }), (error: Error) => error.message === 'No upcaster for ImageRestored v0');
});

test('hasUpcasters tells the types with upcasters', () => {
  assert.ok(hasUpcasters('ImageRestored'));
  assert.not.ok(hasUpcasters('ImageUploaded'));
  assert.not.ok(hasUpcasters('toString'));
});

test.run();
