import { test } from 'uvu';
import { blob, command, imageDeleted, imageUploaded, spec } from './galleryFixtures.ts';

test('ChangeImageRoles takes a role from its holder and records from whom', () => {
  spec
    .given([imageUploaded(201, 1, { roles: ['image', 'thumbnail'] }), imageUploaded(201, 2)])
    .when(command('ChangeImageRoles', { imagePk: 2, roles: ['thumbnail'] }))
    .then([{ type: 'ImageRolesChanged', data: { imagePk: 2, roles: ['thumbnail'], previousRoles: [], takenFrom: { thumbnail: 1 } } }]);
});

test('ChangeImageRoles sets the exact role set: an empty list clears', () => {
  spec
    .given([imageUploaded(202, 1, { roles: ['image', 'thumbnail'] })])
    .when(command('ChangeImageRoles', { imagePk: 1, roles: [] }))
    .then([{ type: 'ImageRolesChanged', data: { imagePk: 1, roles: [], previousRoles: ['image', 'thumbnail'], takenFrom: {} } }]);
});

test('ChangeImageRoles with the same set, in any order or repeated, emits nothing', () => {
  spec
    .given([imageUploaded(203, 1, { roles: ['image', 'thumbnail'] })])
    .when(command('ChangeImageRoles', { imagePk: 1, roles: ['thumbnail', 'image', 'image'] }))
    .then([]);
});

test('ChangeImageRoles refuses unknown role codes under `types`', () => {
  spec
    .given([imageUploaded(204, 1)])
    .when(command('ChangeImageRoles', { imagePk: 1, roles: ['small_image', 'image', 'swatch_image'] as never }))
    .thenThrows('UNKNOWN_IMAGE_ROLE', 'Invalid input.', {
      types: ['"small_image" is not a valid choice.', '"swatch_image" is not a valid choice.'],
    });
});

test('SetMainImage on a gallery without a main image has no previous holder', () => {
  spec.given([imageUploaded(205, 1)]).when(command('SetMainImage', { imagePk: 1 })).then([
    { type: 'MainImageSet', data: { imagePk: 1, previousImagePk: null } },
  ]);
});

test('SetMainImage moves the main image and names the previous one', () => {
  spec
    .given([imageUploaded(206, 1, { roles: ['image'] }), imageUploaded(206, 2)])
    .when(command('SetMainImage', { imagePk: 2 }))
    .then([{ type: 'MainImageSet', data: { imagePk: 2, previousImagePk: 1 } }]);
});

test('SetMainImage on the main image emits nothing', () => {
  spec.given([imageUploaded(207, 1, { roles: ['image'] })]).when(command('SetMainImage', { imagePk: 1 })).then([]);
});

test('the main image and the `image` role are one role', () => {
  const history = [imageUploaded(208, 1), imageUploaded(208, 2), { type: 'MainImageSet' as const, data: { imagePk: 1, previousImagePk: null } }];
  spec
    .given(history)
    .when(command('ChangeImageRoles', { imagePk: 2, roles: ['image'] }))
    .then([{ type: 'ImageRolesChanged', data: { imagePk: 2, roles: ['image'], previousRoles: [], takenFrom: { image: 1 } } }]);
  spec.given(history).when(command('ChangeImageRoles', { imagePk: 1, roles: ['image'] })).then([]);
  spec.given(history).when(command('MakeImageSpecial', { imagePk: 1, specialImageType: 'base' })).then([]);
});

test('MakeImageSpecial `base` sets the main image', () => {
  spec
    .given([imageUploaded(209, 1, { roles: ['image'] }), imageUploaded(209, 2)])
    .when(command('MakeImageSpecial', { imagePk: 2, specialImageType: 'base' }))
    .then([{ type: 'MainImageSet', data: { imagePk: 2, previousImagePk: 1 } }]);
});

test('MakeImageSpecial with another type gives it one holder, moving it', () => {
  const given = [imageUploaded(210, 1), imageUploaded(210, 2)];
  spec.given(given).when(command('MakeImageSpecial', { imagePk: 1, specialImageType: 'swatch' })).then([
    { type: 'SpecialImageSet', data: { imagePk: 1, specialImageType: 'swatch', previousImagePk: null } },
  ]);
  const swatched = [...given, { type: 'SpecialImageSet' as const, data: { imagePk: 1, specialImageType: 'swatch' as const, previousImagePk: null } }];
  spec.given(swatched).when(command('MakeImageSpecial', { imagePk: 2, specialImageType: 'swatch' })).then([
    { type: 'SpecialImageSet', data: { imagePk: 2, specialImageType: 'swatch', previousImagePk: 1 } },
  ]);
  spec.given(swatched).when(command('MakeImageSpecial', { imagePk: 1, specialImageType: 'swatch' })).then([]);
  spec.given(swatched).when(command('MakeImageSpecial', { imagePk: 1, specialImageType: 'picto' })).then([
    { type: 'SpecialImageSet', data: { imagePk: 1, specialImageType: 'picto', previousImagePk: null } },
  ]);
});

test('MakeImageSpecial refuses an unknown special type under `special_image_type`', () => {
  spec
    .given([imageUploaded(211, 1)])
    .when(command('MakeImageSpecial', { imagePk: 1, specialImageType: 'hero' as never }))
    .thenThrows('UNKNOWN_SPECIAL_IMAGE_TYPE', 'Invalid input.', { special_image_type: ['"hero" is not a valid choice.'] });
});

