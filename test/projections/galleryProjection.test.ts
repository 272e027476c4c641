import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  GALLERIES_TABLE,
  galleryProjection,
  IMAGES_BY_FILE_TABLE,
  IMAGES_BY_ORDER_TABLE,
  IMAGES_BY_PRODUCT_TABLE,
  VIDEOS_BY_ORDER_TABLE,
  VIDEOS_BY_PRODUCT_TABLE,
  VIDEOS_TABLE,
  type ImageView,
  type VideoView,
} from '../../projections/gallery.ts';
import { blob, imageDeleted, imageUploaded, videoUploaded } from '../domain/galleryFixtures.ts';
import { project, recorded } from '../support/projectionSpec.ts';
import { at, galleryLog, imageOf, keysOf } from './galleryProjectionSupport.ts';

const P = 16201;

const uploads = [
  imageUploaded(P, 1, { order: 0, roles: ['image', 'thumbnail'] }),
  imageUploaded(P, 2, { order: 1, label: 'side' }),
  imageUploaded(P, 3, { order: 1, source: 'unified' }),
];

const images = suite('gallery projection: images');

images('ImageUploaded creates the view and indexes the live image by product, order and file', () => {
  const model = project(galleryProjection, galleryLog(P, uploads.slice(0, 1)));
  const stored = blob(P, 1);
  assert.equal(imageOf(model, 1), {
    pk: 1,
    productPk: P,
    key: stored.key,
    file: '/i/m/image_1.jpg',
    contentType: 'image/jpeg',
    width: 800,
    height: 600,
    bytes: stored.bytes,
    sha256: stored.sha256,
    order: 0,
    source: 'integration',
    label: '',
    exclude: false,
    roles: ['image', 'thumbnail'],
    specialImageTypes: ['base'],
    imageType: 'default',
    focalPoint: null,
    status: 'live',
    createdAt: at(0),
    modifiedAt: at(0),
    revision: 0,
  });
  assert.equal(model.tx.get(IMAGES_BY_PRODUCT_TABLE, [P, 0, 1]), imageOf(model, 1), 'the product index covers the view');
  assert.is(model.tx.get(IMAGES_BY_ORDER_TABLE, [0, 1]), P);
  assert.is(model.tx.get(IMAGES_BY_FILE_TABLE, [P, '/i/m/image_1.jpg']), 1);
  assert.equal(model.tx.get(GALLERIES_TABLE, P), { revision: 0 });
});

images('the product index lists live images in (order, pk) order', () => {
  const model = project(galleryProjection, galleryLog(P, uploads));
  assert.equal(keysOf(model, IMAGES_BY_PRODUCT_TABLE), [[P, 0, 1], [P, 1, 2], [P, 1, 3]]);
  assert.equal(keysOf(model, IMAGES_BY_ORDER_TABLE), [[0, 1], [1, 2], [1, 3]]);
});

images('ImageUploaded with takenFrom takes the roles away from their holder and touches it', () => {
  const model = project(galleryProjection, galleryLog(P, [...uploads, imageUploaded(P, 4, { order: 2, roles: ['image'] }, { image: 1 })]));
  const previous = imageOf(model, 1);
  assert.equal(previous.roles, ['thumbnail']);
  assert.equal(previous.specialImageTypes, []);
  assert.is(previous.modifiedAt, at(3));
  assert.is(previous.revision, 3);
  assert.is(previous.createdAt, at(0));
  assert.equal(model.tx.get<ImageView>(IMAGES_BY_PRODUCT_TABLE, [P, 0, 1])!.roles, ['thumbnail'], 'index copy follows');
  assert.equal(imageOf(model, 4).specialImageTypes, ['base']);
});

images('ImageReordered moves the index keys', () => {
  const model = project(galleryProjection, galleryLog(P, [...uploads, { type: 'ImageReordered', data: { imagePk: 1, order: 5, previousOrder: 0 } }]));
  assert.is(imageOf(model, 1).order, 5);
  assert.is(imageOf(model, 1).modifiedAt, at(3));
  assert.equal(keysOf(model, IMAGES_BY_PRODUCT_TABLE), [[P, 1, 2], [P, 1, 3], [P, 5, 1]]);
  assert.equal(keysOf(model, IMAGES_BY_ORDER_TABLE), [[1, 2], [1, 3], [5, 1]]);
  assert.is(model.tx.get<ImageView>(IMAGES_BY_PRODUCT_TABLE, [P, 5, 1])!.order, 5);
  assert.is(model.tx.get(IMAGES_BY_FILE_TABLE, [P, '/i/m/image_1.jpg']), 1);
});

