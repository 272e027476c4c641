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

/** The rule as a pattern (the former implementation): the reference the fast checks must agree with. */
function referenceDecode(text: string): Buffer | undefined {
  const compact = text.replace(/[\t\n\r ]+/g, '');
  const match = /^[A-Za-z0-9+/]*(={0,2})$/.exec(compact);
  if (match === null) return undefined;
  const padding = match[1]!.length;
  const data = compact.length - padding;
  if (data % 4 === 1 || (padding > 0 && compact.length % 4 !== 0)) return undefined;
  const bytes = Buffer.from(compact, 'base64');
  return bytes.length === 0 ? undefined : bytes;
}

test('base64: every text is judged as the alphabet pattern judges it (random edits of valid texts)', () => {
  const intruders = ['=', '==', '-', '_', '*', '!', '.', '\u0141', '\u00e9', '\u0000', '\ud800', 'A', '/', '+', ' ', '\n', '\t'];
  let seed = 7;
  const random = (below: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % below);
  let refused = 0;
  for (let round = 0; round < 4000; round++) {
    let text = Buffer.from(Array.from({ length: random(12) }, () => random(256))).toString('base64');
    if (random(2) === 0) text = text.replace(/=+$/, '');
    for (let edits = random(3); edits > 0; edits--) {
      const at = random(text.length + 1);
      const intruder = intruders[random(intruders.length)]!;
      text = random(2) === 0 ? text.slice(0, at) + intruder + text.slice(at) : text.slice(0, at) + intruder + text.slice(at + 1);
    }
    const expected = referenceDecode(text);
    if (expected === undefined) refused++;
    assert.equal(decodeBase64Strictly(text)?.toString('hex'), expected?.toString('hex'), JSON.stringify(text));
  }
  assert.ok(refused > 1000 && refused < 3900, `both outcomes are exercised (${refused} refused)`);
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
