import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { galleryProjection } from '../../projections/gallery.ts';
import { productsProjection } from '../../projections/products.ts';
import { settingsProjection } from '../../projections/settings.ts';
import type { GalleryEvent } from '../../src/domain/gallery/galleryEvents.ts';
import type { RecordedEvent } from '../../src/ports/eventStore.ts';
import type { Projection } from '../../src/ports/readModelStore.ts';
import { imageUploaded, videoUploaded } from '../domain/galleryFixtures.ts';
import { project, recorded } from '../support/projectionSpec.ts';
import { galleryLog } from './galleryProjectionSupport.ts';

/**
 * What an event writes: LMDB writes a page for every put, even of an unchanged value, so a
 * projection writes only the rows an event changes, and nothing for an event it applied before.
 */

const P = 16401;

/** The writes of `event` applied after `history`. */
function writesOf(projection: Projection, history: RecordedEvent[], event: RecordedEvent): string[] {
  const model = project(projection, history);
  return model.writesOf(() => projection.apply(model.tx, event));
}

test('the same event again writes nothing, in every projection', () => {
  const products = [recorded('product-5', 0, 'ProductRegistered', { productPk: 5, sku: 'S5', name: 'n', mediaEnabled: true })];
  assert.equal(writesOf(productsProjection, products, products[0]!), []);
  const dimensions = { key: 'MAX_IMAGE_DIMENSIONS', value: { WIDTH: 9, HEIGHT: 9 }, previousValue: { WIDTH: 2000, HEIGHT: 2000 } };
  const settings = [recorded('settings', 0, 'SettingChanged', dimensions)];
  assert.equal(writesOf(settingsProjection, settings, settings[0]!), []);
  const gallery = galleryLog(P, [imageUploaded(P, 1), videoUploaded(P, 2)]);
  for (const event of gallery) assert.equal(writesOf(galleryProjection, gallery, event), [], event.type);
});

test('a change that keeps an image in place rewrites its view and covering row only', () => {
  const log = galleryLog(P, [imageUploaded(P, 1, { order: 3 }), { type: 'ImageLabelChanged', data: { imagePk: 1, label: 'x', previousLabel: '' } }]);
  assert.equal(writesOf(galleryProjection, log.slice(0, 1), log[1]!), [
    'put images 1',
    `put imagesByProduct [${P},3,1]`,
    `put galleries ${P}`,
  ]);
});

test('a VideoReordered to the order a video has rewrites its view and covering row only', () => {
  const log = galleryLog(P, [videoUploaded(P, 2, 4), { type: 'VideoReordered', data: { videoPk: 2, order: 4, previousOrder: 4 } }]);
  assert.equal(writesOf(galleryProjection, log.slice(0, 1), log[1]!), ['put videos 2', `put videosByProduct [${P},4,2]`, `put galleries ${P}`]);
});

test('an event for a deleted video writes its view only: it has no index rows left', () => {
  const events: GalleryEvent[] = [
    videoUploaded(P, 2, 4),
    { type: 'VideoDeleted', data: { videoPk: 2, key: 'k' } },
    { type: 'VideoReordered', data: { videoPk: 2, order: 5, previousOrder: 4 } },
  ];
  const log = galleryLog(P, events);
  assert.equal(writesOf(galleryProjection, log.slice(0, 2), log[2]!), ['put videos 2', `put galleries ${P}`]);
});

test.run();