images('MainImageSet moves the image role and the base special type between both images', () => {
  const model = project(galleryProjection, galleryLog(P, [...uploads, { type: 'MainImageSet', data: { imagePk: 3, previousImagePk: 1 } }]));
  assert.equal([imageOf(model, 1).roles, imageOf(model, 1).specialImageTypes], [['thumbnail'], []]);
  assert.equal([imageOf(model, 3).roles, imageOf(model, 3).specialImageTypes], [['image'], ['base']]);
  assert.equal([imageOf(model, 1).modifiedAt, imageOf(model, 3).modifiedAt], [at(3), at(3)]);
  assert.is(imageOf(model, 2).modifiedAt, at(1), 'bystanders untouched');
});

images('MainImageSet without a previous main image only adds the role', () => {
  const log = galleryLog(P, [imageUploaded(P, 2), { type: 'MainImageSet', data: { imagePk: 2, previousImagePk: null } }]);
  assert.equal(imageOf(project(galleryProjection, log), 2).specialImageTypes, ['base']);
});

images('SpecialImageSet moves a secondary special type and keeps types in vocabulary order', () => {
  const model = project(galleryProjection, galleryLog(P, [
    ...uploads,
    { type: 'SpecialImageSet', data: { imagePk: 2, specialImageType: 'picto', previousImagePk: null } },
    { type: 'SpecialImageSet', data: { imagePk: 1, specialImageType: 'picto', previousImagePk: 2 } },
    { type: 'SpecialImageSet', data: { imagePk: 1, specialImageType: 'swatch', previousImagePk: null } },
  ]));
  assert.equal(imageOf(model, 2).specialImageTypes, []);
  assert.is(imageOf(model, 2).modifiedAt, at(4));
  assert.equal(imageOf(model, 1).specialImageTypes, ['base', 'swatch', 'picto']);
  assert.equal(imageOf(model, 1).roles, ['image', 'thumbnail'], 'roles stay');
});

images('ImageRolesChanged sets the exact role set and takes gained roles from their holders', () => {
  const model = project(galleryProjection, galleryLog(P, [
    ...uploads,
    { type: 'ImageRolesChanged', data: { imagePk: 2, roles: ['thumbnail', 'image'], previousRoles: [], takenFrom: { image: 1, thumbnail: 1 } } },
  ]));
  assert.equal([imageOf(model, 1).roles, imageOf(model, 1).specialImageTypes], [[], []]);
  assert.equal([imageOf(model, 2).roles, imageOf(model, 2).specialImageTypes], [['image', 'thumbnail'], ['base']]);
  assert.is(imageOf(model, 1).revision, 3);
});

images('ImageRolesChanged to [] clears the roles and the base special type', () => {
  const model = project(galleryProjection, galleryLog(P, [
    ...uploads,
    { type: 'ImageRolesChanged', data: { imagePk: 1, roles: [], previousRoles: ['image', 'thumbnail'], takenFrom: {} } },
  ]));
  assert.equal([imageOf(model, 1).roles, imageOf(model, 1).specialImageTypes], [[], []]);
});

images('ImageLabelChanged and ImageExclusionChanged change their field and modifiedAt', () => {
  const model = project(galleryProjection, galleryLog(P, [
    ...uploads,
    { type: 'ImageLabelChanged', data: { imagePk: 2, label: 'Front view', previousLabel: 'side' } },
    { type: 'ImageExclusionChanged', data: { imagePk: 3, exclude: true, previousExclude: false } },
  ]));
  assert.equal([imageOf(model, 2).label, imageOf(model, 2).modifiedAt, imageOf(model, 2).revision], ['Front view', at(3), 3]);
  assert.equal([imageOf(model, 3).exclude, imageOf(model, 3).modifiedAt], [true, at(4)]);
  assert.is(model.tx.get<ImageView>(IMAGES_BY_PRODUCT_TABLE, [P, 1, 2])!.label, 'Front view');
});

