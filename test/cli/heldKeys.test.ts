import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { heldKeys, isCollectable, isHeld } from '../../src/cli/gc/heldKeys.ts';

const test = suite('The binaries gallery events still hold');

test('current content of live and deleted images and of live videos; not replaced content, not deleted videos', () => {
  const held = heldKeys();
  for (const event of [
    { type: 'ImageUploaded', data: { imagePk: 1, key: 'products/a.jpg' } },
    { type: 'ImageUploaded', data: { imagePk: 2, key: 'products/b.jpg' } },
    { type: 'ImageContentReplaced', data: { imagePk: 1, key: 'products/a2.jpg', previousKey: 'products/a.jpg' } },
    { type: 'ImageDeleted', data: { imagePk: 2, key: 'products/b.jpg' } },
    { type: 'VideoUploaded', data: { videoPk: 3, key: 'product_videos/v.mp4' } },
    { type: 'VideoUploaded', data: { videoPk: 4, key: 'product_videos/w.mp4' } },
    { type: 'VideoDeleted', data: { videoPk: 4, key: 'product_videos/w.mp4' } },
    { type: 'ImageReordered', data: { imagePk: 1, order: 3 } },
  ]) {
    held.apply(event);
  }
  assert.equal([...held.keys()].sort(), ['product_videos/v.mp4', 'products/a2.jpg', 'products/b.jpg']);
});

test('a rendition is held while its original is', () => {
  const keys = new Set(['products/a.jpg']);
  assert.ok(isHeld('renditions/products/a.jpg/320xauto-inside-q80.webp', keys));
  assert.not.ok(isHeld('renditions/products/gone.jpg/320xauto-inside-q80.webp', keys));
  assert.ok(isHeld('products/a.jpg', keys));
  assert.not.ok(isHeld('products/a.jpg.bak', keys));
});

test('only the catalog\'s own prefixes are collected', () => {
  assert.equal(['products/x.jpg', 'product_videos/y.mp4', 'renditions/products/x.jpg/a.webp', 'exports/z.json', 'productsx/y'].map(isCollectable), [true, true, true, false, false]);
});

test.run();
