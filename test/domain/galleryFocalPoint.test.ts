import { test } from 'uvu';
import { command, imageUploaded, spec } from './galleryFixtures.ts';

const P = 16301;
const point = (x: number, y: number) => ({ x, y });
const focalPointSet = (imagePk: number, focalPoint: { x: number; y: number } | null, previousFocalPoint: { x: number; y: number } | null) => ({
  type: 'ImageFocalPointSet' as const,
  data: { imagePk, focalPoint, previousFocalPoint },
});

test('SetImageFocalPoint records the point and that there was none before', () => {
  spec
    .given([imageUploaded(P, 1)])
    .when(command('SetImageFocalPoint', { imagePk: 1, focalPoint: point(0.3, 0.6) }))
    .then([focalPointSet(1, point(0.3, 0.6), null)]);
});

test('SetImageFocalPoint names the previous point, and null clears it', () => {
  const history = [imageUploaded(P, 1), focalPointSet(1, point(0.3, 0.6), null)];
  spec.given(history).when(command('SetImageFocalPoint', { imagePk: 1, focalPoint: point(0, 1) })).then([focalPointSet(1, point(0, 1), point(0.3, 0.6))]);
  spec.given(history).when(command('SetImageFocalPoint', { imagePk: 1, focalPoint: null })).then([focalPointSet(1, null, point(0.3, 0.6))]);
});

test('SetImageFocalPoint with the point the image has, or clearing none, emits nothing', () => {
  spec.given([imageUploaded(P, 1), focalPointSet(1, point(0.5, 0.5), null)]).when(command('SetImageFocalPoint', { imagePk: 1, focalPoint: point(0.5, 0.5) })).then([]);
  spec.given([imageUploaded(P, 1)]).when(command('SetImageFocalPoint', { imagePk: 1, focalPoint: null })).then([]);
});

test('SetImageFocalPoint changes only its image', () => {
  spec
    .given([imageUploaded(P, 1), imageUploaded(P, 2, { file: '/i/m/b.jpg' }), focalPointSet(1, point(0.1, 0.1), null)])
    .when(command('SetImageFocalPoint', { imagePk: 2, focalPoint: point(0.1, 0.1) }))
    .then([focalPointSet(2, point(0.1, 0.1), null)]);
});

test('SetImageFocalPoint refuses a point outside the image, naming each axis', () => {
  spec
    .given([imageUploaded(P, 1)])
    .when(command('SetImageFocalPoint', { imagePk: 1, focalPoint: point(-0.1, 1.5) }))
    .thenThrows('INVALID_FOCAL_POINT', 'Invalid input.', {
      focal_point: { x: ['Ensure this value is greater than or equal to 0.'], y: ['Ensure this value is less than or equal to 1.'] },
    });
  spec
    .given([imageUploaded(P, 1)])
    .when(command('SetImageFocalPoint', { imagePk: 1, focalPoint: { x: Number.NaN, y: '0.5' } as never }))
    .thenThrows('INVALID_FOCAL_POINT', 'Invalid input.', {
      focal_point: { x: ['A valid number is required.'], y: ['A valid number is required.'] },
    });
});

test('SetImageFocalPoint refuses a deleted image', () => {
  spec
    .given([imageUploaded(P, 1), { type: 'ImageDeleted', data: { imagePk: 1, key: 'k', clearedRoles: [], clearedSpecialImageTypes: [] } }])
    .when(command('SetImageFocalPoint', { imagePk: 1, focalPoint: point(0.5, 0.5) }))
    .thenThrows('IMAGE_DELETED');
});

test('UpdateImage sets the order and the focal point in one decision', () => {
  spec
    .given([imageUploaded(P, 1)])
    .when(command('UpdateImage', { imagePk: 1, order: 4, focalPoint: point(0.25, 0.75) }))
    .then([
      { type: 'ImageReordered', data: { imagePk: 1, order: 4, previousOrder: 0 } },
      focalPointSet(1, point(0.25, 0.75), null),
    ]);
});

test('UpdateImage with a bad focal point changes nothing else', () => {
  spec
    .given([imageUploaded(P, 1)])
    .when(command('UpdateImage', { imagePk: 1, order: 4, focalPoint: point(2, 0) }))
    .thenThrows('INVALID_FOCAL_POINT');
});

test.run();
