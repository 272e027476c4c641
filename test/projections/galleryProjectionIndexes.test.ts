import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  galleryProjection,
  IMAGES_BY_FILE_TABLE,
  IMAGES_BY_ORDER_TABLE,
  IMAGES_BY_PRODUCT_TABLE,
  VIDEOS_BY_ORDER_TABLE,
  VIDEOS_BY_PRODUCT_TABLE,
  type ImageView,
} from '../../projections/gallery.ts';
import type { GalleryEvent } from '../../src/domain/gallery/galleryEvents.ts';
import { blob, imageDeleted, imageUploaded, videoUploaded } from '../domain/galleryFixtures.ts';
import { project } from '../support/projectionSpec.ts';
import { galleryLog, imageOf, keysOf } from './galleryProjectionSupport.ts';

/** The live-only indexes follow every change of a medium, not only those that move it. */

const P = 16301;
const uploads = [imageUploaded(P, 1, { order: 0, roles: ['image'] }), imageUploaded(P, 2, { order: 1 })];

const changes: GalleryEvent[] = [
  { type: 'ImageLabelChanged', data: { imagePk: 2, label: 'side', previousLabel: '' } },
  { type: 'ImageExclusionChanged', data: { imagePk: 2, exclude: true, previousExclude: false } },
  { type: 'ImageRolesChanged', data: { imagePk: 2, roles: ['image'], previousRoles: [], takenFrom: { image: 1 } } },
  { type: 'MainImageSet', data: { imagePk: 1, previousImagePk: 2 } },
  { type: 'SpecialImageSet', data: { imagePk: 2, specialImageType: 'swatch', previousImagePk: null } },
  { type: 'ImageContentReplaced', data: { imagePk: 2, ...blob(P, 9), previousKey: blob(P, 2).key } },
];

for (const change of changes) {
  test(`${change.type} keeps both images in every index, under their order and file`, () => {
    const model = project(galleryProjection, galleryLog(P, [...uploads, change]));
    assert.equal(keysOf(model, IMAGES_BY_PRODUCT_TABLE), [[P, 0, 1], [P, 1, 2]]);
    assert.equal(keysOf(model, IMAGES_BY_ORDER_TABLE), [[0, 1], [1, 2]]);
    assert.equal(keysOf(model, IMAGES_BY_FILE_TABLE), [[P, '/i/m/image_1.jpg'], [P, '/i/m/image_2.jpg']]);
    assert.is(model.tx.get(IMAGES_BY_ORDER_TABLE, [1, 2]), P);
    assert.is(model.tx.get(IMAGES_BY_FILE_TABLE, [P, '/i/m/image_2.jpg']), 2);
    for (const pk of [1, 2]) {
      const view = imageOf(model, pk);
      assert.equal(model.tx.get<ImageView>(IMAGES_BY_PRODUCT_TABLE, [P, view.order, pk]), view, 'the covering index holds the current view');
    }
  });
}

test('SpecialImageSet takes only its own type from the previous holder', () => {
  const model = project(galleryProjection, galleryLog(P, [
    ...uploads,
    { type: 'SpecialImageSet', data: { imagePk: 2, specialImageType: 'swatch', previousImagePk: null } },
    { type: 'SpecialImageSet', data: { imagePk: 2, specialImageType: 'picto', previousImagePk: null } },
    { type: 'SpecialImageSet', data: { imagePk: 1, specialImageType: 'picto', previousImagePk: 2 } },
  ]));
  assert.equal(imageOf(model, 2).specialImageTypes, ['swatch']);
  assert.equal(imageOf(model, 1).specialImageTypes, ['base', 'picto']);
});

/** Two live images under one file name: never written by the gallery decider, and still handled. */
const sharing = [imageUploaded(P, 1, { file: '/s/h/shared.jpg' }), imageUploaded(P, 2, { order: 1, file: '/s/h/shared.jpg' })];

test('an image never drops the file row another image holds', () => {
  const model = project(galleryProjection, galleryLog(P, [...sharing, imageDeleted(P, 1)]));
  assert.is(model.tx.get(IMAGES_BY_FILE_TABLE, [P, '/s/h/shared.jpg']), 2);
});

test('a change of an image does not take back the file row another image holds', () => {
  const model = project(galleryProjection, galleryLog(P, [...sharing, { type: 'ImageLabelChanged', data: { imagePk: 1, label: 'x', previousLabel: '' } }]));
  assert.is(model.tx.get(IMAGES_BY_FILE_TABLE, [P, '/s/h/shared.jpg']), 2);
});

test('a VideoReordered to the order a video has keeps its index rows', () => {
  const model = project(galleryProjection, galleryLog(P, [videoUploaded(P, 7, 2), { type: 'VideoReordered', data: { videoPk: 7, order: 2, previousOrder: 2 } }]));
  assert.equal(keysOf(model, VIDEOS_BY_PRODUCT_TABLE), [[P, 2, 7]]);
  assert.equal(keysOf(model, VIDEOS_BY_ORDER_TABLE), [[2, 7]]);
});

test.run();
