import { test } from 'uvu';
import type { GalleryEvent } from '../../src/domain/gallery/galleryEvents.ts';
import { blob, command, imageUploaded, spec } from './galleryFixtures.ts';

/**
 * What the gallery remembers of each change event: the next command is decided against it, so
 * a change the state forgot shows up as a wrong decision (an event for a no-op, a stale
 * `previous…` value, a stale key).
 */

test('a reordered image is decided by its new order', () => {
  const given = spec.given([imageUploaded(501, 1), { type: 'ImageReordered', data: { imagePk: 1, order: 3, previousOrder: 0 } }]);
  given.when(command('ReorderImage', { imagePk: 1, order: 3 })).then([]);
  given.when(command('ReorderImage', { imagePk: 1, order: 0 })).then([
    { type: 'ImageReordered', data: { imagePk: 1, order: 0, previousOrder: 3 } },
  ]);
});

test('a relabelled image is decided by its new label', () => {
  const given = spec.given([imageUploaded(502, 1, { label: 'front' }), { type: 'ImageLabelChanged', data: { imagePk: 1, label: 'back', previousLabel: 'front' } }]);
  given.when(command('ChangeImageLabel', { imagePk: 1, label: 'back' })).then([]);
  given.when(command('ChangeImageLabel', { imagePk: 1, label: 'front' })).then([
    { type: 'ImageLabelChanged', data: { imagePk: 1, label: 'front', previousLabel: 'back' } },
  ]);
});

test('an excluded image is decided by its new exclusion', () => {
  const given = spec.given([imageUploaded(503, 1), { type: 'ImageExclusionChanged', data: { imagePk: 1, exclude: true, previousExclude: false } }]);
  given.when(command('ChangeImageExclusion', { imagePk: 1, exclude: true })).then([]);
  given.when(command('ChangeImageExclusion', { imagePk: 1, exclude: false })).then([
    { type: 'ImageExclusionChanged', data: { imagePk: 1, exclude: false, previousExclude: true } },
  ]);
});

test('an image with new content is decided by its new bytes and key', () => {
  const replaced: GalleryEvent = { type: 'ImageContentReplaced', data: { imagePk: 1, ...blob(504, 2), previousKey: blob(504, 1).key } };
  const given = spec.given([imageUploaded(504, 1), replaced]);
  given.when(command('ReplaceImageContent', { imagePk: 1, blob: blob(504, 2) })).then([]);
  given.when(command('ReplaceImageContent', { imagePk: 1, blob: blob(504, 3) })).then([
    { type: 'ImageContentReplaced', data: { imagePk: 1, ...blob(504, 3), previousKey: blob(504, 2).key } },
  ]);
  given.when(command('DeleteImage', { imagePk: 1 })).then([
    { type: 'ImageDeleted', data: { imagePk: 1, key: blob(504, 2).key, clearedRoles: [], clearedSpecialImageTypes: [] } },
  ]);
});

test('an image whose roles changed is decided by its new roles', () => {
  const changed: GalleryEvent = { type: 'ImageRolesChanged', data: { imagePk: 1, roles: ['thumbnail'], previousRoles: [], takenFrom: {} } };
  const given = spec.given([imageUploaded(505, 1), changed]);
  given.when(command('ChangeImageRoles', { imagePk: 1, roles: ['thumbnail'] })).then([]);
  given.when(command('ChangeImageRoles', { imagePk: 1, roles: [] })).then([
    { type: 'ImageRolesChanged', data: { imagePk: 1, roles: [], previousRoles: ['thumbnail'], takenFrom: {} } },
  ]);
});

test('a restored image is live again: it can be changed and deleted', () => {
  const given = spec.given([
    imageUploaded(506, 1, { label: 'a' }),
    { type: 'ImageDeleted', data: { imagePk: 1, key: blob(506, 1).key, clearedRoles: [], clearedSpecialImageTypes: [] } },
    { type: 'ImageRestored', data: { imagePk: 1, productPk: 506 } },
  ]);
  given.when(command('ChangeImageLabel', { imagePk: 1, label: 'b' })).then([
    { type: 'ImageLabelChanged', data: { imagePk: 1, label: 'b', previousLabel: 'a' } },
  ]);
});

test('change events for media the gallery never had leave the other images as they were', () => {
  const given = spec.given([
    imageUploaded(507, 1, { label: 'kept', order: 2 }),
    { type: 'ImageLabelChanged', data: { imagePk: 9, label: 'x', previousLabel: '' } },
    { type: 'ImageReordered', data: { imagePk: 9, order: 7, previousOrder: 0 } },
  ]);
  given.when(command('ChangeImageLabel', { imagePk: 1, label: 'kept' })).then([]);
  given.when(command('ReorderImage', { imagePk: 1, order: 2 })).then([]);
});

test('change events before any upload leave the gallery empty', () => {
  spec
    .given([{ type: 'ImageLabelChanged', data: { imagePk: 1, label: 'x', previousLabel: '' } }])
    .when(command('ChangeImageLabel', { imagePk: 1, label: 'x' }))
    .thenThrows('IMAGE_NOT_FOUND', 'Not found.');
});

test.run();
