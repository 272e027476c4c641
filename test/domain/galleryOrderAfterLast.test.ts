import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { placedOrder } from '../../src/domain/gallery/orderAfterLast.ts';
import { command, imageDeleted, imageUploaded, product, spec, uploadImage, videoBlob, videoUploaded } from './galleryFixtures.ts';

/** Issue 20, item 4: one rule for "no order given", Omnitron uploads and ShipStream `position` alike. */
const REST = { afterLast: true, first: 0 } as const;
const RPC = { afterLast: true, first: 1 } as const;

test('placedOrder: a chosen order stays; after the last is max + 1, or `first` for none', () => {
  assert.is(placedOrder(5, [9]), 5);
  assert.is(placedOrder(REST, []), 0);
  assert.is(placedOrder(RPC, []), 1);
  assert.is(placedOrder(REST, [3, 7, 1]), 8);
  assert.is(placedOrder(RPC, [0]), 1);
  // At the largest order it ties with the last one (ties sort by creation: still after it).
  assert.is(placedOrder(REST, [2147483647]), 2147483647);
});

test('UploadImage without an order goes after the last live image, 0 (REST) or 1 (RPC) for the first', () => {
  spec.given([]).when(uploadImage(301, 1, { order: REST })).then([imageUploaded(301, 1, { order: 0 })]);
  spec.given([]).when(uploadImage(301, 1, { order: RPC })).then([imageUploaded(301, 1, { order: 1 })]);
  spec
    .given([imageUploaded(302, 1, { order: 4 }), imageUploaded(302, 2, { order: 2 })])
    .when(uploadImage(302, 3, { order: REST }))
    .then([imageUploaded(302, 3, { order: 5 })]);
});

test('UploadImage after the last ignores deleted images', () => {
  spec
    .given([imageUploaded(303, 1, { order: 1 }), imageUploaded(303, 2, { order: 9 }), imageDeleted(303, 2)])
    .when(uploadImage(303, 3, { order: RPC }))
    .then([imageUploaded(303, 3, { order: 2 })]);
  spec.given([imageUploaded(304, 1, { order: 3 }), imageDeleted(304, 1)]).when(uploadImage(304, 2, { order: REST })).then([imageUploaded(304, 2, { order: 0 })]);
});

test('UploadVideo without an order goes after the last live video, not after the images', () => {
  const upload = (videoPk: number) => command('UploadVideo', { product: product(305), videoPk, blob: videoBlob(videoPk), order: REST });
  spec.given([imageUploaded(305, 1, { order: 6 })]).when(upload(1)).then([videoUploaded(305, 1, 0)]);
  spec.given([videoUploaded(305, 1, 0), videoUploaded(305, 2, 3)]).when(upload(3)).then([videoUploaded(305, 3, 4)]);
  spec
    .given([videoUploaded(305, 1, 0), videoUploaded(305, 2, 3), { type: 'VideoDeleted', data: { videoPk: 2, key: videoBlob(2).key } }])
    .when(upload(3))
    .then([videoUploaded(305, 3, 1)]);
});

test.run();
