import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { firstFreeFileName } from '../../src/domain/gallery/firstFreeFileName.ts';

/** `taken` as OpenMage sees it: the gallery file names of the product's live images. */
const takenOf = (...names: string[]) => (candidate: string) => names.includes(candidate);

test('a free name is kept as it is', () => {
  assert.is(firstFreeFileName('/i/m/image.png', takenOf('/i/m/image_1.png')), '/i/m/image.png');
});

test('a taken name gets the first free suffix, counting up from _1', () => {
  assert.is(firstFreeFileName('/i/m/image.png', takenOf('/i/m/image.png')), '/i/m/image_1.png');
  assert.is(firstFreeFileName('/i/m/image.png', takenOf('/i/m/image.png', '/i/m/image_1.png', '/i/m/image_2.png')), '/i/m/image_3.png');
  assert.is(firstFreeFileName('/i/m/image.png', takenOf('/i/m/image.png', '/i/m/image_2.png')), '/i/m/image_1.png');
});

test('the suffix goes before the last extension only', () => {
  assert.is(firstFreeFileName('/a/r/archive.tar.gz', takenOf('/a/r/archive.tar.gz')), '/a/r/archive.tar_1.gz');
});

test('a name without an extension takes the suffix at its end', () => {
  assert.is(firstFreeFileName('/i/m/image', takenOf('/i/m/image')), '/i/m/image_1');
});

test('a dot-file is a name without an extension', () => {
  assert.is(firstFreeFileName('/h/t/.htaccess', takenOf('/h/t/.htaccess')), '/h/t/.htaccess_1');
});

test('a dot in a directory name is not an extension', () => {
  assert.is(firstFreeFileName('/v.2/image', takenOf('/v.2/image')), '/v.2/image_1');
});

test('a name without a directory stays without one', () => {
  assert.is(firstFreeFileName('image.png', takenOf('image.png')), 'image_1.png');
});

test.run();
