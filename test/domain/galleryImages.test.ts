import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fold } from '../../src/domain/decider.ts';
import { galleryDecider } from '../../src/domain/gallery/galleryDecider.ts';
import { productMediaStream } from '../../src/domain/gallery/galleryStream.ts';
import { blob, command, imageDeleted, imageUploaded, product, spec, uploadImage } from './galleryFixtures.ts';

const ORDER_MIN = 'Ensure this value is greater than or equal to 0.';

test('productMediaStream names the gallery stream of a product', () => {
  assert.is(productMediaStream(16201), 'productMedia-16201');
});

test('UploadImage on an empty gallery records every fact of the image', () => {
  spec.given([]).when(uploadImage(101, 1, { roles: ['thumbnail', 'image'] })).then([
    imageUploaded(101, 1, { roles: ['image', 'thumbnail'] }),
  ]);
});

test('UploadImage with roles takes them from their holder and says from whom', () => {
  spec
    .given([imageUploaded(102, 1, { roles: ['image'] }), imageUploaded(102, 2, { roles: ['thumbnail'] })])
    .when(uploadImage(102, 3, { roles: ['image', 'thumbnail'] }))
    .then([imageUploaded(102, 3, { roles: ['image', 'thumbnail'] }, { image: 1, thumbnail: 2 })]);
});

test('UploadImage is refused when the product media is disabled', () => {
  const message = "Requested product doesn't support images";
  spec.given([]).when(uploadImage(103, 1, {}, false)).thenThrows('PRODUCT_MEDIA_DISABLED', message, { product: [message] });
});

test('UploadImage refuses a negative order under `order`', () => {
  spec.given([]).when(uploadImage(104, 1, { order: -1 })).thenThrows('ORDER_OUT_OF_RANGE', 'Invalid input.', { order: [ORDER_MIN] });
});

test('UploadImage refuses a fractional order', () => {
  spec
    .given([])
    .when(uploadImage(105, 1, { order: 1.5 }))
    .thenThrows('ORDER_NOT_INTEGER', 'Invalid input.', { order: ['A valid integer is required.'] });
});

test('UploadImage refuses a pk a live image holds', () => {
  spec.given([imageUploaded(106, 1)]).when(uploadImage(106, 1, { file: '/o/t/other.jpg' })).thenThrows('IMAGE_PK_TAKEN', 'Image 1 already exists.');
});

test('UploadImage never reuses the pk of a deleted image', () => {
  spec
    .given([imageUploaded(107, 1), imageDeleted(107, 1)])
    .when(uploadImage(107, 1))
    .thenThrows('IMAGE_PK_RETIRED', 'Image pk 1 belonged to a deleted image and is never reused.');
});

test('UploadImage refuses a file name a live image of the product uses', () => {
  const message = 'Gallery file "/i/m/image.png" is already used by image 1.';
  spec
    .given([imageUploaded(108, 1, { file: '/i/m/image.png' })])
    .when(uploadImage(108, 2, { file: '/i/m/image.png' }))
    .thenThrows('FILE_NAME_TAKEN', message, { file: [message] });
});

test('UploadImage with whenFileNameTaken: suffix takes the first name no live image holds', () => {
  spec
    .given([imageUploaded(112, 1, { file: '/i/m/image.png' }), imageUploaded(112, 2, { file: '/i/m/image_1.png' }), imageUploaded(112, 3, { file: '/i/m/image_2.png' }), imageDeleted(112, 2)])
    .when(uploadImage(112, 4, { file: '/i/m/image.png', whenFileNameTaken: 'suffix' }))
    .then([imageUploaded(112, 4, { file: '/i/m/image_1.png' })]);
  spec
    .given([])
    .when(uploadImage(113, 1, { file: '/i/m/image.png', whenFileNameTaken: 'suffix' }))
    .then([imageUploaded(113, 1, { file: '/i/m/image.png' })]);
});

test('UploadImage may reuse the file name of a deleted image', () => {
  spec
    .given([imageUploaded(109, 1, { file: '/i/m/image.png' }), imageDeleted(109, 1)])
    .when(uploadImage(109, 2, { file: '/i/m/image.png' }))
    .then([imageUploaded(109, 2, { file: '/i/m/image.png' })]);
});

test('UploadImage refuses a blank file name', () => {
  spec.given([]).when(uploadImage(110, 1, { file: ' ' })).thenThrows('FILE_NAME_BLANK', 'Invalid input.', { file: ['This field may not be blank.'] });
});

