import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AppError } from '../../src/errors/appError.ts';
import { createMp4Validator, validateMp4, type Mp4Summary } from '../../src/media/mp4Validation.ts';
import { readFixture } from '../support/imageFixtures.ts';
import { box, boxWithSize, ftyp, largeBox, mdat, minimalMp4, moov } from '../support/mp4Boxes.ts';

/** Runs `run`, expecting `INVALID_VIDEO` (400) with this exact message. */
function assertInvalid(run: () => unknown, message: string): void {
  try {
    run();
  } catch (error) {
    assert.instance(error, AppError, `expected an AppError, got ${String(error)}`);
    const appError = error as AppError;
    assert.equal([appError.code, appError.status, appError.message], ['INVALID_VIDEO', 400, message]);
    return;
  }
  assert.unreachable('expected INVALID_VIDEO');
}

/** Streams `bytes` through a validator in chunks of `chunkSize`, as an upload would arrive. */
function streamed(bytes: Buffer, chunkSize: number, totalSize?: number): Mp4Summary {
  const validator = createMp4Validator(totalSize === undefined ? {} : { totalSize });
  for (let at = 0; at < bytes.length; at += chunkSize) validator.push(bytes.subarray(at, at + chunkSize));
  return validator.end();
}

const accepted = suite('mp4 validation: accepted files');

accepted('the minimal fixture is an MP4 with fast start', async () => {
  const bytes = await readFixture('minimal.mp4');
  assert.equal(validateMp4(bytes), {
    majorBrand: 'isom',
    compatibleBrands: ['isom', 'iso2', 'avc1', 'mp41'],
    size: bytes.length,
    fastStart: true,
    fragmented: false,
  });
});

accepted('the same verdict whatever the chunking, with or without the total size', () => {
  const bytes = minimalMp4();
  const whole = validateMp4(bytes);
  for (const chunkSize of [1, 3, 7, 64 * 1024]) {
    assert.equal(streamed(bytes, chunkSize), whole, `chunks of ${chunkSize}`);
    assert.equal(streamed(bytes, chunkSize, bytes.length), whole, `chunks of ${chunkSize}, size known`);
  }
});

accepted('moov may come after the media data', () => {
  const summary = validateMp4(Buffer.concat([ftyp('mp42', ['mp42', 'isom']), mdat(), box('free'), moov()]));
  assert.equal([summary.majorBrand, summary.fastStart], ['mp42', false]);
});

accepted('a 64-bit largesize box is read', () => {
  const bytes = Buffer.concat([ftyp('isom'), moov(), largeBox('mdat', Buffer.alloc(40))]);
  assert.is(streamed(bytes, 5).size, bytes.length);
});

accepted('a size-0 last box runs to the end of the file, known or not', () => {
  const bytes = Buffer.concat([ftyp('isom'), moov(), boxWithSize('mdat', 0, Buffer.alloc(100))]);
  assert.is(validateMp4(bytes).size, bytes.length);
  assert.is(streamed(bytes, 16).size, bytes.length);
});

accepted('a vendor major brand listing an MP4 brand is accepted', () => {
  const summary = validateMp4(Buffer.concat([ftyp('XAVC', ['XAVC', 'mp42', 'iso2']), moov(), mdat()]));
  assert.is(summary.majorBrand, 'XAVC');
});

accepted('a fragmented MP4 (moov, then moof/mdat pairs) is accepted', () => {
  const fragment = Buffer.concat([box('moof', box('mfhd', Buffer.alloc(8))), mdat()]);
  const summary = validateMp4(Buffer.concat([ftyp('iso6', ['iso6', 'dash']), moov(), fragment, fragment, box('mfra')]));
  assert.equal([summary.fastStart, summary.fragmented], [true, true]);
});

accepted.run();

const refused = suite('mp4 validation: refused files');

refused('a QuickTime movie is not an MP4', async () => {
  const bytes = await readFixture('not-mp4.mov');
  assertInvalid(() => validateMp4(bytes), 'Invalid MP4: brand "qt  " is a QuickTime movie, not an MP4.');
});

refused('a HEIF image is not an MP4, whatever it lists as compatible', () => {
  assertInvalid(
    () => validateMp4(Buffer.concat([ftyp('heic', ['mif1', 'heic', 'iso8']), box('meta'), mdat()])),
    'Invalid MP4: brand "heic" is a HEIF image, not an MP4.',
  );
});

refused('a file without any MP4 brand is refused', () => {
  assertInvalid(() => validateMp4(Buffer.concat([ftyp('abcd', ['abcd', 'efgh']), moov(), mdat()])), 'Invalid MP4: no MP4 brand in ftyp (major "abcd", compatible "abcd", "efgh").');
});

refused('the brand is refused as soon as the ftyp box has streamed by', () => {
  const validator = createMp4Validator();
  assertInvalid(() => validator.push(ftyp('qt  ')), 'Invalid MP4: brand "qt  " is a QuickTime movie, not an MP4.');
  assertInvalid(() => validator.push(moov()), 'Invalid MP4: brand "qt  " is a QuickTime movie, not an MP4.');
});

