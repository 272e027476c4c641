import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planRendition } from '../../src/adapters/sharp/renditionGeometry.ts';

test('inside fits the box, keeps the aspect ratio and never enlarges', () => {
  assert.equal(planRendition(1500, 1000, { width: 320, fit: 'inside' }), { kind: 'scale', width: 320, height: 213 });
  assert.equal(planRendition(1500, 1000, { height: 320, fit: 'inside' }), { kind: 'scale', width: 480, height: 320 });
  assert.equal(planRendition(1500, 1000, { width: 320, height: 320, fit: 'inside' }), { kind: 'scale', width: 320, height: 213 });
  assert.equal(planRendition(1500, 1000, { width: 2000, fit: 'inside' }), { kind: 'scale', width: 1500, height: 1000 });
  assert.equal(planRendition(1500, 1000, { fit: 'inside' }), { kind: 'scale', width: 1500, height: 1000 });
  assert.equal(planRendition(3000, 2, { width: 64, fit: 'inside' }), { kind: 'scale', width: 64, height: 1 }, 'never 0 pixels');
});

test('cover with one side open is inside', () => {
  assert.equal(planRendition(1500, 1000, { width: 320, fit: 'cover' }), { kind: 'scale', width: 320, height: 213 });
});

test('cover crops around the focal point, clamped to the image', () => {
  const centre = (x: number, y: number) => planRendition(1500, 1000, { width: 320, height: 320, fit: 'cover', focalPoint: { x, y } });
  assert.equal(centre(0.5, 0.5), { kind: 'crop', scaledWidth: 480, scaledHeight: 320, left: 80, top: 0, width: 320, height: 320 });
  assert.equal(centre(0.6, 0.3), { kind: 'crop', scaledWidth: 480, scaledHeight: 320, left: 128, top: 0, width: 320, height: 320 });
  assert.equal(centre(0, 0), { kind: 'crop', scaledWidth: 480, scaledHeight: 320, left: 0, top: 0, width: 320, height: 320 });
  assert.equal(centre(1, 1), { kind: 'crop', scaledWidth: 480, scaledHeight: 320, left: 160, top: 0, width: 320, height: 320 });
  const tall = (y: number) => planRendition(1000, 1500, { width: 320, height: 160, fit: 'cover', focalPoint: { x: 0.5, y } });
  assert.equal(tall(0.7), { kind: 'crop', scaledWidth: 320, scaledHeight: 480, left: 0, top: 256, width: 320, height: 160 });
  assert.equal(tall(0.9), { kind: 'crop', scaledWidth: 320, scaledHeight: 480, left: 0, top: 320, width: 320, height: 160 });
});

test('cover without a focal point leaves the crop to salience', () => {
  assert.equal(planRendition(1500, 1000, { width: 320, height: 320, fit: 'cover' }), { kind: 'salientCrop', width: 320, height: 320 });
});

test('a cover box larger than the image shrinks to the largest box of its aspect that the image covers', () => {
  assert.equal(planRendition(1500, 1000, { width: 2000, height: 2000, fit: 'cover' }), { kind: 'salientCrop', width: 1000, height: 1000 });
  assert.equal(planRendition(64, 48, { width: 320, height: 160, fit: 'cover', focalPoint: { x: 0.5, y: 0.5 } }), {
    kind: 'crop', scaledWidth: 64, scaledHeight: 48, left: 0, top: 8, width: 64, height: 32,
  });
});

test('contain letterboxes in the box, or in the smallest box of its aspect that holds a small image', () => {
  assert.equal(planRendition(1500, 1000, { width: 320, height: 320, fit: 'contain' }), { kind: 'pad', imageWidth: 320, imageHeight: 213, width: 320, height: 320 });
  assert.equal(planRendition(64, 48, { width: 320, height: 320, fit: 'contain' }), { kind: 'pad', imageWidth: 64, imageHeight: 48, width: 64, height: 64 });
  assert.equal(planRendition(1500, 1000, { width: 2000, height: 1000, fit: 'contain' }), { kind: 'pad', imageWidth: 1500, imageHeight: 1000, width: 2000, height: 1000 });
});

test.run();