test('UploadImage refuses an unknown image type, source or role', () => {
  const odd = 'banner' as never;
  spec.given([]).when(uploadImage(111, 1, { imageType: odd })).thenThrows('UNKNOWN_IMAGE_TYPE', 'Invalid input.', { image_type: ['"banner" is not a valid choice.'] });
  spec.given([]).when(uploadImage(111, 1, { source: odd })).thenThrows('UNKNOWN_IMAGE_SOURCE', 'Invalid input.', { source: ['"banner" is not a valid choice.'] });
  spec.given([]).when(uploadImage(111, 1, { roles: [odd] })).thenThrows('UNKNOWN_IMAGE_ROLE', 'Invalid input.', { types: ['"banner" is not a valid choice.'] });
});

test('UploadImage refuses media of another product', () => {
  spec
    .given([imageUploaded(112, 1)])
    .when(uploadImage(113, 2))
    .thenThrows('PRODUCT_MISMATCH', 'Gallery of product 112 cannot take media of product 113.');
});

test('ReorderImage records the new and previous order', () => {
  spec.given([imageUploaded(120, 1)]).when(command('ReorderImage', { imagePk: 1, order: 3 })).then([
    { type: 'ImageReordered', data: { imagePk: 1, order: 3, previousOrder: 0 } },
  ]);
});

test('ReorderImage to the same order emits nothing', () => {
  spec.given([imageUploaded(121, 1, { order: 2 })]).when(command('ReorderImage', { imagePk: 1, order: 2 })).then([]);
});

test('ReorderImage refuses a negative order', () => {
  spec.given([imageUploaded(122, 1)]).when(command('ReorderImage', { imagePk: 1, order: -5 })).thenThrows('ORDER_OUT_OF_RANGE', 'Invalid input.', { order: [ORDER_MIN] });
});

test('ReorderImage of an unknown pk is not found', () => {
  spec.given([imageUploaded(123, 1)]).when(command('ReorderImage', { imagePk: 9, order: 1 })).thenThrows('IMAGE_NOT_FOUND', 'Not found.');
  spec.given([]).when(command('ReorderImage', { imagePk: 9, order: 1 })).thenThrows('IMAGE_NOT_FOUND', 'Not found.');
});

test('a deleted image refuses reorder, label, exclusion, content, roles and delete', () => {
  const given = spec.given([imageUploaded(124, 1), imageDeleted(124, 1)]);
  given.when(command('ReorderImage', { imagePk: 1, order: 1 })).thenThrows('IMAGE_DELETED', 'Not found.');
  given.when(command('ChangeImageLabel', { imagePk: 1, label: 'x' })).thenThrows('IMAGE_DELETED', 'Not found.');
  given.when(command('ChangeImageExclusion', { imagePk: 1, exclude: true })).thenThrows('IMAGE_DELETED', 'Not found.');
  given.when(command('ReplaceImageContent', { imagePk: 1, blob: blob(124, 2) })).thenThrows('IMAGE_DELETED', 'Not found.');
  given.when(command('ChangeImageRoles', { imagePk: 1, roles: ['image'] })).thenThrows('IMAGE_DELETED', 'Not found.');
  given.when(command('SetMainImage', { imagePk: 1 })).thenThrows('IMAGE_DELETED', 'Not found.');
  given.when(command('MakeImageSpecial', { imagePk: 1, specialImageType: 'swatch' })).thenThrows('IMAGE_DELETED', 'Not found.');
  given.when(command('DeleteImage', { imagePk: 1 })).thenThrows('IMAGE_DELETED', 'Not found.');
});

test('ChangeImageLabel records the change; the same label emits nothing', () => {
  const given = spec.given([imageUploaded(125, 1, { label: 'front' })]);
  given.when(command('ChangeImageLabel', { imagePk: 1, label: 'back' })).then([
    { type: 'ImageLabelChanged', data: { imagePk: 1, label: 'back', previousLabel: 'front' } },
  ]);
  given.when(command('ChangeImageLabel', { imagePk: 1, label: 'front' })).then([]);
});

test('ChangeImageExclusion records the change; the same value emits nothing', () => {
  const given = spec.given([imageUploaded(126, 1)]);
  given.when(command('ChangeImageExclusion', { imagePk: 1, exclude: true })).then([
    { type: 'ImageExclusionChanged', data: { imagePk: 1, exclude: true, previousExclude: false } },
  ]);
  given.when(command('ChangeImageExclusion', { imagePk: 1, exclude: false })).then([]);
});