images('ImageContentReplaced swaps the binary facts under the same file name', () => {
  const replacement = { key: 'products/2024/05/26/16201/new.png', contentType: 'image/png', width: 2000, height: 1500, bytes: 9, sha256: 'new' };
  const model = project(galleryProjection, galleryLog(P, [
    ...uploads,
    { type: 'ImageContentReplaced', data: { imagePk: 1, ...replacement, previousKey: blob(P, 1).key } },
  ]));
  const view = imageOf(model, 1);
  assert.equal({ key: view.key, contentType: view.contentType, width: view.width, height: view.height, bytes: view.bytes, sha256: view.sha256 }, replacement);
  assert.equal([view.file, view.order, view.roles, view.createdAt, view.modifiedAt], ['/i/m/image_1.jpg', 0, ['image', 'thumbnail'], at(0), at(3)]);
  assert.is(model.tx.get<ImageView>(IMAGES_BY_PRODUCT_TABLE, [P, 0, 1])!.key, replacement.key);
});

images('ImageDeleted keeps the view (deleted, no roles) and drops its index rows', () => {
  const model = project(galleryProjection, galleryLog(P, [...uploads, imageDeleted(P, 1, ['image', 'thumbnail'])]));
  const view = imageOf(model, 1);
  assert.equal([view.status, view.roles, view.specialImageTypes, view.modifiedAt], ['deleted', [], [], at(3)]);
  assert.equal(keysOf(model, IMAGES_BY_PRODUCT_TABLE), [[P, 1, 2], [P, 1, 3]]);
  assert.equal(keysOf(model, IMAGES_BY_ORDER_TABLE), [[1, 2], [1, 3]]);
  assert.equal(keysOf(model, IMAGES_BY_FILE_TABLE), [[P, '/i/m/image_2.jpg'], [P, '/i/m/image_3.jpg']]);
});

images('ImageDeleted clears secondary special types too', () => {
  const model = project(galleryProjection, galleryLog(P, [
    ...uploads,
    { type: 'SpecialImageSet', data: { imagePk: 2, specialImageType: 'swatch', previousImagePk: null } },
    { type: 'ImageDeleted', data: { imagePk: 2, key: blob(P, 2).key, clearedRoles: [], clearedSpecialImageTypes: ['swatch'] } },
  ]));
  assert.equal(imageOf(model, 2).specialImageTypes, []);
});

images('a deleted image\'s file name can go to a new image', () => {
  const model = project(galleryProjection, galleryLog(P, [...uploads, imageDeleted(P, 1), imageUploaded(P, 4, { file: '/i/m/image_1.jpg' })]));
  assert.is(model.tx.get(IMAGES_BY_FILE_TABLE, [P, '/i/m/image_1.jpg']), 4);
});

images('ImageRestored makes the image live again and re-indexes it, without roles', () => {
  const model = project(galleryProjection, galleryLog(P, [
    ...uploads,
    imageDeleted(P, 1, ['image', 'thumbnail']),
    { type: 'ImageRestored', data: { imagePk: 1, productPk: 1 } },
  ]));
  const view = imageOf(model, 1);
  assert.equal([view.status, view.roles, view.specialImageTypes, view.order, view.modifiedAt, view.revision], ['live', [], [], 0, at(4), 4]);
  assert.equal(model.tx.get(IMAGES_BY_PRODUCT_TABLE, [P, 0, 1]), view);
  assert.is(model.tx.get(IMAGES_BY_ORDER_TABLE, [0, 1]), P);
  assert.is(model.tx.get(IMAGES_BY_FILE_TABLE, [P, '/i/m/image_1.jpg']), 1);
});

images.run();

const videos = suite('gallery projection: videos');

videos('VideoUploaded creates the view and indexes it by product and order', () => {
  const model = project(galleryProjection, galleryLog(52, [videoUploaded(52, 168, 0)]));
  const view: VideoView = {
    pk: 168, productPk: 52, key: 'product_videos/2024/05/01/0000000168-uuid.mp4', contentType: 'video/mp4', bytes: 50_168,
    sha256: 'video-sha-168', order: 0, status: 'live', createdAt: at(0), modifiedAt: at(0), revision: 0,
  };
  assert.equal(model.tx.get(VIDEOS_TABLE, 168), view);
  assert.equal(model.tx.get(VIDEOS_BY_PRODUCT_TABLE, [52, 0, 168]), view);
  assert.is(model.tx.get(VIDEOS_BY_ORDER_TABLE, [0, 168]), 52);
});

