import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { requestedFileName } from '../../src/app/rpc/requestedFileName.ts';
import { dispersed } from '../../src/app/media/mediaKeys.ts';
import { firstFreeFileName } from '../../src/domain/gallery/firstFreeFileName.ts';
import { decodeBase64Strictly, readImageFields } from '../../src/app/rpc/imageData.ts';
import { ShipStreamFault } from '../../src/app/rpc/shipStreamFaults.ts';

const test = suite('ShipStream image data');

test('base64 decodes strictly, as PHP\'s base64_decode($text, true)', () => {
  const decoded = (text: string) => decodeBase64Strictly(text)?.toString('latin1');
  assert.is(decoded('aGVsbG8='), 'hello');
  assert.is(decoded('aGVsbG8'), 'hello', 'padding may be left out');
  assert.is(decoded('aGVs\r\nbG8=\n'), 'hello', 'whitespace is skipped');
  for (const bad of ['', '   ', 'aGVsbG8===', 'aGVsbG8=x', 'aGV=sbG8', 'a', 'aGVsb', 'aGVs*bG8=', 'aGVsbG8-', 'aGVsbG8_', 'aGVsbG=']) {
    assert.is(decodeBase64Strictly(bad), undefined, JSON.stringify(bad));
  }
});

test('file names: sanitised, with the mime\'s extension, dispersed, _1 _2 on collision', () => {
  assert.is(requestedFileName(undefined, 'png'), 'image.png');
  assert.is(requestedFileName('', 'jpg'), 'image.jpg');
  assert.is(requestedFileName('My Photo (1)', 'jpg'), 'My_Photo_1_.jpg');
  assert.is(requestedFileName('../../etc/passwd', 'gif'), '.._.._etc_passwd.gif');
  assert.is(requestedFileName('@@@', 'jpg'), 'file.jpg');
  assert.is(requestedFileName('фото товара', 'png'), 'file.png');
  assert.is(requestedFileName('@.@', 'png'), '_._.png');
  const taken = new Set(['/i/m/image.png', '/i/m/image_1.png']);
  assert.is(firstFreeFileName(dispersed('image.png'), (file) => taken.has(file)), '/i/m/image_2.png');
  assert.is(firstFreeFileName(dispersed('image.jpg'), (file) => taken.has(file)), '/i/m/image.jpg');
  assert.is(firstFreeFileName(dispersed('.hidden.png'), () => false), '/_/h/.hidden.png');
  assert.is(firstFreeFileName(dispersed('a.png'), (file) => file === '/a/_/a.png'), '/a/_/a_1.png');
  assert.is(firstFreeFileName(dispersed('noext'), (file) => file === '/n/o/noext'), '/n/o/noext_1');
});

test('fields: only those set (a null label changes nothing); unknown type codes are ignored', () => {
  assert.equal(readImageFields({}), {});
  assert.equal(readImageFields({ position: '3', exclude: '1', label: null, types: ['small_image', 'thumbnail', 'image', 'thumbnail'] }), {
    order: 3,
    exclude: true,
    roles: ['image', 'thumbnail'],
  });
  assert.equal(readImageFields({ types: [] }), { roles: [] });
  assert.throws(() => readImageFields({ exclude: 'yes' }), (error: unknown) => error instanceof ShipStreamFault && error.fault === 102);
});

test.run();