test('ReplaceImageContent records the new blob and the previous key', () => {
  const next = { ...blob(127, 2), contentType: 'image/png', width: 10, height: 20 };
  spec.given([imageUploaded(127, 1)]).when(command('ReplaceImageContent', { imagePk: 1, blob: next })).then([
    { type: 'ImageContentReplaced', data: { imagePk: 1, ...next, previousKey: blob(127, 1).key } },
  ]);
});

test('ReplaceImageContent with identical bytes emits nothing', () => {
  const sameBytes = { ...blob(128, 1), key: 'products/2024/05/01/128/other.jpg' };
  spec.given([imageUploaded(128, 1)]).when(command('ReplaceImageContent', { imagePk: 1, blob: sameBytes })).then([]);
});

test('DeleteImage clears the roles and special types the image held', () => {
  spec
    .given([
      imageUploaded(129, 1, { roles: ['image', 'thumbnail'] }),
      { type: 'SpecialImageSet', data: { imagePk: 1, specialImageType: 'swatch', previousImagePk: null } },
    ])
    .when(command('DeleteImage', { imagePk: 1 }))
    .then([
      {
        type: 'ImageDeleted',
        data: { imagePk: 1, key: blob(129, 1).key, clearedRoles: ['image', 'thumbnail'], clearedSpecialImageTypes: ['swatch'] },
      },
    ]);
});

test('DeleteImage of an unknown pk is not found', () => {
  spec.given([imageUploaded(130, 1)]).when(command('DeleteImage', { imagePk: 2 })).thenThrows('IMAGE_NOT_FOUND', 'Not found.');
});

test('RestoreImage brings a deleted image back without its former roles', () => {
  const history = [imageUploaded(131, 1, { roles: ['image'] }), imageDeleted(131, 1, ['image'])];
  spec.given(history).when(command('RestoreImage', { imagePk: 1, product: product(131) })).then([
    { type: 'ImageRestored', data: { imagePk: 1, productPk: 131 } },
  ]);
  spec
    .given([...history, { type: 'ImageRestored', data: { imagePk: 1, productPk: 131 } }])
    .when(command('ChangeImageRoles', { imagePk: 1, roles: ['image'] }))
    .then([{ type: 'ImageRolesChanged', data: { imagePk: 1, roles: ['image'], previousRoles: [], takenFrom: {} } }]);
});

test('RestoreImage is refused for a live image, a disabled product and a reused file name', () => {
  spec.given([imageUploaded(132, 1)]).when(command('RestoreImage', { imagePk: 1, product: product(132) })).thenThrows('IMAGE_NOT_DELETED', 'Image 1 is not deleted.');
  const deleted = [imageUploaded(132, 1, { file: '/a/b/ab.jpg' }), imageDeleted(132, 1)];
  spec.given(deleted).when(command('RestoreImage', { imagePk: 1, product: product(132, false) })).thenThrows('PRODUCT_MEDIA_DISABLED');
  spec
    .given([...deleted, imageUploaded(132, 2, { file: '/a/b/ab.jpg' })])
    .when(command('RestoreImage', { imagePk: 1, product: product(132) }))
    .thenThrows('FILE_NAME_TAKEN', 'Gallery file "/a/b/ab.jpg" is already used by image 2.');
  spec.given(deleted).when(command('RestoreImage', { imagePk: 5, product: product(132) })).thenThrows('IMAGE_NOT_FOUND', 'Not found.');
});

test('the state keeps images in insertion order so equal orders sort by creation', () => {
  const state = fold(galleryDecider, [imageUploaded(133, 5, { order: 1 }), imageUploaded(133, 2, { order: 1 }), imageUploaded(133, 9)]);
  assert.is(state.status, 'active');
  assert.equal(state.status === 'active' ? state.images.map((image) => image.imagePk) : [], [5, 2, 9]);
});

test('an order goes up to the largest PositiveIntegerField value', () => {
  spec.given([]).when(uploadImage(134, 1, { order: 2147483647 })).then([imageUploaded(134, 1, { order: 2147483647 })]);
  spec
    .given([])
    .when(uploadImage(134, 1, { order: 2147483648 }))
    .thenThrows('ORDER_OUT_OF_RANGE', 'Invalid input.', { order: ['Ensure this value is less than or equal to 2147483647.'] });
});

test.run();
