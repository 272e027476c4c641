import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { galleryProjection } from '../../projections/gallery.ts';
import { galleryFilesProjection } from '../../projections/galleryFiles.ts';
import { productsProjection } from '../../projections/products.ts';
import { settingsProjection } from '../../projections/settings.ts';
import { productMediaStream } from '../../src/domain/gallery/galleryStream.ts';
import type { Projection } from '../../src/ports/readModelStore.ts';
import { imageDeleted, imageUploaded, videoUploaded } from '../domain/galleryFixtures.ts';
import { project, recorded } from '../support/projectionSpec.ts';

/**
 * What the read-model store relies on: a projection's name keys its checkpoint and its tables
 * are what a rebuild empties, in one namespace shared by every projection.
 */

const PROJECTIONS: readonly Projection[] = [productsProjection, galleryProjection, settingsProjection, galleryFilesProjection];

/** A history that makes each projection use every table it has. */
const HISTORIES = new Map<Projection, ReturnType<typeof recorded>[]>([
  [productsProjection, [recorded('product-5', 0, 'ProductRegistered', { productPk: 5, sku: 'S5', name: 'n', mediaEnabled: true })]],
  [settingsProjection, [recorded('settings', 0, 'SettingChanged', { key: 'MAX_IMAGE_DIMENSIONS', value: { WIDTH: 9, HEIGHT: 9 }, previousValue: { WIDTH: 2000, HEIGHT: 2000 } })]],
  [galleryFilesProjection, [recorded(productMediaStream(5), 0, 'ImageUploaded', imageUploaded(5, 1).data)]],
  [
    galleryProjection,
    [imageUploaded(5, 1), imageUploaded(5, 2), imageDeleted(5, 2), videoUploaded(5, 3)].map((event, revision) =>
      recorded(productMediaStream(5), revision, event.type, event.data),
    ),
  ],
]);

test('each projection has a name of its own', () => {
  const names = PROJECTIONS.map((projection) => projection.name);
  for (const name of names) assert.ok(name.trim() !== '', 'a name is not blank');
  assert.is(new Set(names).size, names.length);
});

test('each table belongs to one projection and has a name', () => {
  const tables = PROJECTIONS.flatMap((projection) => projection.tables);
  for (const table of tables) assert.ok(table.trim() !== '', 'a table name is not blank');
  assert.is(new Set(tables).size, tables.length, 'no table is owned twice');
});

test('each projection reads and writes exactly the tables it owns', () => {
  for (const projection of PROJECTIONS) {
    const model = project(projection, HISTORIES.get(projection)!);
    assert.equal(model.tableNames(), [...projection.tables].sort(), projection.name);
  }
});

test.run();