refused('a truncated file is refused', async () => {
  const bytes = await readFixture('truncated.mp4');
  assertInvalid(() => validateMp4(bytes), 'Invalid MP4: truncated: box "moov" at offset 32 declares 116 bytes but the file ends at 100.');
  assertInvalid(() => streamed(bytes, 10), 'Invalid MP4: truncated: box "moov" at offset 32 declares 116 bytes but the file ends at 100.');
});

refused('a stream that stops short of its declared size is truncated', () => {
  const bytes = minimalMp4();
  const validator = createMp4Validator({ totalSize: bytes.length + 10 });
  validator.push(bytes);
  assertInvalid(() => validator.end(), `Invalid MP4: truncated: ${bytes.length} of ${bytes.length + 10} bytes received.`);
});

refused('a stream longer than its declared size is refused', () => {
  const bytes = minimalMp4();
  assertInvalid(() => createMp4Validator({ totalSize: 10 }).push(bytes), 'Invalid MP4: more than the declared 10 bytes.');
});

refused('a box header cut off at the end is truncated', () => {
  const bytes = Buffer.concat([minimalMp4(), Buffer.from([0, 0, 0])]);
  assertInvalid(() => streamed(bytes, 64), `Invalid MP4: truncated: the box header at offset ${bytes.length - 3} is cut off.`);
});

refused('garbage does not start with an ftyp box, and fails on its first chunk', () => {
  const validator = createMp4Validator({ totalSize: 1_000_000 });
  assertInvalid(() => validator.push(Buffer.from('GIF89a and then some more bytes')), 'Invalid MP4: the file does not start with an ftyp box.');
});

refused('a file starting with another box than ftyp is refused', () => {
  assertInvalid(() => validateMp4(Buffer.concat([moov(), ftyp('isom'), mdat()])), 'Invalid MP4: the file does not start with an ftyp box.');
});

refused('a box size beyond the file is refused at once when the size is known', () => {
  const bytes = Buffer.concat([ftyp('isom'), moov(), boxWithSize('mdat', 0xffffffff, Buffer.alloc(16))]);
  assertInvalid(() => validateMp4(bytes), `Invalid MP4: truncated: box "mdat" at offset 136 declares 4294967295 bytes but the file ends at ${bytes.length}.`);
});

refused('a 64-bit size past 2^53 is an invalid size', () => {
  const huge = Buffer.concat([Buffer.from([0, 0, 0, 1]), Buffer.from('mdat'), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xf0])]);
  assertInvalid(() => streamed(Buffer.concat([ftyp('isom'), moov(), huge]), 4), 'Invalid MP4: box "mdat" at offset 136 has an invalid size 18446744073709551600.');
});

refused('a box smaller than its own header is refused', () => {
  assertInvalid(() => validateMp4(Buffer.concat([ftyp('isom'), boxWithSize('free', 4), moov(), mdat()])), 'Invalid MP4: box "free" at offset 20 has an invalid size 4.');
});

refused('an unknown top-level box is refused', () => {
  assertInvalid(() => validateMp4(Buffer.concat([ftyp('isom'), moov(), box('abcd'), mdat()])), 'Invalid MP4: unknown top-level box "abcd" at offset 136.');
});

refused('an unreadable box type is refused', () => {
  assertInvalid(() => validateMp4(Buffer.concat([ftyp('isom'), moov(), boxWithSize('mdat', 8).fill(0xfe, 4)])), 'Invalid MP4: unreadable box type at offset 136.');
});

refused('a file without moov is refused', () => {
  assertInvalid(() => validateMp4(Buffer.concat([ftyp('isom'), mdat(), box('free')])), 'Invalid MP4: no moov box (movie header).');
});

refused('a file without mdat is refused', () => {
  assertInvalid(() => validateMp4(Buffer.concat([ftyp('isom'), moov()])), 'Invalid MP4: no mdat box (media data).');
});

refused('a second moov or ftyp is refused', () => {
  assertInvalid(() => validateMp4(Buffer.concat([ftyp('isom'), moov(), moov(), mdat()])), 'Invalid MP4: a second moov box at offset 136.');
  assertInvalid(() => validateMp4(Buffer.concat([ftyp('isom'), ftyp('isom'), moov(), mdat()])), 'Invalid MP4: a second ftyp box at offset 20.');
});

refused('an empty file is refused', () => {
  assertInvalid(() => validateMp4(Buffer.alloc(0)), 'Invalid MP4: empty file.');
});

refused('once refused, the validator stays refused', () => {
  const validator = createMp4Validator();
  assertInvalid(() => validator.push(Buffer.from('garbage!')), 'Invalid MP4: the file does not start with an ftyp box.');
  assertInvalid(() => validator.end(), 'Invalid MP4: the file does not start with an ftyp box.');
});

refused.run();