videos('VideoReordered moves the index keys; VideoDeleted drops them and keeps the view', () => {
  const log = galleryLog(52, [
    videoUploaded(52, 168, 0),
    videoUploaded(52, 169, 1),
    { type: 'VideoReordered', data: { videoPk: 168, order: 2, previousOrder: 0 } },
    { type: 'VideoDeleted', data: { videoPk: 169, key: 'k' } },
  ]);
  const reordered = project(galleryProjection, log.slice(0, 3));
  assert.equal(keysOf(reordered, VIDEOS_BY_PRODUCT_TABLE), [[52, 1, 169], [52, 2, 168]]);
  assert.equal(keysOf(reordered, VIDEOS_BY_ORDER_TABLE), [[1, 169], [2, 168]]);
  assert.equal(reordered.tx.get<VideoView>(VIDEOS_TABLE, 168)!.modifiedAt, at(2));
  const deleted = project(galleryProjection, log);
  assert.equal(keysOf(deleted, VIDEOS_BY_PRODUCT_TABLE), [[52, 2, 168]]);
  assert.equal(keysOf(deleted, VIDEOS_BY_ORDER_TABLE), [[2, 168]]);
  assert.equal(deleted.tx.get<VideoView>(VIDEOS_TABLE, 169)!.status, 'deleted');
});

videos.run();

const idempotence = suite('gallery projection: idempotence');

const history = galleryLog(P, [
  ...uploads,
  { type: 'ImageReordered', data: { imagePk: 1, order: 4, previousOrder: 0 } },
  { type: 'MainImageSet', data: { imagePk: 2, previousImagePk: 1 } },
  { type: 'SpecialImageSet', data: { imagePk: 3, specialImageType: 'swatch', previousImagePk: null } },
  { type: 'ImageRolesChanged', data: { imagePk: 3, roles: ['thumbnail'], previousRoles: [], takenFrom: { thumbnail: 1 } } },
  { type: 'ImageLabelChanged', data: { imagePk: 3, label: 'x', previousLabel: '' } },
  { type: 'ImageExclusionChanged', data: { imagePk: 3, exclude: true, previousExclude: false } },
  { type: 'ImageContentReplaced', data: { imagePk: 2, ...blob(P, 9), previousKey: blob(P, 2).key } },
  imageDeleted(P, 2, ['image']),
  { type: 'ImageRestored', data: { imagePk: 2, productPk: 1 } },
  videoUploaded(P, 7, 0),
  { type: 'VideoReordered', data: { videoPk: 7, order: 3, previousOrder: 0 } },
  { type: 'VideoDeleted', data: { videoPk: 7, key: 'k' } },
]);

idempotence('applying each event type twice changes nothing', () => {
  for (let index = 0; index < history.length; index += 1) {
    const once = project(galleryProjection, history.slice(0, index + 1));
    const twice = project(galleryProjection, [...history.slice(0, index + 1), history[index]!]);
    assert.is(twice.snapshot(), once.snapshot(), `${history[index]!.type} applied twice`);
  }
});

idempotence('a history with repeats and replays builds the same model as the history once', () => {
  const once = project(galleryProjection, history);
  const replayed = project(galleryProjection, [...history.slice(0, 8), ...history.slice(2, 10), ...history, ...history.slice(5)]);
  assert.is(replayed.snapshot(), once.snapshot());
});

idempotence('events older than what was applied change nothing, even where they would undo later changes', () => {
  const once = project(galleryProjection, history);
  assert.is(project(galleryProjection, [...history, ...history.slice(0, 6)]).snapshot(), once.snapshot());
  assert.is(project(galleryProjection, [...history, history[0]!, history[11]!]).snapshot(), once.snapshot());
});

idempotence('each product\'s stream has its own revision guard', () => {
  const other = galleryLog(P + 1, [imageUploaded(P + 1, 50)]);
  const model = project(galleryProjection, [...history, ...other]);
  assert.is(imageOf(model, 50).productPk, P + 1);
  assert.equal(model.tx.get(GALLERIES_TABLE, P), { revision: history.length - 1 });
  assert.equal(model.tx.get(GALLERIES_TABLE, P + 1), { revision: 0 });
});

idempotence('events of other streams are ignored', () => {
  const model = project(galleryProjection, [recorded('product-5', 0, 'ProductRegistered', { productPk: 5, sku: 's', name: 'n', mediaEnabled: true })]);
  assert.is(model.snapshot(), project(galleryProjection, []).snapshot());
});

idempotence.run();
