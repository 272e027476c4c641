import { test } from 'uvu';
import { blob, command, imageDeleted, imageUploaded, newImage, product, spec } from './galleryFixtures.ts';

test('UpdateImage changes only the fields present, in one decision', () => {
  spec
    .given([imageUploaded(301, 1, { roles: ['thumbnail'] }), imageUploaded(301, 2, { roles: ['image'] })])
    .when(command('UpdateImage', { imagePk: 1, order: 100, exclude: true, roles: ['image'], blob: blob(301, 9) }))
    .then([
      { type: 'ImageContentReplaced', data: { imagePk: 1, ...blob(301, 9), previousKey: blob(301, 1).key } },
      { type: 'ImageReordered', data: { imagePk: 1, order: 100, previousOrder: 0 } },
      { type: 'ImageExclusionChanged', data: { imagePk: 1, exclude: true, previousExclude: false } },
      { type: 'ImageRolesChanged', data: { imagePk: 1, roles: ['image'], previousRoles: ['thumbnail'], takenFrom: { image: 2 } } },
    ]);
});

test('UpdateImage that changes nothing emits nothing', () => {
  spec.given([imageUploaded(302, 1, { label: 'a' })]).when(command('UpdateImage', { imagePk: 1, label: 'a', order: 0 })).then([]);
  spec.given([imageUploaded(302, 1)]).when(command('UpdateImage', { imagePk: 1 })).then([]);
});

test('UpdateImage is all or nothing: one refused field refuses the update', () => {
  spec
    .given([imageUploaded(303, 1)])
    .when(command('UpdateImage', { imagePk: 1, label: 'new', order: -1 }))
    .thenThrows('ORDER_OUT_OF_RANGE', 'Invalid input.', { order: ['Ensure this value is greater than or equal to 0.'] });
});

test('UpdateImage of a deleted or unknown image is refused even without fields', () => {
  spec.given([imageUploaded(304, 1), imageDeleted(304, 1)]).when(command('UpdateImage', { imagePk: 1 })).thenThrows('IMAGE_DELETED', 'Not found.');
  spec.given([]).when(command('UpdateImage', { imagePk: 1 })).thenThrows('IMAGE_NOT_FOUND', 'Not found.');
});

test('ReplaceImageSet deletes the live images, then uploads the new set', () => {
  spec
    .given([imageUploaded(305, 1, { roles: ['image'] }), imageUploaded(305, 2), imageDeleted(305, 2), imageUploaded(305, 3)])
    .when(
      command('ReplaceImageSet', {
        product: product(305),
        images: [newImage(305, 4, { roles: ['image'] }), newImage(305, 5, { order: 1, imageType: 'swatch' })],
      }),
    )
    .then([
      imageDeleted(305, 1, ['image']),
      imageDeleted(305, 3),
      imageUploaded(305, 4, { roles: ['image'] }),
      imageUploaded(305, 5, { order: 1, imageType: 'swatch' }),
    ]);
});

test('ReplaceImageSet may reuse the file names of the images it replaces', () => {
  spec
    .given([imageUploaded(306, 1, { file: '/s/k/sku.jpg' })])
    .when(command('ReplaceImageSet', { product: product(306), images: [newImage(306, 2, { file: '/s/k/sku.jpg' })] }))
    .then([imageDeleted(306, 1), imageUploaded(306, 2, { file: '/s/k/sku.jpg' })]);
});

test('ReplaceImageSet gives a role claimed twice to the later image', () => {
  spec
    .given([])
    .when(
      command('ReplaceImageSet', {
        product: product(307),
        images: [newImage(307, 1, { roles: ['image'] }), newImage(307, 2, { roles: ['image'] })],
      }),
    )
    .then([imageUploaded(307, 1, { roles: ['image'] }), imageUploaded(307, 2, { roles: ['image'] }, { image: 1 })]);
});

test('ReplaceImageSet is all or nothing: one bad image refuses the whole set', () => {
  spec
    .given([imageUploaded(308, 1)])
    .when(command('ReplaceImageSet', { product: product(308), images: [newImage(308, 2), newImage(308, 3, { file: '/i/m/image_2.jpg' })] }))
    .thenThrows('FILE_NAME_TAKEN', 'Gallery file "/i/m/image_2.jpg" is already used by image 2.');
  spec
    .given([imageUploaded(308, 1)])
    .when(command('ReplaceImageSet', { product: product(308), images: [newImage(308, 2), newImage(308, 1)] }))
    .thenThrows('IMAGE_PK_RETIRED');
});

test('ReplaceImageSet is refused for a product whose media is disabled', () => {
  spec
    .given([imageUploaded(309, 1)])
    .when(command('ReplaceImageSet', { product: product(309, false), images: [newImage(309, 2)] }))
    .thenThrows('PRODUCT_MEDIA_DISABLED', "Requested product doesn't support images");
});

test('ReplaceImageSet with an empty set deletes every live image', () => {
  spec.given([imageUploaded(310, 1)]).when(command('ReplaceImageSet', { product: product(310), images: [] })).then([imageDeleted(310, 1)]);
  spec.given([]).when(command('ReplaceImageSet', { product: product(310), images: [] })).then([]);
});

test.run();
