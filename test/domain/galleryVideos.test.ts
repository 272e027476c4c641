import { test } from 'uvu';
import { command, product, spec, videoBlob, videoUploaded } from './galleryFixtures.ts';

const uploadVideo = (productPk: number, videoPk: number, order = 0, enabled = true) =>
  command('UploadVideo', { product: product(productPk, enabled), videoPk, blob: videoBlob(videoPk), order });

const videoDeleted = (videoPk: number) => ({ type: 'VideoDeleted' as const, data: { videoPk, key: videoBlob(videoPk).key } });

test('UploadVideo records the video and its blob facts', () => {
  spec.given([]).when(uploadVideo(401, 1, 2)).then([videoUploaded(401, 1, 2)]);
});

test('UploadVideo is refused when the product media is disabled', () => {
  const message = "Requested product doesn't support videos";
  spec.given([]).when(uploadVideo(402, 1, 0, false)).thenThrows('PRODUCT_MEDIA_DISABLED', message, { product: [message] });
});

test('UploadVideo refuses a negative order under `order`', () => {
  spec
    .given([])
    .when(uploadVideo(403, 1, -1))
    .thenThrows('ORDER_OUT_OF_RANGE', 'Invalid input.', { order: ['Ensure this value is greater than or equal to 0.'] });
});

test('UploadVideo refuses a live pk and never reuses a deleted one', () => {
  spec.given([videoUploaded(404, 1)]).when(uploadVideo(404, 1)).thenThrows('VIDEO_PK_TAKEN', 'Video 1 already exists.');
  spec
    .given([videoUploaded(404, 1), videoDeleted(1)])
    .when(uploadVideo(404, 1))
    .thenThrows('VIDEO_PK_RETIRED', 'Video pk 1 belonged to a deleted video and is never reused.');
});

test('ReorderVideo records the new and previous order; the same order emits nothing', () => {
  spec.given([videoUploaded(405, 1)]).when(command('ReorderVideo', { videoPk: 1, order: 4 })).then([
    { type: 'VideoReordered', data: { videoPk: 1, order: 4, previousOrder: 0 } },
  ]);
  spec.given([videoUploaded(405, 1)]).when(command('ReorderVideo', { videoPk: 1, order: 0 })).then([]);
});

test('ReorderVideo refuses a negative order', () => {
  spec.given([videoUploaded(406, 1)]).when(command('ReorderVideo', { videoPk: 1, order: -1 })).thenThrows('ORDER_OUT_OF_RANGE');
});

test('DeleteVideo records the key of the binary it leaves behind', () => {
  spec.given([videoUploaded(407, 1)]).when(command('DeleteVideo', { videoPk: 1 })).then([videoDeleted(1)]);
});

test('a deleted video cannot be reordered or deleted again', () => {
  const given = spec.given([videoUploaded(408, 1), videoDeleted(1)]);
  given.when(command('ReorderVideo', { videoPk: 1, order: 2 })).thenThrows('VIDEO_DELETED', 'Not found.');
  given.when(command('DeleteVideo', { videoPk: 1 })).thenThrows('VIDEO_DELETED', 'Not found.');
});

test('an unknown video pk is not found', () => {
  spec.given([videoUploaded(409, 1)]).when(command('DeleteVideo', { videoPk: 2 })).thenThrows('VIDEO_NOT_FOUND', 'Not found.');
  spec.given([]).when(command('ReorderVideo', { videoPk: 2, order: 0 })).thenThrows('VIDEO_NOT_FOUND', 'Not found.');
});

test('videos and images share the gallery of one product', () => {
  spec.given([videoUploaded(410, 1)]).when(uploadVideo(411, 2)).thenThrows('PRODUCT_MISMATCH', 'Gallery of product 410 cannot take media of product 411.');
});

test('a reordered video stays live and is decided by its new order', () => {
  const given = spec.given([videoUploaded(412, 1), { type: 'VideoReordered', data: { videoPk: 1, order: 4, previousOrder: 0 } }]);
  given.when(command('ReorderVideo', { videoPk: 1, order: 4 })).then([]);
  given.when(command('ReorderVideo', { videoPk: 1, order: 0 })).then([{ type: 'VideoReordered', data: { videoPk: 1, order: 0, previousOrder: 4 } }]);
  given.when(command('DeleteVideo', { videoPk: 1 })).then([videoDeleted(1)]);
});

test('reordering or deleting one video leaves the other videos as they were', () => {
  const reordered = spec.given([videoUploaded(413, 1, 1), videoUploaded(413, 2, 2), { type: 'VideoReordered', data: { videoPk: 1, order: 5, previousOrder: 1 } }]);
  reordered.when(command('ReorderVideo', { videoPk: 2, order: 2 })).then([]);
  reordered.when(command('ReorderVideo', { videoPk: 2, order: 5 })).then([{ type: 'VideoReordered', data: { videoPk: 2, order: 5, previousOrder: 2 } }]);
  const deleted = spec.given([videoUploaded(413, 1, 1), videoUploaded(413, 2, 2), videoDeleted(1)]);
  deleted.when(command('DeleteVideo', { videoPk: 2 })).then([videoDeleted(2)]);
  deleted.when(command('ReorderVideo', { videoPk: 2, order: 2 })).then([]);
});

test('UploadVideo adds a video beside the ones the gallery has', () => {
  spec.given([videoUploaded(414, 1)]).when(uploadVideo(414, 2, 1)).then([videoUploaded(414, 2, 1)]);
});

test.run();