test('MakeImageSpecial of an unknown image is not found', () => {
  spec.given([imageUploaded(212, 1)]).when(command('MakeImageSpecial', { imagePk: 3, specialImageType: 'base' })).thenThrows('IMAGE_NOT_FOUND', 'Not found.');
});

test('a deleted image frees its roles and special types for the next holder', () => {
  const history = [
    imageUploaded(213, 1, { roles: ['image'] }),
    { type: 'SpecialImageSet' as const, data: { imagePk: 1, specialImageType: 'picto' as const, previousImagePk: null } },
    imageUploaded(213, 2),
    { type: 'ImageDeleted' as const, data: { imagePk: 1, key: 'k', clearedRoles: ['image' as const], clearedSpecialImageTypes: ['picto' as const] } },
  ];
  spec.given(history).when(command('SetMainImage', { imagePk: 2 })).then([{ type: 'MainImageSet', data: { imagePk: 2, previousImagePk: null } }]);
  spec.given(history).when(command('MakeImageSpecial', { imagePk: 2, specialImageType: 'picto' })).then([
    { type: 'SpecialImageSet', data: { imagePk: 2, specialImageType: 'picto', previousImagePk: null } },
  ]);
});

test('a role taken by an upload is no longer held by its previous holder', () => {
  spec
    .given([imageUploaded(214, 1, { roles: ['thumbnail'] }), imageUploaded(214, 2, { roles: ['thumbnail'] }, { thumbnail: 1 })])
    .when(command('DeleteImage', { imagePk: 1 }))
    .then([imageDeleted(214, 1)]);
});

test('ChangeImageRoles adding a role to the one held is a change', () => {
  spec
    .given([imageUploaded(215, 1, { roles: ['image'] })])
    .when(command('ChangeImageRoles', { imagePk: 1, roles: ['image', 'thumbnail'] }))
    .then([{ type: 'ImageRolesChanged', data: { imagePk: 1, roles: ['image', 'thumbnail'], previousRoles: ['image'], takenFrom: {} } }]);
});

test('ChangeImageRoles with no roles on an image without roles emits nothing', () => {
  spec.given([imageUploaded(216, 1)]).when(command('ChangeImageRoles', { imagePk: 1, roles: [] })).then([]);
});

test('SpecialImageSet releases the special type from its previous holder', () => {
  const history = [
    imageUploaded(217, 1),
    imageUploaded(217, 2),
    { type: 'SpecialImageSet' as const, data: { imagePk: 1, specialImageType: 'swatch' as const, previousImagePk: null } },
    { type: 'SpecialImageSet' as const, data: { imagePk: 2, specialImageType: 'swatch' as const, previousImagePk: 1 } },
  ];
  spec.given(history).when(command('MakeImageSpecial', { imagePk: 1, specialImageType: 'swatch' })).then([
    { type: 'SpecialImageSet', data: { imagePk: 1, specialImageType: 'swatch', previousImagePk: 2 } },
  ]);
  spec.given(history).when(command('DeleteImage', { imagePk: 1 })).then([imageDeleted(217, 1)]);
});

test('SpecialImageSet takes only its own type from the previous holder', () => {
  spec
    .given([
      imageUploaded(219, 1),
      imageUploaded(219, 2),
      { type: 'SpecialImageSet', data: { imagePk: 1, specialImageType: 'swatch', previousImagePk: null } },
      { type: 'SpecialImageSet', data: { imagePk: 1, specialImageType: 'picto', previousImagePk: null } },
      { type: 'SpecialImageSet', data: { imagePk: 2, specialImageType: 'picto', previousImagePk: 1 } },
    ])
    .when(command('DeleteImage', { imagePk: 1 }))
    .then([{ type: 'ImageDeleted', data: { imagePk: 1, key: blob(219, 1).key, clearedRoles: [], clearedSpecialImageTypes: ['swatch'] } }]);
});

test('taking one role leaves the previous holder its other roles', () => {
  const holder = imageUploaded(218, 1, { roles: ['image', 'thumbnail'] });
  const byMain = [holder, imageUploaded(218, 2), { type: 'MainImageSet' as const, data: { imagePk: 2, previousImagePk: 1 } }];
  spec.given(byMain).when(command('DeleteImage', { imagePk: 1 })).then([imageDeleted(218, 1, ['thumbnail'])]);
  spec.given(byMain).when(command('SetMainImage', { imagePk: 1 })).then([{ type: 'MainImageSet', data: { imagePk: 1, previousImagePk: 2 } }]);
  const byRoles = [
    holder,
    imageUploaded(218, 2),
    { type: 'ImageRolesChanged' as const, data: { imagePk: 2, roles: ['image' as const], previousRoles: [], takenFrom: { image: 1 } } },
  ];
  spec.given(byRoles).when(command('DeleteImage', { imagePk: 1 })).then([imageDeleted(218, 1, ['thumbnail'])]);
  spec.given(byRoles).when(command('DeleteImage', { imagePk: 2 })).then([imageDeleted(218, 2, ['image'])]);
  const byUpload = [holder, imageUploaded(218, 2, { roles: ['thumbnail'] }, { thumbnail: 1 })];
  spec.given(byUpload).when(command('DeleteImage', { imagePk: 1 })).then([imageDeleted(218, 1, ['image'])]);
});

test.run();
